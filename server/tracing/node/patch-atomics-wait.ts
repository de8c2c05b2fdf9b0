/**
 * Shows a thread blocked in `Atomics.wait`: the global is replaced by one that writes a
 * `wait` slice's begin and hands it to the socket BEFORE the thread blocks (a deadlocked
 * thread must still show), and its end once the wait returns. The slot waited on is the
 * "lock": its id and name come from the shared buffer's run-wide label and the slot's
 * index, so two threads waiting on one slot wait on one lock. A wait that would return
 * 'not-equal' at once is no wait and writes nothing.
 */
import type { SharedBufferLabels } from './shared-buffers.ts';
import type { ThreadTrace } from './thread-trace.ts';
import { nowMicros } from './trace-writer.ts';

export interface BlockedTime {
  /** Microseconds this thread has spent blocked in `Atomics.wait` so far. */
  total: number;
}

type Wait = typeof Atomics.wait;
type WaitableArray = Int32Array | BigInt64Array;

export function patchAtomicsWait(trace: ThreadTrace, labels: SharedBufferLabels, ignored: ReadonlySet<SharedArrayBuffer>): BlockedTime {
  const blocked: BlockedTime = { total: 0 };
  const original: Wait = Atomics.wait;
  const describe = (array: WaitableArray, index: number): { lock: string; name: string } | null => {
    const buffer = array.buffer;
    if (!(buffer instanceof SharedArrayBuffer) || ignored.has(buffer)) return null;
    const slot = array.byteOffset / array.BYTES_PER_ELEMENT + index;
    const label = labels.labelOf(buffer);
    return { lock: `${trace.pid}:L${label}.${slot}`, name: `buffer ${label}[${slot}]` };
  };
  const wait = function wait(array: WaitableArray, index: number, value: number | bigint, timeout?: number): ReturnType<Wait> {
    let lock: { lock: string; name: string } | null = null;
    try {
      if (trace.writer.active && Number(array instanceof BigInt64Array ? Atomics.load(array, index) : Atomics.load(array, index)) === Number(value)) lock = describe(array, index);
    } catch {
      lock = null;
    }
    if (lock === null || !trace.budget.allow('Atomics waits', nowMicros())) return Reflect.apply(original, Atomics, [array, index, value, timeout]) as ReturnType<Wait>;
    const start = nowMicros();
    trace.emit({ ph: 'B', cat: 'wait', name: `wait ${lock.name}`, ts: start, args: { ...lock, kind: 'Atomics.wait' } });
    trace.writer.flush();
    try {
      return Reflect.apply(original, Atomics, [array, index, value, timeout]) as ReturnType<Wait>;
    } finally {
      const end = nowMicros();
      blocked.total += end - start;
      trace.emit({ ph: 'E', cat: 'wait', name: `wait ${lock.name}`, ts: end });
    }
  } as Wait;
  Object.defineProperty(Atomics, 'wait', { value: wait, writable: true, configurable: true, enumerable: false });
  return blocked;
}
