/**
 * Blocking the event loop: a ticker fires every 100 ms. One second of CPU work on the
 * event loop's own thread stops every tick until it is done; the same work in a worker
 * thread leaves the ticker on time.
 * Runtime: process.
 */
import { once } from 'node:events';
import { Worker, parentPort, workerData } from 'node:worker_threads';

const TICK_MS = 100;
const thisFile = new URL(import.meta.url); // the worker runs this same file
const WORK_MS = 1000;

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // burn CPU: a stand-in for parsing, hashing, image resizing, …
  }
}

/** Runs `phase` with the ticker going, and returns the longest gap between two ticks. */
async function withTicker(label: string, phase: () => Promise<void> | void): Promise<number> {
  process.stdout.write(`${label.padEnd(24)}`);
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    last = now;
    longest = Math.max(longest, gap);
    process.stdout.write(gap > 1.5 * TICK_MS ? ` ${gap.toFixed(0)} ms ` : '.');
  }, TICK_MS);
  await new Promise((resolve) => setTimeout(resolve, 3 * TICK_MS));
  await phase();
  await new Promise((resolve) => setTimeout(resolve, 3 * TICK_MS));
  clearInterval(ticker);
  process.stdout.write('\n');
  return longest;
}

const data = workerData as { role: 'busy' } | undefined;

if (data?.role === 'busy') {
  busyWait(WORK_MS);
  parentPort?.postMessage('done');
} else {
  const onLoop = await withTicker('work on the event loop', () => {
    // #region blocking
    busyWait(WORK_MS); // the ticker cannot fire until this returns
    // #endregion
  });
  const inWorker = await withTicker('work in a worker', async () => {
    // #region worker
    const worker = new Worker(thisFile, {
      workerData: { role: 'busy' }, // runs busyWait there
    });
    await once(worker, 'message'); // the loop stays free
    // #endregion
  });
  console.log(`ticker every ${TICK_MS} ms, ${WORK_MS} ms of CPU work`);
  console.log(`longest tick gap, same thread: ${onLoop.toFixed(0)} ms`);
  console.log(`longest tick gap, worker thread: ${inWorker.toFixed(0)} ms`);
}
