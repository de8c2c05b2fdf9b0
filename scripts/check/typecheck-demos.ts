/**
 * Type-checks TypeScript demos with the project's compiler options, and syntax-checks
 * Python demos with the real CPython, without writing any file. Problems come back per demo.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { projectRoot } from '../../server/config.ts';
import type { StaticCheckKind } from '../../server/runtimes.ts';

const run = promisify(execFile);

/** Absolute demo file → its problems, `file:line:col message` each. */
export type DemoProblems = Map<string, string[]>;

export interface StaticCheck {
  /** What a demo with problems failed to do: `does not type-check`. */
  readonly failure: string;
  check(files: readonly string[]): Promise<DemoProblems>;
}

/** Each kind of static check a runtime descriptor names (`runtimes.ts`), by kind. */
export const STATIC_CHECKS: Record<StaticCheckKind, StaticCheck> = {
  typescript: { failure: 'does not type-check', check: (files) => Promise.resolve(typecheckTypeScript(files)) },
  'python-syntax': { failure: 'does not parse', check: (files) => syntaxCheckPython(files) },
};

export function typecheckTypeScript(files: readonly string[]): DemoProblems {
  const problems: DemoProblems = new Map(files.map((file) => [file, []]));
  if (files.length === 0) return problems;
  const configFile = path.join(projectRoot, 'tsconfig.json');
  const config = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, projectRoot, undefined, configFile);
  const program = ts.createProgram({ rootNames: [...files], options: { ...parsed.options, noEmit: true } });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ? path.resolve(diagnostic.file.fileName) : null;
    const owner = file !== null && problems.has(file) ? file : files[0];
    if (owner === undefined) continue;
    problems.get(owner)?.push(formatDiagnostic(diagnostic));
  }
  return problems;
}

export async function syntaxCheckPython(files: readonly string[], python = process.env.DECK_PYTHON || 'python3'): Promise<DemoProblems> {
  const problems: DemoProblems = new Map();
  const script = 'import ast, sys\nfor f in sys.argv[1:]:\n    try:\n        ast.parse(open(f, encoding="utf-8").read(), f)\n    except SyntaxError as e:\n        print(f"{f}\\t{e.lineno}:{e.offset}\\t{e.msg}")\n';
  for (const file of files) problems.set(file, []);
  if (files.length === 0) return problems;
  try {
    const { stdout } = await run(python, ['-c', script, ...files]);
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [file = '', where = '', message = ''] = line.split('\t');
      problems.get(file)?.push(`${path.relative(projectRoot, file)}:${where} ${message}`);
    }
  } catch (error) {
    for (const file of files) problems.get(file)?.push(`cannot run ${python}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return problems;
}

function formatDiagnostic(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${path.relative(projectRoot, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${message}`;
}
