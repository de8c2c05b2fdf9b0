/**
 * "Running" for a Node thread: the time its event loop spent running JavaScript (or
 * native work called from it) rather than idle waiting for events, as
 * `performance.eventLoopUtilization()` measures it, less the time the tracer saw it blocked
 * in `Atomics.wait`. Sampled at each flush (every 50 ms) into one `run` slice per interval,
 * starting at the interval's start: where inside those 50 ms it ran is not known. A thread
 * in one long synchronous stretch cannot run its own timer, so its slice arrives when the
 * stretch ends (or when the thread exits), whole.
 */
import { performance } from 'node:perf_hooks';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { BlockedTime } from './patch-atomics-wait.ts';
import type { ThreadTrace } from './thread-trace.ts';
import { nowMicros } from './trace-writer.ts';

/** Shorter than this, a sample is noise of the tracer's own timer. */
const MIN_RUN_US = 200;

export function sampleRunning(trace: ThreadTrace, blocked: BlockedTime): void {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  let since = nowMicros();
  let blockedBefore = blocked.total;
  trace.writer.onFlush(() => {
    const now = nowMicros();
    const delta = performance.eventLoopUtilization(last);
    last = performance.eventLoopUtilization();
    const dur = Math.min(now - since, Math.round(delta.active * 1000) - (blocked.total - blockedBefore));
    if (dur >= MIN_RUN_US) trace.emit({ ph: 'X', cat: 'run', name: 'running', ts: since, dur });
    since = now;
    blockedBefore = blocked.total;
  });
}
