/**
 * An event between threads (Python's threading.Event): worker threads block until one
 * thread sets a shared flag. Built on a SharedArrayBuffer: `Atomics.wait` sleeps while
 * the flag is 0, `Atomics.notify` wakes every sleeper at once.
 * Runtime: worker.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';

const WORKERS = 4;
const SET_AFTER_MS = 300;

class SharedEvent {
  readonly flag: Int32Array;
  constructor(buffer = new SharedArrayBuffer(4)) {
    this.flag = new Int32Array(buffer);
  }
  // #region event
  set(): number {
    Atomics.store(this.flag, 0, 1);
    return Atomics.notify(this.flag, 0); // wakes them all
  }
  wait(): void {
    while (Atomics.load(this.flag, 0) === 0) {
      Atomics.wait(this.flag, 0, 0); // sleeps while 0: no CPU
    }
  }
  // #endregion
}

interface WaiterData {
  readonly role: 'waiter';
  readonly buffer: SharedArrayBuffer;
}

const data = workerData as WaiterData | undefined;

if (data?.role === 'waiter') {
  const started = new SharedEvent(data.buffer);
  parentPort?.postMessage('waiting');
  started.wait();
  parentPort?.postMessage(performance.timeOrigin + performance.now()); // when it woke
} else {
  const started = new SharedEvent();
  const workers = Array.from({ length: WORKERS }, () => new Worker(new URL(import.meta.url), { workerData: { role: 'waiter', buffer: started.flag.buffer as SharedArrayBuffer } satisfies WaiterData }));
  const next = (w: Worker): Promise<unknown> => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
  await Promise.all(workers.map(next));
  const woke = workers.map(next);
  await new Promise((resolve) => setTimeout(resolve, SET_AFTER_MS)); // all block meanwhile
  console.log(`workers waiting on the event: ${WORKERS}`);
  const setAt = performance.timeOrigin + performance.now();
  const notified = started.set();
  const delays = (await Promise.all(woke)).map((t) => Number(t) - setAt);
  console.log(`woken by one set(): ${notified}`);
  console.log(`woke after set(): ${delays.map((d) => `${d.toFixed(1)} ms`).join(', ')}`);
  console.log(`released: ${delays.filter((d) => d >= 0).length}`);
  console.log(`released before set(): ${delays.filter((d) => d < 0).length}`);
}
