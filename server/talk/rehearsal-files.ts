/**
 * One JSON file per rehearsal, named after its start (`2026-11-28T10-15-00Z.json`): sortable,
 * safe on every file system, and never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRehearsalRecord, type RehearsalRecord } from './rehearsal-record.ts';

export interface RehearsalFiles {
  /** Oldest first (by start, then by file name). */
  readonly records: RehearsalRecord[];
  /** Files skipped, each as `name: reason`. */
  readonly problems: string[];
}

/** `2026-11-28T10:15:00.123Z` → `2026-11-28T10-15-00Z`. */
export function rehearsalFileStamp(isoDate: string): string {
  const time = Date.parse(isoDate);
  if (Number.isNaN(time)) throw new Error(`rehearsal start "${isoDate}" is not a date`);
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
}

/**
 * Writes `record` to `<dir>/<stamp>.json` (`<stamp>-2.json`, … when taken), creating `dir`;
 * returns the path. The file appears complete or not at all: it is written under a temporary
 * name and linked into place, and a link never replaces an existing file.
 */
export async function writeRehearsal(dir: string, record: RehearsalRecord): Promise<string> {
  const stamp = rehearsalFileStamp(record.startedAt);
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const temp = path.join(dir, `.${stamp}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, text, { flag: 'wx' });
  try {
    for (let n = 1; n <= 1000; n += 1) {
      const target = path.join(dir, n === 1 ? `${stamp}.json` : `${stamp}-${n}.json`);
      try {
        await link(temp, target);
        return target;
      } catch (error) {
        if (errorCode(error) === 'EEXIST') continue;
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errorCode(error) ?? '')) throw error;
        // A file system without hard links: exclusive create still never overwrites.
        try {
          await writeFile(target, text, { flag: 'wx' });
          return target;
        } catch (fallbackError) {
          if (errorCode(fallbackError) === 'EEXIST') continue;
          throw fallbackError;
        }
      }
    }
    throw new Error(`${dir}: 1000 rehearsals named ${stamp}*.json already; not writing another`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Every valid record in `dir`, oldest first; a missing `dir` has none. Other `.json` files are reported, not thrown. */
export async function readRehearsals(dir: string): Promise<RehearsalFiles> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { records: [], problems: [] };
    throw error;
  }
  const found: { name: string; record: RehearsalRecord }[] = [];
  const problems: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    let text: string;
    try {
      text = await readFile(path.join(dir, name), 'utf8');
    } catch (error) {
      problems.push(`${name}: cannot be read (${errorCode(error) ?? String(error)})`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push(`${name}: not JSON`);
      continue;
    }
    const parsed = parseRehearsalRecord(value);
    if (parsed.ok) found.push({ name, record: parsed.record });
    else problems.push(`${name}: not a rehearsal record (${parsed.error})`);
  }
  found.sort((a, b) => Date.parse(a.record.startedAt) - Date.parse(b.record.startedAt) || copyNumber(a.name) - copyNumber(b.name) || a.name.localeCompare(b.name));
  return { records: found.map((entry) => entry.record), problems };
}

/** The newest valid record in `dir`, or null. */
export async function latestRehearsal(dir: string): Promise<RehearsalRecord | null> {
  const { records } = await readRehearsals(dir);
  return records.at(-1) ?? null;
}

/** `…Z.json` is copy 1, `…Z-2.json` copy 2: plain name order would put `-2` first. */
function copyNumber(name: string): number {
  const match = /-(\d+)\.json$/.exec(name);
  return match && /Z-\d+\.json$/.test(name) ? Number(match[1]) : 1;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
