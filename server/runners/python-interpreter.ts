/**
 * Which Python runs the demos. A name such as `python3` may be a version manager's shim
 * (pyenv's costs 100–500 ms per start): it is resolved once to the interpreter itself, by
 * asking that interpreter for `sys.executable`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findExecutable } from './find-executable.ts';
import { RunnerUnavailableError } from './runner.ts';

const execFileAsync = promisify(execFile);

/** The name asked for: the `python` option, else env `DECK_PYTHON`, else `python3` (read at each call). */
export function pythonName(option?: string): string {
  return option ?? (process.env.DECK_PYTHON || 'python3');
}

/** Resolves interpreter names, remembering each answer (a missing interpreter is asked for again). */
export function createPythonResolver(): (name: string) => Promise<string> {
  const resolved = new Map<string, Promise<string>>();
  return (name) => {
    let answer = resolved.get(name);
    if (!answer) {
      answer = resolvePython(name);
      resolved.set(name, answer);
      answer.catch(() => resolved.delete(name));
    }
    return answer;
  };
}

/** Absolute path of the interpreter `name` stands for; `RunnerUnavailableError` when there is none. */
export async function resolvePython(name: string): Promise<string> {
  const found = await findExecutable(name);
  if (!found) throw new RunnerUnavailableError(`${name} was not found on PATH — install Python 3 to run this demo`);
  try {
    const { stdout } = await execFileAsync(found, ['-c', 'import sys; print(sys.executable)'], { timeout: 15_000 });
    return stdout.trim() || found;
  } catch (error) {
    throw new RunnerUnavailableError(`${name} (${found}) does not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}
