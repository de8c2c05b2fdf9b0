/**
 * One line of a tracer's side channel, checked before anything else sees it. The line comes
 * from the demo's own processes, which may write anything to the socket: what is not a trace
 * event of ours (see trace-event.ts) is dropped, and nothing in it can grow without bound.
 */
import type { TraceArg, TraceCategory, TraceEvent, TracePhase } from './trace-event.ts';

const PHASES = new Set<string>(['M', 'B', 'E', 'X', 'b', 'e', 'i', 's', 'f']);
const CATEGORIES = new Set<string>(['lane', 'run', 'wait', 'hold', 'handoff', 'message', 'task', 'stall', 'sampled']);
const SCOPES = new Set<string>(['t', 'p', 'g']);
const MAX_NAME = 200;
const MAX_ARGS = 16;
/** Longest line read at all. */
export const MAX_TRACE_LINE = 8 * 1024;

/** The event on `line`, or null when it is not one. Times are left as the tracer wrote them. */
export function decodeTraceLine(line: string): TraceEvent | null {
  if (line.length > MAX_TRACE_LINE) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const { ph, name, cat, pid, tid, ts, dur, id, s, bp, args } = raw;
  if (typeof ph !== 'string' || !PHASES.has(ph)) return null;
  if (typeof name !== 'string' || name.length > MAX_NAME) return null;
  if (!isInteger(pid) || !isInteger(tid)) return null;
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return null;
  if (cat !== undefined && (typeof cat !== 'string' || !CATEGORIES.has(cat))) return null;
  if (ph !== 'M' && cat === undefined) return null;
  if (ph === 'X' && (typeof dur !== 'number' || !Number.isFinite(dur) || dur < 0)) return null;
  if ('bBesf'.includes(ph) && ph !== 'B' && (typeof id !== 'string' || id.length === 0 || id.length > MAX_NAME)) return null;
  if (s !== undefined && (typeof s !== 'string' || !SCOPES.has(s))) return null;
  const checkedArgs = decodeArgs(args);
  if (checkedArgs === null) return null;
  return {
    ph: ph as TracePhase,
    name,
    ...(cat === undefined ? {} : { cat: cat as TraceCategory }),
    pid,
    tid,
    ts,
    ...(ph === 'X' ? { dur: dur as number } : {}),
    ...(typeof id === 'string' ? { id } : {}),
    ...(s === undefined ? {} : { s: s as 't' | 'p' | 'g' }),
    ...(bp === 'e' ? { bp: 'e' as const } : {}),
    ...(checkedArgs === undefined ? {} : { args: checkedArgs }),
  };
}

function decodeArgs(args: unknown): Record<string, TraceArg> | undefined | null {
  if (args === undefined) return undefined;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  const entries = Object.entries(args);
  if (entries.length > MAX_ARGS) return null;
  const out: Record<string, TraceArg> = {};
  for (const [key, item] of entries) {
    if (key.length > 64) return null;
    if (item === null || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item))) out[key] = item;
    else if (typeof item === 'string' && item.length <= MAX_NAME) out[key] = item;
    else return null;
  }
  return out;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
