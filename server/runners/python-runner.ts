/**
 * Runs a Python demo in the real CPython, unbuffered, in a pty: `python3 -u` on our
 * bootstrap (python-bootstrap.py), which runs the demo as `python3 -u demo.py` would.
 */
import { fileURLToPath } from 'node:url';
import { writeEditedCopy } from './edited-copy.ts';
import { createPtyRunner } from './pty-runner.ts';
import type { PtyRunnerOptions } from './pty-runner.ts';
import { createPythonProbe, pythonName } from './python-interpreter.ts';
import { RequirementUnmetError, unmetRequirement } from './python-requirement.ts';
import type { Runner } from './runner.ts';

export interface PythonRunnerOptions extends PtyRunnerOptions {
  /** Name or path of the interpreter. Default: env `DECK_PYTHON`, else `python3`; read at each run, resolved once per name. */
  readonly python?: string;
}

const bootstrapFile = fileURLToPath(new URL('./python-bootstrap.py', import.meta.url));

export function createPythonRunner(options: PythonRunnerOptions = {}): Runner {
  // One probe per interpreter name: its path, its version and whether it is free-threaded.
  const probe = createPythonProbe();
  const runner = createPtyRunner(
    {
      interpreter: async () => ({
        file: (await probe(pythonName(options.python))).file,
        args: ['-u', bootstrapFile],
        env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      }),
      // An edited copy runs from a private folder; the bootstrap puts the demo's own folder (the run's cwd) first on sys.path.
      demo: async (file, source) => (source === undefined ? { file, args: [] } : writeEditedCopy(file, source)),
    },
    options,
  );
  return {
    ...runner,
    // A demo the interpreter is too old for never starts: no process, and the message says what it needs.
    start: async (spec) => {
      if (spec.requires !== undefined && spec.requires !== null) {
        const name = pythonName(options.python);
        const unmet = unmetRequirement(spec.requires, await probe(name), name);
        if (unmet !== null) throw new RequirementUnmetError(unmet);
      }
      return runner.start(spec);
    },
  };
}
