/**
 * A quick static check of a demo's source before it runs edited: what its runtime would
 * refuse to start. Python: the real interpreter compiles it (`compile()`, what the run does
 * first), so a SyntaxError reads as the run would print it. TypeScript: esbuild parses it,
 * which finds syntax errors only; type errors are `tsc`'s, which `npm run check` runs, not a
 * Run press.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { transform } from 'esbuild';
import type { RuntimeName } from '../runtimes.ts';
import { loaderOf } from './compile-demo.ts';
import { createPythonResolver, pythonName } from './python-interpreter.ts';

/** A problem at a line of the file (1-based; 0 when the checker names none) and a column (1-based; 0: none). */
export interface SourceProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type CheckSource = (runtime: RuntimeName, file: string, source: string) => Promise<SourceProblem[]>;

const CHECK_TIMEOUT_MS = 10_000;

/** Compiles stdin as the file named in argv[1]; prints one JSON line for a problem, nothing when it compiles. */
const PYTHON_CHECK = `
import json, sys
try:
    compile(sys.stdin.buffer.read(), sys.argv[1], "exec", dont_inherit=True)
except SyntaxError as e:
    print(json.dumps({"line": e.lineno or 0, "column": e.offset or 0, "message": e.msg}))
except ValueError as e:
    print(json.dumps({"line": 0, "column": 0, "message": str(e)}))
`;

const resolvePython = createPythonResolver();

/**
 * The problems in `source`, the text of demo `file` as it would run. A checker that cannot
 * run (no python3) finds none: the run itself then says what is missing.
 */
export const checkSource: CheckSource = async (runtime, file, source) => {
  return runtime === 'python' ? checkPython(file, source) : checkScript(file, source);
};

async function checkScript(file: string, source: string): Promise<SourceProblem[]> {
  try {
    await transform(source, { loader: loaderOf(file), sourcefile: path.basename(file), format: 'esm', logLevel: 'silent' });
    return [];
  } catch (error) {
    const errors = (error as { errors?: unknown } | null)?.errors;
    if (!Array.isArray(errors)) return [];
    return (errors as { text?: unknown; location?: { line?: unknown; column?: unknown } | null }[]).map((e) => ({
      line: typeof e.location?.line === 'number' ? e.location.line : 0,
      // esbuild counts columns from 0.
      column: typeof e.location?.column === 'number' ? e.location.column + 1 : 0,
      message: typeof e.text === 'string' ? e.text : 'syntax error',
    }));
  }
}

async function checkPython(file: string, source: string): Promise<SourceProblem[]> {
  let python: string;
  try {
    python = await resolvePython(pythonName());
  } catch {
    return [];
  }
  const output = await new Promise<string | null>((resolve) => {
    const child = spawn(python, ['-I', '-c', PYTHON_CHECK, path.basename(file)], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, timeout: CHECK_TIMEOUT_MS });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 ? stdout : null));
    child.stdin.on('error', () => undefined);
    child.stdin.end(source);
  });
  const line = output?.trim();
  if (!line) return [];
  try {
    const problem = JSON.parse(line) as Partial<SourceProblem>;
    return [{ line: Number(problem.line) || 0, column: Number(problem.column) || 0, message: String(problem.message ?? 'syntax error') }];
  } catch {
    return [];
  }
}
