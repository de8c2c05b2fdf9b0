/**
 * Recordings on disk: read and write the two files of each (see `recording.ts`) under a
 * `recordings/` folder. The only module of recordings that does I/O.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeName } from '../runtimes.ts';
import { decodeCast, encodeCast, recordingFiles } from './recording.ts';
import type { Recording, RecordingMeta } from './recording.ts';
import { traceFile } from '../trace/trace-event.ts';
import type { TraceEvent } from '../trace/trace-event.ts';

/** The recording of `demo` (relative to `demos/`) in `runtime`, or null when there is none. Throws, naming the file, on one that does not parse. */
export async function readRecording(recordingsDir: string, runtime: RuntimeName, demo: string): Promise<Recording | null> {
  const files = recordingFiles(runtime, demo);
  const meta = await readMeta(recordingsDir, runtime, demo);
  if (meta === null) return null;
  const castFile = path.join(recordingsDir, files.cast);
  const text = await readIfThere(castFile);
  if (text === null) return null;
  let cast: Pick<Recording, 'header' | 'events'>;
  try {
    cast = decodeCast(text);
  } catch (error) {
    throw new Error(`${castFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const trace = await readTrace(path.join(recordingsDir, files.trace));
  return { meta, ...cast, ...(trace === null ? {} : { trace }) };
}

/** The trace kept beside a traced run's recording, or null when it has none. */
async function readTrace(file: string): Promise<TraceEvent[] | null> {
  const text = await readIfThere(file);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { traceEvents?: unknown } | null;
    if (!Array.isArray(value?.traceEvents)) throw new Error('no traceEvents array');
    return value.traceEvents as TraceEvent[];
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Only the meta file of a recording (enough to tell whether it is stale), or null. */
export async function readMeta(recordingsDir: string, runtime: RuntimeName, demo: string): Promise<RecordingMeta | null> {
  const file = path.join(recordingsDir, recordingFiles(runtime, demo).meta);
  const text = await readIfThere(file);
  if (text === null) return null;
  try {
    const meta = JSON.parse(text) as Partial<RecordingMeta> | null;
    if (meta?.format !== 1 || meta.runtime !== runtime || meta.demo !== demo || typeof meta.hash !== 'string' || meta.end === undefined) throw new Error(`not the recording of ${runtime} ${demo}`);
    return meta as RecordingMeta;
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Writes its files (the trace's only for a traced run), each through a temporary file, so a reader never sees half a recording. */
export async function writeRecording(recordingsDir: string, recording: Recording): Promise<void> {
  const files = recordingFiles(recording.meta.runtime, recording.meta.demo);
  const cast = path.join(recordingsDir, files.cast);
  await mkdir(path.dirname(cast), { recursive: true });
  await replaceFile(cast, encodeCast(recording.header, recording.events));
  await replaceFile(path.join(recordingsDir, files.meta), `${JSON.stringify(recording.meta, null, 2)}\n`);
  const tracePath = path.join(recordingsDir, files.trace);
  if (recording.trace !== undefined && recording.trace.length > 0) {
    await replaceFile(tracePath, `${JSON.stringify(traceFile(recording.trace, { demo: `${recording.meta.runtime} ${recording.meta.demo}`, recordedAt: recording.meta.recordedAt }))}\n`);
  } else {
    // A demo no longer traced keeps no trace of an older run.
    await rm(tracePath, { force: true });
  }
}

async function replaceFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

async function readIfThere(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
