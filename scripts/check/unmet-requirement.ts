/**
 * `npm run check` and `npm run record` skip a demo whose `requires=` the interpreter here does
 * not meet (an ℹ line naming the need, not a problem): the talk plays its recording instead.
 */
import type { DemoRef } from '../../server/deck/model.ts';
import { createPythonProbe, pythonName } from '../../server/runners/python-interpreter.ts';
import { unmetRequirement } from '../../server/runners/python-requirement.ts';

/** What `ref` needs that python3 here lacks, or null (met, no requirement, or no python3 at all: its run says so). */
export function createRequirementCheck(): (ref: DemoRef) => Promise<string | null> {
  const probe = createPythonProbe();
  return async (ref) => {
    if (ref.requires === null) return null;
    const name = pythonName();
    const interpreter = await probe(name).catch(() => null);
    return interpreter === null ? null : unmetRequirement(ref.requires, interpreter, name);
  };
}
