/**
 * An edited demo's private copy: the file's name in a folder of its own (mode 0700, under
 * the OS's temporary folder), for one run. Nothing is written into `demos/`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PtyDemo } from './pty-runner.ts';

/** Writes `source` as a file named like `file` in a new private folder; `cleanup` removes the folder. */
export async function writeEditedCopy(file: string, source: string, parent: string = tmpdir()): Promise<PtyDemo> {
  const dir = await mkdtemp(path.join(parent, 'deck-edit-'));
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const copy = path.join(dir, path.basename(file));
    await writeFile(copy, source, { mode: 0o600 });
    return { file: copy, args: [], cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
