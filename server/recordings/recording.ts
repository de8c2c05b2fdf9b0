/**
 * A demo's recording: one run of the demo file, saved so the talk can be shown without
 * running code (the hosted site, the PDF, the fallback on stage). On disk it is two files
 * under `recordings/`, mirroring `demos/`:
 *
 *   recordings/concepts/lost_updates.py.python.cast   asciicast v2: asciinema plays it as is
 *   recordings/concepts/lost_updates.py.python.json   what the app needs beside it (`RecordingMeta`)
 *   recordings/concepts/lost_updates.py.python.trace.json   a traced run's trace (Perfetto opens it)
 *
 * The file name carries the runtime because one TypeScript file can be a demo of two runtimes.
 * Pure: no I/O, no Node API, so the page imports it too.
 */
import type { RunEnd } from '../run-outcome.ts';
import type { RuntimeName } from '../runtimes.ts';
import type { TraceEvent } from '../trace/trace-event.ts';

/** The first line of an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/). */
export interface CastHeader {
  readonly version: 2;
  readonly width: number;
  readonly height: number;
  /** Unix time of the recording's start, in seconds. */
  readonly timestamp: number;
  readonly title: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** `[seconds since the start, "o", output]`: one output chunk. Times never decrease. */
export type CastEvent = readonly [time: number, kind: 'o', data: string];

/** What the app keeps beside a cast. */
export interface RecordingMeta {
  readonly format: 1;
  readonly runtime: RuntimeName;
  /** The demo file, relative to `demos/` (as a demo line names it). */
  readonly demo: string;
  /** sha256 (hex) over the demo file and the sibling modules it imports, in `files` order. */
  readonly hash: string;
  /** The files the hash covers, relative to `demos/`, the demo first. */
  readonly files: readonly string[];
  /** When it was recorded (ISO 8601). */
  readonly recordedAt: string;
  readonly cols: number;
  readonly rows: number;
  /** How the run ended, as the page describes it at the end of the terminal. */
  readonly end: RunEnd;
  /** The end as plain text (`exit 0 · 1.23 s`), for a reader without the app. */
  readonly exitLine: string;
  /** The terminal's final screen as escape sequences (`@xterm/addon-serialize`), scrollback included. */
  readonly finalScreen: string;
  /**
   * Set when the run printed more than a cast keeps (a flood): the cast holds the first
   * `keptChars` of its `totalChars` characters of output, then one event that draws `finalScreen`.
   */
  readonly cut?: { readonly keptChars: number; readonly totalChars: number };
}

/** A recording as the app uses it: the cast and its meta together, and the run's trace when it was traced. */
export interface Recording {
  readonly meta: RecordingMeta;
  readonly header: CastHeader;
  readonly events: readonly CastEvent[];
  /** Trace events of a traced run (trace/trace-event.ts), times in µs since the run's start. */
  readonly trace?: readonly TraceEvent[];
}

/** The two files of a recording, relative to `recordings/`. */
export function recordingFiles(runtime: RuntimeName, demo: string): { cast: string; meta: string; trace: string } {
  const base = `${demo}.${runtime}`;
  return { cast: `${base}.cast`, meta: `${base}.json`, trace: `${base}.trace.json` };
}

/** A cast as asciicast v2 text: the header, then one event per line. */
export function encodeCast(header: CastHeader, events: readonly CastEvent[]): string {
  return [header, ...events].map((line) => JSON.stringify(line)).join('\n') + '\n';
}

/** Parses asciicast v2 text; throws with the line number on anything that is not one. */
export function decodeCast(text: string): { header: CastHeader; events: CastEvent[] } {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const [first, ...rest] = lines;
  if (first === undefined) throw new Error('empty cast: no header line');
  const header = parseLine(first, 1) as Partial<CastHeader> | null;
  if (header === null || typeof header !== 'object' || Array.isArray(header) || header.version !== 2 || !isCount(header.width) || !isCount(header.height)) {
    throw new Error('line 1: not an asciicast v2 header (version 2, width, height)');
  }
  let last = 0;
  const events = rest.flatMap((line, i): CastEvent[] => {
    const value = parseLine(line, i + 2);
    if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'number' || typeof value[1] !== 'string' || typeof value[2] !== 'string') {
      throw new Error(`line ${i + 2}: not an event [time, kind, data]`);
    }
    const [time, kind, data] = value as [number, string, string];
    if (!(time >= last)) throw new Error(`line ${i + 2}: time ${time} is before the previous event's ${last}`);
    last = time;
    // Only output is replayed; input ("i"), markers ("m") and resizes ("r") are skipped.
    return kind === 'o' ? [[time, 'o', data]] : [];
  });
  return { header: header as CastHeader, events };
}

function parseLine(line: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`line ${number}: not JSON`);
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
