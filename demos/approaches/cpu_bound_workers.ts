/**
 * CPU-bound work: count primes on one thread, then split the same work over K worker
 * threads (one per core). Unlike Python threads under the GIL, worker threads run
 * JavaScript in parallel, each with its own event loop and heap.
 * Runtime: worker.
 */
import { availableParallelism } from 'node:os';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { bestOf } from '../support/best-of.ts';

const LIMIT = 3_000_000; // count the primes below this
const REPEAT = 3; // best of 3, like timeit: other programs on the machine only ever slow a run down
const CHUNK = 10_000;
const thisFile = new URL(import.meta.url); // the workers run this same file
const K = Math.max(2, Math.min(4, availableParallelism()));

interface CountData {
  readonly role: 'count';
  readonly part: number;
  readonly parts: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Primes in chunks `part`, `part + parts`, `part + 2 * parts`, … so each part gets small and large numbers. */
function countPrimes(part: number, parts: number): number {
  let count = 0;
  for (let start = part * CHUNK; start < LIMIT; start += parts * CHUNK) {
    for (let n = start; n < Math.min(start + CHUNK, LIMIT); n++) if (isPrime(n)) count++;
  }
  return count;
}

const data = workerData as CountData | undefined;

if (data?.role === 'count') {
  parentPort?.postMessage(countPrimes(data.part, data.parts));
} else {
  const [oneThread, single, workers, counts] = await bestOf(
    REPEAT,
    () => countPrimes(0, 1),
    async () => {
      // #region workers
      const parts = Array.from({ length: K }, (_, part) => {
        const job: CountData = { role: 'count', part, parts: K };
        // runs countPrimes(part, K) in a thread of its own
        const worker = new Worker(thisFile, { workerData: job });
        return new Promise<number>((resolve) => {
          worker.once('message', resolve);
        });
      });
      return await Promise.all(parts); // K threads in parallel
      // #endregion
    },
  );
  console.log(`primes below ${LIMIT.toLocaleString('en')}: ${single}`);
  console.log(`one thread: ${(oneThread / 1000).toFixed(2)} s`);
  const total = counts.reduce((a, b) => a + b, 0);
  console.log(`${K} worker threads: ${(workers / 1000).toFixed(2)} s (counts ${counts.join(' + ')} = ${total})`);
  console.log(`(best of ${REPEAT} runs each, worker start-up included)`);
  console.log(`speed-up: ${(oneThread / workers).toFixed(2)}`);
  if (total !== single) {
    console.log('mismatch between the counts');
    process.exitCode = 1;
  }
}
