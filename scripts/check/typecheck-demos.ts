/**
 * Type-checks TypeScript demos with the project's compiler options, and syntax-checks
 * Python demos with the real CPython, without writing any file. Problems come back per demo.
 * A file may also be in memory only (`sources`): a demo with a typing target spliced in is
 * checked as if it were a file beside the demo, so its imports resolve as the demo's do.
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

/** Absolute path → text, for files that exist in memory only. */
export type InMemorySources = ReadonlyMap<string, string>;

export interface StaticCheck {
  /** What a demo with problems failed to do: `does not type-check`. */
  readonly failure: string;
  /** `files` on disk, or in `sources` when there. */
  check(files: readonly string[], sources?: InMemorySources): Promise<DemoProblems>;
}

/** Each kind of static check a runtime descriptor names (`runtimes.ts`), by kind. */
export const STATIC_CHECKS: Record<StaticCheckKind, StaticCheck> = {
  typescript: { failure: 'does not type-check', check: (files, sources) => Promise.resolve(typecheckTypeScript(files, sources)) },
  'python-syntax': { failure: 'does not parse', check: (files, sources) => syntaxCheckPython(files, sources) },
};

export function typecheckTypeScript(files: readonly string[], sources: InMemorySources = new Map()): DemoProblems {
  const problems: DemoProblems = new Map(files.map((file) => [file, []]));
  if (files.length === 0) return problems;
  const configFile = path.join(projectRoot, 'tsconfig.json');
  const config = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, projectRoot, undefined, configFile);
  // In-memory copies of a demo sit beside it: as modules, two copies never clash over a global name.
  const options = { ...parsed.options, noEmit: true, ...(sources.size > 0 ? { moduleDetection: ts.ModuleDetectionKind.Force } : {}) };
  const program = ts.createProgram({ rootNames: [...files], options, host: inMemoryHost(options, sources) });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ? path.resolve(diagnostic.file.fileName) : null;
    const owner = file !== null && problems.has(file) ? file : files[0];
    if (owner === undefined) continue;
    problems.get(owner)?.push(formatDiagnostic(diagnostic));
  }
  return problems;
}

/** A compiler host that reads `sources` from memory and everything else from disk. */
function inMemoryHost(options: ts.CompilerOptions, sources: InMemorySources): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  if (sources.size === 0) return host;
  const inMemory = (fileName: string): string | undefined => sources.get(path.resolve(fileName));
  return {
    ...host,
    fileExists: (fileName) => inMemory(fileName) !== undefined || host.fileExists(fileName),
    readFile: (fileName) => inMemory(fileName) ?? host.readFile(fileName),
    getSourceFile: (fileName, languageVersion, onError, shouldCreate) => {
      const text = inMemory(fileName);
      return text === undefined ? host.getSourceFile(fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, text, languageVersion);
    },
  };
}

export async function syntaxCheckPython(files: readonly string[], sources: InMemorySources = new Map(), python = process.env.DECK_PYTHON || 'python3'): Promise<DemoProblems> {
  const problems: DemoProblems = new Map();
  // In-memory sources come as JSON on stdin; the other files are read from disk.
  const script =
    'import ast, json, sys\nsources = json.load(sys.stdin)\nfor f in sys.argv[1:]:\n    try:\n        text = sources[f] if f in sources else open(f, encoding="utf-8").read()\n        ast.parse(text, f)\n    except SyntaxError as e:\n        print(f"{f}\\t{e.lineno}:{e.offset}\\t{e.msg}")\n';
  for (const file of files) problems.set(file, []);
  if (files.length === 0) return problems;
  try {
    const child = run(python, ['-c', script, ...files]);
    child.child.stdin?.end(JSON.stringify(Object.fromEntries(sources)));
    const { stdout } = await child;
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
