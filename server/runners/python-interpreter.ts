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

/** The interpreter a name stands for, and what a demo's `requires=` asks of it. */
export interface PythonInterpreter {
  /** Absolute path (`sys.executable`). */
  readonly file: string;
  /** `sys.version_info[:2]`. */
  readonly major: number;
  readonly minor: number;
  /** A free-threaded build (`Py_GIL_DISABLED`, 3.13t and later). */
  readonly freeThreaded: boolean;
}

/** Probes interpreter names, remembering each answer (a missing interpreter is asked for again). */
export function createPythonProbe(): (name: string) => Promise<PythonInterpreter> {
  const probed = new Map<string, Promise<PythonInterpreter>>();
  return (name) => {
    let answer = probed.get(name);
    if (!answer) {
      answer = probePython(name);
      probed.set(name, answer);
      answer.catch(() => probed.delete(name));
    }
    return answer;
  };
}

/** Resolves interpreter names, remembering each answer (a missing interpreter is asked for again). */
export function createPythonResolver(): (name: string) => Promise<string> {
  const probe = createPythonProbe();
  return async (name) => (await probe(name)).file;
}

/** Absolute path of the interpreter `name` stands for; `RunnerUnavailableError` when there is none. */
export async function resolvePython(name: string): Promise<string> {
  return (await probePython(name)).file;
}

// One start of the interpreter answers all three: where it is, its version, and whether it is free-threaded.
const PROBE = 'import sys, sysconfig; print(sys.executable); print(*sys.version_info[:2]); print(sysconfig.get_config_var("Py_GIL_DISABLED") or 0)';

/** The interpreter `name` stands for; `RunnerUnavailableError` when there is none. */
export async function probePython(name: string): Promise<PythonInterpreter> {
  const found = await findExecutable(name);
  if (!found) throw new RunnerUnavailableError(`${name} was not found on PATH — install Python 3 to run this demo`);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(found, ['-c', PROBE], { timeout: 15_000 }));
  } catch (error) {
    throw new RunnerUnavailableError(`${name} (${found}) does not run: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [file = '', version = '', gil = ''] = stdout.split('\n').map((line) => line.trim());
  const [major = 0, minor = 0] = version.split(' ').map(Number);
  return { file: file || found, major, minor, freeThreaded: gil === '1' };
}
