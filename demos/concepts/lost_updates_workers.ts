/**
 * Lost updates: several worker threads increment one shared counter with a plain
 * `view[0]++`, which is three steps (read, add, write). Increments that interleave
 * overwrite each other. All workers start together behind a barrier, so they overlap.
 * Runtime: worker.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';

const WORKERS = 4;
const INCREMENTS = 10_000_000;

interface CounterData {
  readonly role: 'counter';
  readonly shared: SharedArrayBuffer;
}

const COUNTER = 0;
const START = 1;

const data = workerData as CounterData | undefined;

if (data?.role === 'counter') {
  const view = new Int32Array(data.shared);
  parentPort?.postMessage('ready');
  Atomics.wait(view, START, 0); // the barrier: sleep until the start flag flips
  // #region increment
  for (let i = 0; i < INCREMENTS; i++) {
    view[COUNTER]!++; // read, add, write: others interleave
  }
  // #endregion
} else {
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const view = new Int32Array(shared);
  const workers = Array.from({ length: WORKERS }, () => new Worker(new URL(import.meta.url), { workerData: { role: 'counter', shared } satisfies CounterData }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  Atomics.store(view, START, 1);
  Atomics.notify(view, START);
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));

  const expected = WORKERS * INCREMENTS;
  const counter = Atomics.load(view, COUNTER);
  console.log(`${WORKERS} worker threads × ${INCREMENTS.toLocaleString('en')} × view[0]++`);
  console.log(`expected: ${expected}`);
  console.log(`counter: ${counter}`);
  console.log(`lost updates: ${expected - counter}`);
}
