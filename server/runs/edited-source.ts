/**
 * Code a speaker edits on a slide, against its demo file: checked before it runs (its
 * problems by line in the shown code), and saved into the file at its place. The file is
 * read at each step, so a run or a save always splices into what is on disk now.
 */
import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, RuntimeName } from '../protocol.ts';
import { sourceVersion } from '../deck/source-version.ts';
import { spliceRegionMapped } from '../deck/splice-region.ts';
import type { CheckSource, SourceProblem } from '../runners/check-source.ts';

/** The demo an edit belongs to. */
export interface EditTarget {
  readonly runtime: RuntimeName;
  /** Absolute path inside `demos/`. */
  readonly file: string;
  /** Path relative to `demos/`, for messages. */
  readonly path: string;
  /** The region the slide shows, or null for the whole file. */
  readonly region: string | null;
}

export type CheckedEdit =
  | { readonly ok: true; readonly source: string }
  /** `diagnostics` is empty when the edit could not be checked at all (the file is gone, the regions broke). */
  | { readonly ok: false; readonly message: string; readonly diagnostics: readonly Diagnostic[] };

/** The demo file's full source with `shown` in place, checked by its runtime's static check. */
export async function checkEdit(target: EditTarget, shown: string, check: CheckSource): Promise<CheckedEdit> {
  const name = `demos/${target.path}`;
  let original: string;
  try {
    original = await readFile(target.file, 'utf8');
  } catch (error) {
    return { ok: false, message: `${name} cannot be read: ${errorText(error)}`, diagnostics: [] };
  }
  const spliced = spliceRegionMapped(original, target.region, shown);
  if (!spliced.ok) return { ok: false, message: `${name}: ${spliced.error}`, diagnostics: [] };
  const problems = await check(target.runtime, target.file, spliced.value.text);
  const [first] = problems;
  if (first === undefined) return { ok: true, source: spliced.value.text };
  const diagnostics = problems.map((problem) => toDiagnostic(problem, spliced.value.shownLines, name));
  const shownLine = diagnostics[0]?.line ?? 1;
  const where = first.line > 0 ? `${name}:${first.line}${first.column > 0 ? `:${first.column}` : ''}` : name;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return { ok: false, message: `${where} (line ${shownLine} of the shown code): ${first.message}${more}: not run`, diagnostics };
}

/** A problem at a file line, at its line in the shown code; one outside it at line 1, naming the file line. */
function toDiagnostic(problem: SourceProblem, shownLines: readonly (number | null)[], name: string): Diagnostic {
  const line = problem.line > 0 ? (shownLines[problem.line - 1] ?? null) : null;
  if (line !== null) return { line, column: problem.column, message: problem.message };
  return { line: 1, column: 0, message: problem.line > 0 ? `${name} line ${problem.line} (not shown): ${problem.message}` : problem.message };
}

export type SavedEdit = { readonly ok: true; readonly version: string } | { readonly ok: false; readonly message: string };

const saving = new Map<string, Promise<SavedEdit>>();

/**
 * Writes `shown` into the demo's file at its place, if the file is still at `version` (else
 * nothing is written). Atomic: a temporary file beside it, renamed over it. Saves of one file
 * take turns.
 */
export function saveEdit(target: EditTarget, shown: string, version: string): Promise<SavedEdit> {
  const before = saving.get(target.file) ?? Promise.resolve(null);
  const next = before.then(() => writeEdit(target, shown, version));
  saving.set(target.file, next);
  void next.finally(() => {
    if (saving.get(target.file) === next) saving.delete(target.file);
  });
  return next;
}

async function writeEdit(target: EditTarget, shown: string, version: string): Promise<SavedEdit> {
  const name = `demos/${target.path}`;
  let original: string;
  let mode: number;
  try {
    original = await readFile(target.file, 'utf8');
    mode = (await stat(target.file)).mode & 0o7777;
  } catch (error) {
    return { ok: false, message: `${name} cannot be read: ${errorText(error)}: not saved; your edit is kept` };
  }
  if (sourceVersion(original) !== version) return { ok: false, message: `${name} changed on disk since you opened it: not saved; your edit is kept` };
  const spliced = spliceRegionMapped(original, target.region, shown);
  if (!spliced.ok) return { ok: false, message: `${name}: ${spliced.error}: not saved; your edit is kept` };
  // A hidden name: the deck's watcher ignores it, and only the rename shows.
  const temporary = path.join(path.dirname(target.file), `.${path.basename(target.file)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, spliced.value.text, { mode: 0o600 });
    await chmod(temporary, mode);
    await rename(temporary, target.file);
  } catch (error) {
    await rm(temporary, { force: true });
    return { ok: false, message: `${name} could not be written: ${errorText(error)}: not saved; your edit is kept` };
  }
  return { ok: true, version: sourceVersion(spliced.value.text) };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
