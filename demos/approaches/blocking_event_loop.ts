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
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const RESET = '\x1b[0m';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // burn CPU: a stand-in for parsing, hashing, image resizing, …
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `phase` with the ticker going, prints the row of ticks and returns the longest gap between two ticks. */
async function besideTicker(label: string, phase: () => Promise<void> | void): Promise<number> {
  process.stdout.write(`${label}:`.padEnd(15));
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    last = now;
    longest = Math.max(longest, gap);
    process.stdout.write(gap > 1.5 * TICK_MS ? ` ${gap.toLocaleString('en', { maximumFractionDigits: 0 })} ms ` : '.');
  }, TICK_MS);
  await sleep(2.5 * TICK_MS);
  await phase();
  await sleep(2.5 * TICK_MS);
  clearInterval(ticker);
  process.stdout.write('\n');
  return longest;
}

const data = workerData as { role: 'busy' } | undefined;

if (data?.role === 'busy') {
  busyWait(1000);
  parentPort?.postMessage('done');
} else {
  console.log('a ticker every 100 ms; 1 s of CPU work');
  console.log('(max gap: the longest between two ticks)');
  // #region blocking
  function onLoop(): void {
    busyWait(1000); // the loop stands still
  }

  async function inWorker(): Promise<void> {
    const worker = new Worker(thisFile,
      { workerData: { role: 'busy' } });
    await once(worker, 'message');
  }

  const stalled = await besideTicker(
    'same thread', onLoop);
  const free = await besideTicker(
    'worker thread', inWorker);
  // #endregion
  for (const [label, gap] of [['same thread', stalled], ['worker thread', free]] as const) {
    const line = `max gap, ${label}: ${gap.toLocaleString('en', { maximumFractionDigits: 0 })} ms`;
    const colour = gap >= 3 * TICK_MS ? RED : GREEN;
    // OSC 7770 marks the punchline (the stalled loop) for the slide's strip.
    const mark = label === 'same thread' ? `\x1b]7770;${line}\x07` : '';
    console.log(`${mark}${colour}${line}${RESET}`);
  }
}
