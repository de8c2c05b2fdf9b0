/**
 * The one WebSocket contract between the pages and the server: every message, its fields
 * and the limits on them. Both sides import it; it has no runtime dependency, so the page
 * carries no validation library (the server validates what arrives in
 * `runs/decode-client-message.ts`, against these types). Nothing else parses socket data.
 *
 * Runs belong to the server, not to a page. A page says which demos it shows (`watch`) and
 * receives, for each, the run's current screen (`screen`) and then its live stream; a Run
 * press on any presenter page starts one run that every watching page sees. A page names
 * the demo to run by its key in the deck; the server takes the runtime, the file and the
 * limits from its own parsed deck, never from the page.
 *
 * A run may be a replay: the demo's recording (`recordings/`) played at its recorded pace,
 * when the speaker asks for it (`run` with `recording`) or in place of a live run of the
 * file that could not start or crashed in a way its slide does not expect. Every screen sees
 * a replay as a run, marked by `recording` in its `starting` and `screen`.
 *
 * Two roles, by token: a presenter page may run, stop, type, resize, acknowledge and move
 * the talk; an audience page only follows. Output is flow-controlled by presenter pages:
 * each acknowledges the bytes (UTF-16 code units of `data`) it has written into its
 * terminal, and a run pauses while the slowest presenter page is too far behind. An audience
 * page never slows a run: one that falls behind is sent a fresh `screen` instead.
 */
import type { ExitReason, RunEnd } from './run-outcome.ts';
import type { RuntimeName } from './runtimes.ts';
import type { TraceEvent } from './trace/trace-event.ts';

export type { ExitReason, RunEnd, RuntimeName, TraceEvent };

export type Role = 'presenter' | 'audience';

export const LIMITS = {
  /** Largest single `input` message. */
  maxInputChars: 64 * 1024,
  /** Largest message the server reads at all (an edited demo's source fits). */
  maxMessageBytes: 1024 * 1024,
  /** Longest edited source a page may send (`edit`, `run`, `save`). */
  maxSourceChars: 256 * 1024,
  /** Longest demo key (`python:threads/race.py#region~2`). */
  maxDemoKeyChars: 300,
  /** Most demos one page may watch at once. */
  maxWatchedDemos: 64,
  /** Longest slide id. */
  maxSlideIdChars: 200,
  /** Terminal sizes a page may ask for. */
  cols: { min: 2, max: 1000 },
  rows: { min: 1, max: 500 },
} as const;

/** The server's name for a run. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Where the talk is: a slide by its id (stable across edits), the step on it, and the language its demos show. */
export interface Position {
  readonly slide: string;
  readonly fragment: number;
  /** The variant shown in each variant group of the slide (`.demo-variants`, in page order); absent on a slide without groups. */
  readonly variants?: readonly number[];
}

/** The same slide, step and shown variants. */
export function samePosition(a: Position, b: Position): boolean {
  return a.slide === b.slide && a.fragment === b.fragment && (a.variants ?? []).join() === (b.variants ?? []).join();
}

/** A run somewhere in the deck, for badges ("a run is still going on slide 7"). */
export interface RunSummary {
  readonly run: string;
  readonly demo: string;
  /** Ms since the run started, when this summary was sent. */
  readonly elapsedMs: number;
}

/** Marks a run as a replay of the demo's recording. */
export interface RecordingMark {
  /** When the recording was made (ISO 8601). */
  readonly recordedAt: string;
  /** Why it replaced the live run (`python3 is not available here`); null when the speaker asked for it. */
  readonly reason: string | null;
}

/** A problem in edited source, at its line in the shown code (1-based, as the editor numbers it). */
export interface Diagnostic {
  readonly line: number;
  /** 1-based; 0 when the checker names no column. */
  readonly column: number;
  readonly message: string;
}

/** The talk's timing, for presenter pages (pacing, rehearsal). */
export interface Pacing {
  /** Ms since the talk started (its first slide change), or null before. */
  readonly elapsedMs: number | null;
  /** Ms spent on each slide so far, the current stay included. */
  readonly spentMs: Readonly<Record<string, number>>;
  /** Ms per slide in the last rehearsal, or null without one. */
  readonly rehearsedMs: Readonly<Record<string, number>> | null;
  /** True while this server records a rehearsal. */
  readonly rehearsing: boolean;
}

