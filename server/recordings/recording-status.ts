/**
 * Whether a demo's recording is there and made from the demo as it is now: `npm run record`
 * records only what is missing or stale, and `npm run check` warns about it.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeName } from '../runtimes.ts';
import { hashDemo } from './demo-hash.ts';
import type { DemoHash } from './demo-hash.ts';
import { recordingFiles } from './recording.ts';
import type { RecordingMeta } from './recording.ts';
import { readMeta } from './recording-store.ts';

export type RecordingState = 'missing' | 'stale' | 'up to date';

export interface RecordingStatus {
  readonly state: RecordingState;
  /** Why it is stale (`made from another version of the demo or a module it uses, …`); null otherwise. */
  readonly reason: string | null;
  /** The demo's hash now, for the recording made next. */
  readonly current: DemoHash;
  /** The recording's meta as it is on disk, or null when there is none that reads. */
  readonly meta: RecordingMeta | null;
}

/**
 * The state of the recording of `demo` (relative to `demosDir`) in `runtime`, under
 * `recordingsDir`. With `traced`, the demo's slide shows its timeline: a recording without its
 * trace is stale.
 */
export async function recordingStatus(recordingsDir: string, demosDir: string, runtime: RuntimeName, demo: string, traced = false): Promise<RecordingStatus> {
  const current = await hashDemo(demosDir, demo);
  let meta: RecordingMeta | null;
  try {
    meta = await readMeta(recordingsDir, runtime, demo);
  } catch (error) {
    return { state: 'stale', reason: error instanceof Error ? error.message : String(error), current, meta: null };
  }
  if (meta === null || !(await exists(path.join(recordingsDir, recordingFiles(runtime, demo).cast)))) return { state: 'missing', reason: null, current, meta };
  if (meta.hash !== current.hash) {
    return { state: 'stale', reason: `recorded ${meta.recordedAt.slice(0, 10)} from another version of ${describeFiles(current.files)}`, current, meta };
  }
  if (traced && !(await exists(path.join(recordingsDir, recordingFiles(runtime, demo).trace)))) {
    return { state: 'stale', reason: 'recorded without its trace, and its slide shows the timeline', current, meta };
  }
  return { state: 'up to date', reason: null, current, meta };
}

function describeFiles(files: readonly string[]): string {
  const [demo, ...modules] = files;
  if (modules.length === 0) return demo ?? 'the demo';
  return `${demo} or the module${modules.length === 1 ? '' : 's'} it uses (${modules.join(', ')})`;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
