/**
 * A demo's `requires=` against the interpreter that would run it: met, or what is missing in
 * words a speaker reads on stage ("needs Python 3.14 or later; python3 here is 3.11"). Pure,
 * but for the error a runner throws instead of starting a demo it cannot run.
 */
import type { PythonRequirement } from '../deck/model.ts';
import { formatPythonRequirement } from '../deck/parse-demo-line.ts';
import type { PythonInterpreter } from './python-interpreter.ts';

/** Thrown instead of starting a demo whose `requires=` the interpreter does not meet; its message says what is needed. */
export class RequirementUnmetError extends Error {
  override readonly name = 'RequirementUnmetError';
}

/** `3.11`, `3.13t`: the interpreter as a demo line would write it. */
export function describeInterpreter(interpreter: Pick<PythonInterpreter, 'major' | 'minor' | 'freeThreaded'>): string {
  return `${interpreter.major}.${interpreter.minor}${interpreter.freeThreaded ? 't' : ''}`;
}

/** What is missing, or null when `interpreter` (called `name`, as the speaker knows it) meets `requirement`. */
export function unmetRequirement(requirement: PythonRequirement, interpreter: Pick<PythonInterpreter, 'major' | 'minor' | 'freeThreaded'>, name: string): string | null {
  const recent = interpreter.major > requirement.major || (interpreter.major === requirement.major && interpreter.minor >= requirement.minor);
  if (recent && (!requirement.freeThreaded || interpreter.freeThreaded)) return null;
  const needs = requirement.freeThreaded ? `a free-threaded Python ${formatPythonRequirement(requirement)} or later` : `Python ${formatPythonRequirement(requirement)} or later`;
  return `needs ${needs}; ${name} here is ${describeInterpreter(interpreter)}`;
}

/** The toolbar's tag for a demo's requirement: `Python ≥ 3.14`, `Python ≥ 3.13t`. */
export function requirementTag(requirement: PythonRequirement): string {
  return `Python ≥ ${formatPythonRequirement(requirement)}`;
}
