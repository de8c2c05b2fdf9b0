/**
 * Where the site page finds a demo's recording: its `.demo` element says so in
 * `data-recording` (written by the site's build): a URL of a JSON file on the site, or
 * `#<id>` of a `<script type="application/json">` in the page itself (the single file,
 * which must open from the file system, where nothing can be fetched). Empty or absent:
 * the demo has no recording. Each recording is read once per element.
 */
import type { CastEvent, CastHeader, Recording, RecordingMeta } from '../../server/recordings/recording.ts';

const recordings = new WeakMap<HTMLElement, Promise<Recording | null>>();

/** The recording of a `.demo` of the site page; null when it has none. Rejects, saying why, when it cannot be read. */
export function recordingFor(demo: HTMLElement): Promise<Recording | null> {
  let recording = recordings.get(demo);
  if (recording === undefined) {
    recording = readRecording(demo.dataset['recording'] ?? '');
    recordings.set(demo, recording);
    // A failed read is tried again next time (the network may be back).
    recording.catch(() => recordings.delete(demo));
  }
  return recording;
}

async function readRecording(where: string): Promise<Recording | null> {
  if (where === '') return null;
  const text = where.startsWith('#') ? inlineText(where.slice(1)) : await fetchText(new URL(where, document.baseURI));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`the recording ${where} is not JSON`);
  }
  if (!isRecording(value)) throw new Error(`${where} is not a recording (meta, header, events, trace)`);
  return value;
}

function inlineText(id: string): string {
  const block = document.getElementById(id);
  if (block === null) throw new Error(`the page has no recording #${id}`);
  return block.textContent ?? '';
}

async function fetchText(url: URL): Promise<string> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the recording ${url.pathname} could not be loaded (HTTP ${response.status})`);
  return response.text();
}

/** The shape the player relies on; the build wrote it, so this only guards against a wrong file. */
function isRecording(value: unknown): value is Recording {
  if (!isObject(value) || !isObject(value['meta']) || !isObject(value['header']) || !Array.isArray(value['events'])) return false;
  const meta = value['meta'] as Partial<RecordingMeta>;
  const header = value['header'] as Partial<CastHeader>;
  const events = value['events'] as unknown[];
  return (
    isObject(meta.end) &&
    typeof meta.end.durationMs === 'number' &&
    typeof meta.end.reason === 'string' &&
    header.version === 2 &&
    isCount(header.width) &&
    isCount(header.height) &&
    events.every(isEvent) &&
    (value['trace'] === undefined || (Array.isArray(value['trace']) && value['trace'].every(isTraceEvent)))
  );
}

function isEvent(value: unknown): value is CastEvent {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'number' && value[1] === 'o' && typeof value[2] === 'string';
}

/** Enough of a trace event for the timeline to place it. */
function isTraceEvent(value: unknown): boolean {
  return isObject(value) && typeof value['ph'] === 'string' && typeof value['ts'] === 'number' && typeof value['pid'] === 'number' && typeof value['tid'] === 'number';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