/** Every page-to-server message: type to payload. */
export interface ClientMessageMap {
  /** The demos (by key) this page shows now; replaces the previous set. Each gets a `screen`. */
  watch: { demos: string[] };
  /**
   * Start the demo the deck knows by `demo` (its `data-demo-key`), in a terminal of this size.
   * With `source`, the edited code shown on the slide runs in place of the file's (the rest of
   * the file around it stays). With `recording`, the demo's recording plays instead of running
   * it (`source` is then ignored). With `trace`, the run is traced for its timeline even when
   * its demo line does not ask for one (`timeline`). Presenter only.
   */
  run: { demo: string; cols: number; rows: number; source?: string; recording?: boolean; trace?: boolean };
  /** The code shown for `demo` as the speaker edits it, for every screen; null: back to the file's. Presenter only. */
  edit: { demo: string; text: string | null };
  /** Writes the edited code into the demo's file at its place, if the file is still at `version`. Presenter only. */
  save: { demo: string; source: string; version: string };
  /** Keystrokes for the run's terminal. Presenter only. */
  input: { run: string; data: string };
  /** Presenter only. */
  resize: { run: string; cols: number; rows: number };
  /** End the run and everything it started; also valid while it is still starting. Presenter only. */
  stop: { run: string };
  /** The page has written `bytes` more of the run's output into its terminal. */
  ack: { run: string; bytes: number };
  /** The talk moves to this slide and step; every page follows. Presenter only. */
  goto: Position;
  /** Starts recording a rehearsal (time per slide and run), or ends it: writes it and answers with `rehearsal-saved`. Presenter only. */
  rehearsal: { action: 'start' | 'end' };
}
export type ClientMessageType = keyof ClientMessageMap;
export type ClientMessage = { [K in ClientMessageType]: { type: K } & ClientMessageMap[K] }[ClientMessageType];
export type RunRequest = Extract<ClientMessage, { type: 'run' }>;

/** Every server-to-page message: type to payload. */
export interface ServerMessageMap {
  /** First message on every socket. */
  welcome: { role: Role; revision: string; position: Position | null; runs: RunSummary[]; pacing: Pacing | null };
  /** A run of a watched demo was accepted; `started` follows when its process is up. `recording`: it is a replay. */
  starting: { run: string; demo: string; cols: number; rows: number; warning?: string; recording?: RecordingMark; traced?: boolean };
  started: { run: string; pid: number | null };
  output: { run: string; data: string };
  resized: { run: string; cols: number; rows: number };
  exit: { run: string } & RunEnd;
  /**
   * Trace events of a traced run (trace/trace-event.ts), for its timeline: the run's events
   * from index `from` on. A page keeps them by index, so a batch it already has in part
   * (it joined late, or got a fresh screen) adds only what is new. After a `screen`, the
   * events so far follow in one `trace`.
   */
  trace: { run: string; from: number; events: TraceEvent[] };
  /** A watched demo's terminal as it is now (serialized escape sequences), to draw before the live stream. `recording`: the run is a replay. */
  screen: { demo: string; run: string; data: string; cols: number; rows: number; elapsedMs: number; end: RunEnd | null; recording?: RecordingMark; traced?: boolean };
  /** The runs going on anywhere in the deck; sent whenever one starts or ends. */
  activity: { runs: RunSummary[] };
  position: Position;
  /** Presenter pages only. */
  pacing: Pacing;
  'rehearsal-saved': { file: string; report: string };
  /** The code shown for a watched demo as a presenter edits it (null: the file's again); sent on `watch` too. */
  edited: { demo: string; text: string | null };
  /** What is wrong with edited source (a syntax or type error), by its line in the shown code; an empty list clears them. */
  diagnostics: { demo: string; items: Diagnostic[] };
  /** The edit is in the demo's file now, which is at `version`. */
  saved: { demo: string; version: string };
  error: { run?: string; demo?: string; message: string };
  'deck-changed': { revision: string };
}
export type ServerMessageType = keyof ServerMessageMap;
export type ServerMessage = { [K in ServerMessageType]: { type: K } & ServerMessageMap[K] }[ServerMessageType];

export type Decoded<T> = { ok: true; message: T } | { ok: false; error: string };

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

export function encodeServerMessage<K extends ServerMessageType>(type: K, payload: ServerMessageMap[K]): string {
  return JSON.stringify({ type, ...payload });
}

/** The page trusts its own server; this only guards against a frame that is not ours. */
export function decodeServerMessage(raw: string): Decoded<ServerMessage> {
  try {
    const value = JSON.parse(raw) as { type?: unknown };
    if (typeof value !== 'object' || value === null || typeof value.type !== 'string') return { ok: false, error: 'not a server message' };
    return { ok: true, message: value as ServerMessage };
  } catch {
    return { ok: false, error: 'message is not JSON' };
  }
}
