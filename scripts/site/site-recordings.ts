/**
 * The recordings the site plays: one JSON file per demo shown (meta, header, events and, for
 * a traced run, trace of `server/recordings/recording.ts`'s `Recording`), named by a hash of its content, and each
 * `.demo` of the slides told where its recording is (`data-recording`, a URL or `#<id>` of an
 * inline `<script type="application/json">`; empty when it has none) and when it was made.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readRecording } from '../../server/recordings/recording-store.ts';
import { recordingStatus } from '../../server/recordings/recording-status.ts';
import type { Recording } from '../../server/recordings/recording.ts';
import { escapeHtml } from '../../server/escape-html.ts';
import { RUNTIMES, type RuntimeName } from '../../server/runtimes.ts';

export interface SiteRecording {
  /** `python hello.py`, for messages. */
  readonly label: string;
  /** Its file under the site: `recordings/hello.py.python-<hash>.json`. */
  readonly file: string;
  /** Its id in a single-file page: `recording-<n>`. */
  readonly id: string;
  readonly json: string;
  readonly recordedAt: string;
}

export interface SiteRecordings {
  /** By `<runtime> <demo>`. */
  readonly found: ReadonlyMap<string, SiteRecording>;
  /** `<runtime> <demo>` of every demo shown that has no recording. */
  readonly missing: readonly string[];
  /** `<runtime> <demo>: <why>` of every recording made from another version of its demo (published all the same). */
  readonly stale: readonly string[];
}

/** `<div class="demo" …>` as `server/deck/render-deck.ts` writes it. */
const DEMO_TAG = /<div class="demo"((?:\s[^>]*)?)>/g;

export async function collectRecordings(slidesHtml: string, recordingsDir: string, demosDir: string): Promise<SiteRecordings> {
  const found = new Map<string, SiteRecording>();
  const missing: string[] = [];
  const stale: string[] = [];
  for (const { runtime, demo } of demosIn(slidesHtml)) {
    const label = `${runtime} ${demo}`;
    if (found.has(label) || missing.includes(label)) continue;
    const recording = await readRecording(recordingsDir, runtime, demo);
    if (recording === null) {
      missing.push(label);
      continue;
    }
    const status = await recordingStatus(recordingsDir, demosDir, runtime, demo);
    if (status.state === 'stale') stale.push(`${label}: ${status.reason ?? 'stale'}`);
    const json = recordingJson(recording);
    const hash = createHash('sha256').update(json).digest('hex').slice(0, 10);
    found.set(label, { label, file: `recordings/${demo}.${runtime}-${hash}.json`, id: `recording-${found.size + 1}`, json, recordedAt: recording.meta.recordedAt });
  }
  return { found, missing, stale };
}

/**
 * The slides with each demo pointing at its recording: `where` gives the `data-recording`
 * value of a recording (its URL, or `#<id>` for an inline one).
 */
export function markDemos(slidesHtml: string, recordings: SiteRecordings, where: (recording: SiteRecording) => string): string {
  return slidesHtml.replace(DEMO_TAG, (tag: string, attributes: string) => {
    const demo = demoOf(attributes);
    const recording = demo === null ? undefined : recordings.found.get(`${demo.runtime} ${demo.demo}`);
    const added = recording === undefined ? ' data-recording=""' : ` data-recording="${escapeHtml(where(recording))}" data-recorded-at="${escapeHtml(recording.recordedAt)}"`;
    return `<div class="demo"${attributes}${added}>`;
  });
}

/** The recording as the page reads it: one JSON document. */
function recordingJson(recording: Recording): string {
  return JSON.stringify({ meta: recording.meta, header: recording.header, events: recording.events, ...(recording.trace === undefined ? {} : { trace: recording.trace }) });
}

function* demosIn(slidesHtml: string): Generator<{ runtime: RuntimeName; demo: string }> {
  for (const match of slidesHtml.matchAll(DEMO_TAG)) {
    const demo = demoOf(match[1] ?? '');
    if (demo !== null) yield demo;
  }
}

function demoOf(attributes: string): { runtime: RuntimeName; demo: string } | null {
  const demo = attribute(attributes, 'data-demo');
  const runtime = attribute(attributes, 'data-runtime');
  if (demo === null || runtime === null || !isRuntime(runtime) || path.isAbsolute(demo)) return null;
  return { runtime, demo };
}

function attribute(attributes: string, name: string): string | null {
  const raw = new RegExp(`\\s${name}="([^"]*)"`).exec(attributes)?.[1];
  return raw === undefined ? null : raw.replace(/&#(\d+);/g, (_entity, code: string) => String.fromCharCode(Number(code)));
}

function isRuntime(name: string): name is RuntimeName {
  return (RUNTIMES as readonly string[]).includes(name);
}
