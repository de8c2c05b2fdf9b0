/** The counter race's harness: WORKERS threads behind one barrier run an increment loop on a shared counter. */
import { Worker, parentPort, workerData } from 'node:worker_threads';

export const WORKERS = 4;
export const INCREMENTS = 10_000_000;

/** Slot of the counter in the shared Int32Array. */
export const COUNTER = 0;
const START = 1;
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const RESET = '\x1b[0m';

interface CounterData {
  readonly role: 'counter';
  readonly shared: SharedArrayBuffer;
}

/**
 * Run from the demo's top level (`file` is its `import.meta.url`). In a worker thread it
 * waits at the barrier, then runs `increment` on the shared view; in the main thread it
 * starts WORKERS workers on the same file, lifts the barrier and prints the counter,
 * naming the increment `label`.
 */
export async function raceCounter(file: string, label: string, increment: (view: Int32Array) => void): Promise<void> {
  const data = workerData as CounterData | undefined;

  if (data?.role === 'counter') {
    const view = new Int32Array(data.shared);
    parentPort?.postMessage('ready');
    Atomics.wait(view, START, 0); // the barrier: sleep until the start flag flips
    increment(view);
    return;
  }

  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const view = new Int32Array(shared);
  const workers = Array.from({ length: WORKERS }, () => new Worker(new URL(file), { workerData: { role: 'counter', shared } satisfies CounterData }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  Atomics.store(view, START, 1);
  Atomics.notify(view, START);
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));

  const expected = WORKERS * INCREMENTS;
  const counter = Atomics.load(view, COUNTER);
  const lost = expected - counter;
  const count = (n: number): string => n.toLocaleString('en');
  const punchline = `lost updates: ${count(lost)}`;
  console.log(`${WORKERS} worker threads, one shared Int32Array`);
  console.log(`each: ${count(INCREMENTS)} × ${label}`);
  console.log(`expected:     ${count(expected)}`);
  console.log(`counter:      ${count(counter)}`);
  // OSC 7770 marks the punchline for the slide's strip; the colour follows the result.
  console.log(`\x1b]7770;${punchline}\x07${lost > 0 ? RED : GREEN}${punchline}${RESET}`);
}
