/**
 * CPU-bound work in Node: count primes on one thread, then split the same work over one
 * worker thread per core. Node has no GIL: each worker thread runs its own JavaScript
 * engine instance (its own heap and event loop), in parallel, like a Python process or
 * subinterpreter rather than a Python thread. Best of 3, worker start-up included; on one
 * core there is nothing to run in parallel, and the demo says so.
 * Runtime: worker.
 */
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { bestOf } from '../support/best-of.ts';

const LIMIT = 3_000_000; // count the primes below this
const REPEAT = 3; // best of 3, like timeit: other programs on the machine only ever slow a run down
const CHUNK = 10_000;
const thisFile = new URL(import.meta.url); // the workers run this same file
const CORES = availableParallelism();
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const GREEN = '\x1b[32m';
const RESET = '\x1b[0m';

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
      const runs: Promise<unknown[]>[] = [];
      for (let part = 0; part < CORES; part++) {
        const job: CountData =
          { role: 'count', part, parts: CORES };
        // countPrimes(part, CORES) over there
        const worker = new Worker(thisFile,
          { workerData: job });
        runs.push(once(worker, 'message'));
      }
      // every worker thread in parallel
      const done = await Promise.all(runs);
      // #endregion
      return done.map(([count]) => Number(count));
    },
  );
  const total = counts.reduce((a, b) => a + b, 0);
  const threads = CORES === 1 ? 'worker thread' : 'worker threads';
  console.log(`primes below ${LIMIT.toLocaleString('en')}: ${single.toLocaleString('en')}`);
  console.log(`1 thread:${' '.repeat(18)}${(oneThread / 1000).toFixed(2)} s`);
  console.log(`${`${CORES} ${threads}:`.padEnd(27)}${(workers / 1000).toFixed(2)} s`);
  console.log(`(best of ${REPEAT}, worker start-up included)`);
  const speedUp = oneThread / workers;
  const colour = speedUp >= 1.2 ? GREEN : speedUp >= 1 ? YELLOW : RED;
  const line = `speed-up: ${speedUp.toFixed(2)}×`;
  // OSC 7770 marks the punchline for the slide's strip; the colour follows the result.
  console.log(`\x1b]7770;${line}\x07${colour}${line}${RESET}`);
  if (CORES === 1) console.log('1 core: no parallelism to gain');
  if (total !== single) {
    console.log(`mismatch: the workers counted ${total.toLocaleString('en')}`);
    process.exitCode = 1;
  }
}
