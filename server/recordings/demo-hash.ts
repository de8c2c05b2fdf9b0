/**
 * The content hash of a demo: its file and the sibling modules it uses, found by following
 * its imports inside `demos/`. A recording keeps the hash it was made from; editing any of
 * those files changes it, and the recording is stale.
 *
 * Imports are found by reading the source, not by running it: Python `import x`,
 * `from x import y`, `from .x import y`, `from . import x`; TypeScript/JavaScript relative
 * specifiers (`from './x.ts'`, `import('./x.ts')`, `new URL('./w.ts', import.meta.url)` for a
 * Worker's entry). What does not resolve to a file under `demos/` (the standard library, npm
 * packages) is left out.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface DemoHash {
  /** sha256 (hex) over every file's path and content, in `files` order. */
  readonly hash: string;
  /** The files it covers, relative to `demos/`, the demo first, then the rest sorted. */
  readonly files: readonly string[];
}

const NODE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Hashes `demo` (relative to `demosDir`) and every module it uses there, recursively. */
export async function hashDemo(demosDir: string, demo: string): Promise<DemoHash> {
  const root = path.resolve(demosDir);
  const first = path.resolve(root, demo);
  const contents = new Map<string, string>();
  const queue = [first];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    // Visited once: import cycles end here.
    if (contents.has(file)) continue;
    const text = await readFile(file, 'utf8');
    contents.set(file, text);
    const found = file.endsWith('.py') ? await pythonImports(text, file, first, root) : await nodeImports(text, file, root);
    queue.push(...found);
  }
  const rest = [...contents.keys()].filter((file) => file !== first).sort();
  const files = [first, ...rest];
  const digest = createHash('sha256');
  for (const file of files) {
    // The path goes in too, so a renamed module changes the hash; NULs keep the fields apart.
    digest.update(`${toDemoPath(root, file)}\0`);
    digest.update(contents.get(file) ?? '');
    digest.update('\0');
  }
  return { hash: digest.digest('hex'), files: files.map((file) => toDemoPath(root, file)) };
}

/**
 * Modules of a Python file that exist under `root`. Absolute imports look beside the
 * importing file and beside the demo (the script's folder is first on `sys.path`); relative
 * ones from the importing file's package, one folder up per extra dot.
 */
async function pythonImports(text: string, file: string, demo: string, root: string): Promise<string[]> {
  const found: string[] = [];
  const here = path.dirname(file);
  const bases = [...new Set([here, path.dirname(demo)])];
  for (const statement of pythonImportStatements(text)) {
    const plain = /^import\s+(.+)$/s.exec(statement);
    if (plain) {
      for (const name of splitNames(plain[1] ?? '')) found.push(...(await resolveModule(bases, name, root)));
      continue;
    }
    const from = /^from\s+(\.*)([\w.]*)\s+import\s+(.+)$/s.exec(statement);
    if (!from) continue;
    const dots = (from[1] ?? '').length;
    const module = from[2] ?? '';
    const names = splitNames((from[3] ?? '').replace(/[()]/g, ''));
    const fromBases = dots === 0 ? bases : [path.resolve(here, ...Array<string>(dots - 1).fill('..'))];
    if (module !== '') found.push(...(await resolveModule(fromBases, module, root)));
    // `from pkg import mod` and `from . import mod` may name modules, not only attributes.
    for (const name of names) {
      if (name === '*') continue;
      found.push(...(await resolveModule(fromBases, module === '' ? name : `${module}.${name}`, root)));
    }
  }
  return found;
}

/** Each `import …` / `from … import …` statement, comments dropped, a parenthesised list joined onto one line. */
function pythonImportStatements(text: string): string[] {
  const statements: string[] = [];
  const lines = text.split('\n').map((line) => line.replace(/#.*$/, ''));
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (!/^(import|from)\s/.test(line)) continue;
    let statement = line;
    while (statement.includes('(') && !statement.includes(')') && i + 1 < lines.length) {
      i += 1;
      statement += ` ${(lines[i] ?? '').trim()}`;
    }
    while (statement.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      statement = `${statement.slice(0, -1)} ${(lines[i] ?? '').trim()}`;
    }
    statements.push(statement.split(';')[0]?.trim() ?? '');
  }
  return statements;
}

/** `a as b, c.d` → `['a', 'c.d']`. */
function splitNames(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim().split(/\s+as\s+/)[0]?.trim() ?? '')
    .filter((name) => /^[\w.*]+$/.test(name));
}

/** `a.b` → `a/__init__.py` and `a/b.py` (or `a/b/__init__.py`): every file of the dotted name that exists under one of `bases`. */
async function resolveModule(bases: readonly string[], dotted: string, root: string): Promise<string[]> {
  const parts = dotted.split('.');
  for (const base of bases) {
    const found: string[] = [];
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const stem = path.join(base, ...parts.slice(0, depth));
      const file = await firstFile([`${stem}.py`, path.join(stem, '__init__.py')], root);
      if (file === undefined) break;
      found.push(file);
    }
    if (found.length > 0) return found;
  }
  return [];
}

/** Relative specifiers of a TypeScript/JavaScript file that resolve to files under `root`. */
async function nodeImports(text: string, file: string, root: string): Promise<string[]> {
  const patterns = [
    // import … from './x.ts', export … from './x.ts', import './x.ts'
    /\b(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    // import('./x.ts'), require('./x.js')
    /\b(?:import|require)\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
    // new URL('./worker.ts', import.meta.url): a Worker's entry point
    /\bnew\s+URL\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  const found: string[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const target = path.resolve(path.dirname(file), match[1] ?? '');
      const withoutJs = target.replace(/\.m?js$/, '');
      const resolved = await firstFile([target, ...NODE_EXTENSIONS.map((ext) => `${withoutJs}${ext}`), ...NODE_EXTENSIONS.map((ext) => path.join(target, `index${ext}`))], root);
      if (resolved !== undefined) found.push(resolved);
    }
  }
  return found;
}

/** The first of `candidates` that is a file inside `root`. */
async function firstFile(candidates: readonly string[], root: string): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (!isInside(root, candidate)) continue;
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // Not there: try the next form.
    }
  }
  return undefined;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function toDemoPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
