/**
 * The one WebSocket protocol between the page and the server. Both sides import it
 * (the client type-only, plus `decodeServerMessage`); nothing else parses socket data.
 *
 * A page opens one socket and multiplexes many runs on it, each named by a `run` id the
 * page chooses. Output is flow-controlled: the page acknowledges the bytes (UTF-16 code
 * units of `data`) it has written into its terminal, and the server pauses a run whose
 * unacknowledged output passes its high watermark.
 */
import { z } from 'zod';

export const RUNTIMES = ['worker', 'process', 'python'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** Why a run ended, as shown at the end of its terminal. */
export const EXIT_REASONS = ['exit', 'stopped', 'timeout', 'output-limit', 'memory-limit', 'disconnected', 'shutdown', 'error'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const LIMITS = {
  /** Longest time limit a page may ask for. */
  maxTimeoutMs: 10 * 60_000,
  /** Largest output limit a page may ask for. */
  maxOutputBytes: 512 * 1024 * 1024,
  /** Largest single `input` message. */
  maxInputChars: 64 * 1024,
  /** Largest message the server reads at all. */
  maxMessageBytes: 256 * 1024,
} as const;

const runId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'run id: 1-64 of A-Z a-z 0-9 _ -');
const cols = z.number().int().min(2).max(1000);
const rows = z.number().int().min(1).max(500);

const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('run'),
    run: runId,
    /** Path of the demo file relative to `demos/`, e.g. `threads/race.py`. */
    demo: z.string().min(1).max(256),
    runtime: z.enum(RUNTIMES),
    cols,
    rows,
    timeoutMs: z.number().int().min(1).max(LIMITS.maxTimeoutMs).optional(),
    maxOutputBytes: z.number().int().min(1).max(LIMITS.maxOutputBytes).optional(),
  }),
  z.strictObject({ type: z.literal('input'), run: runId, data: z.string().max(LIMITS.maxInputChars) }),
  z.strictObject({ type: z.literal('resize'), run: runId, cols, rows }),
  z.strictObject({ type: z.literal('stop'), run: runId }),
  z.strictObject({ type: z.literal('ack'), run: runId, bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type RunRequest = Extract<ClientMessage, { type: 'run' }>;

/** Every server-to-client message: event name to payload. */
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

/** Validates one frame from a page. Never throws. */
export function decodeClientMessage(raw: string): Decoded<ClientMessage> {
  if (raw.length > LIMITS.maxMessageBytes) return { ok: false, error: `message too large (${raw.length} > ${LIMITS.maxMessageBytes})` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'message is not JSON' };
  }
  const parsed = clientMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, error: `invalid message: ${where}${issue?.message ?? 'unknown error'}` };
  }
  return { ok: true, message: parsed.data };
}

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
