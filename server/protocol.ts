/**
 * The one WebSocket contract between the page and the server: every message, its fields
 * and the limits on them. Both sides import it; it has no runtime dependency, so the page
 * carries no validation library (the server validates what arrives in
 * `runs/decode-client-message.ts`, against these types). Nothing else parses socket data.
 *
 * A page opens one socket and multiplexes many runs on it, each named by a `run` id the
 * page chooses. A page names the demo to run by its key in the deck; the server takes the
 * runtime, the file and the limits from its own parsed deck, never from the page. Output is
 * flow-controlled: the page acknowledges the bytes (UTF-16 code units of `data`) it has
 * written into its terminal, and the server pauses a run whose unacknowledged output
 * passes its high watermark.
 */

export const RUNTIMES = ['worker', 'process', 'python'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** Why a run ended, as shown at the end of its terminal. */
export const EXIT_REASONS = ['exit', 'stopped', 'timeout', 'output-limit', 'memory-limit', 'disconnected', 'shutdown', 'error'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const LIMITS = {
  /** Longest time limit a slide may set. */
  maxTimeoutMs: 10 * 60_000,
  /** Largest output limit a slide may set. */
  maxOutputBytes: 512 * 1024 * 1024,
  /** Largest single `input` message. */
  maxInputChars: 64 * 1024,
  /** Largest message the server reads at all. */
  maxMessageBytes: 256 * 1024,
  /** Longest demo key (`python:threads/race.py#region~2`). */
  maxDemoKeyChars: 300,
  /** Terminal sizes a page may ask for. */
  cols: { min: 2, max: 1000 },
  rows: { min: 1, max: 500 },
} as const;

/** A page's name for one of its runs. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Every page-to-server message: type to payload. */
export interface ClientMessageMap {
  /** Start the demo the deck knows by `demo` (its `data-demo-key`), in a terminal of this size. */
  run: { run: string; demo: string; cols: number; rows: number };
  /** Keystrokes for the demo's terminal. */
  input: { run: string; data: string };
  resize: { run: string; cols: number; rows: number };
  /** End the run and everything it started; also valid while it is still starting. */
  stop: { run: string };
  /** The page has written `bytes` more of the run's output into its terminal. */
  ack: { run: string; bytes: number };
}
export type ClientMessageType = keyof ClientMessageMap;
export type ClientMessage = { [K in ClientMessageType]: { type: K } & ClientMessageMap[K] }[ClientMessageType];
export type RunRequest = Extract<ClientMessage, { type: 'run' }>;

/** Every server-to-page message: type to payload. */
export interface ServerMessageMap {
  started: { run: string; pid: number | null };
  output: { run: string; data: string };
  exit: { run: string; code: number | null; signal: string | null; durationMs: number; reason: ExitReason; message?: string };
  error: { run?: string; message: string };
  'deck-changed': { version: number };
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
