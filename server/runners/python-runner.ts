/** Runs a Python demo in the real CPython, unbuffered, in a pty. */
import { findExecutable } from './find-executable.ts';
import { createPtyRunner } from './pty-runner.ts';
import type { PtyRunnerOptions } from './pty-runner.ts';
import { RunnerUnavailableError } from './runner.ts';
import type { Runner } from './runner.ts';

export interface PythonRunnerOptions extends PtyRunnerOptions {
  /** Name or path of the interpreter. Default: env `DECK_PYTHON`, else `python3`; read at each run. */
  readonly python?: string;
}

export function createPythonRunner(options: PythonRunnerOptions = {}): Runner {
  return createPtyRunner(async (spec) => {
    const name = options.python ?? (process.env.DECK_PYTHON || 'python3');
    const python = await findExecutable(name);
    if (!python) throw new RunnerUnavailableError(`${name} was not found on PATH — install Python 3 to run this demo`);
    return { file: python, args: ['-u', spec.file], env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } };
  }, options);
}
