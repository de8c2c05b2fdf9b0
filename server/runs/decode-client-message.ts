/**
 * Validates every frame a page sends against the protocol's types (server/protocol.ts).
 * zod lives here, on the server only; a change of a message type that this schema does not
 * follow fails to compile.
 */
import { z } from 'zod';
import { LIMITS, RUN_ID_PATTERN, type ClientMessage, type Decoded } from '../protocol.ts';

const runId = z.string().regex(RUN_ID_PATTERN, 'run id: 1-64 of A-Z a-z 0-9 _ -');
const demoKey = z.string().min(1).max(LIMITS.maxDemoKeyChars);
const cols = z.number().int().min(LIMITS.cols.min).max(LIMITS.cols.max);
const rows = z.number().int().min(LIMITS.rows.min).max(LIMITS.rows.max);
const source = z.string().max(LIMITS.maxSourceChars, `source: at most ${LIMITS.maxSourceChars} characters`);

const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('watch'), demos: z.array(demoKey).max(LIMITS.maxWatchedDemos) }),
  z.strictObject({ type: z.literal('run'), demo: demoKey, cols, rows, source: source.optional(), recording: z.boolean().optional(), trace: z.boolean().optional() }),
  z.strictObject({ type: z.literal('edit'), demo: demoKey, text: source.nullable() }),
  z.strictObject({ type: z.literal('save'), demo: demoKey, source, version: z.string().min(1).max(64) }),
  z.strictObject({ type: z.literal('input'), run: runId, data: z.string().max(LIMITS.maxInputChars) }),
  z.strictObject({ type: z.literal('resize'), run: runId, cols, rows }),
  z.strictObject({ type: z.literal('stop'), run: runId }),
  z.strictObject({ type: z.literal('ack'), run: runId, bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
  z.strictObject({ type: z.literal('goto'), slide: z.string().min(1).max(LIMITS.maxSlideIdChars), fragment: z.number().int().min(-1).max(10_000), variants: z.array(z.number().int().min(0).max(LIMITS.maxWatchedDemos)).max(LIMITS.maxWatchedDemos).optional() }),
  z.strictObject({ type: z.literal('rehearsal'), action: z.enum(['start', 'end']) }),
]) satisfies z.ZodType<ClientMessage>;

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
