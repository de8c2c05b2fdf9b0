/**
 * A worker pool (like concurrent.futures.ProcessPoolExecutor): K worker threads started
 * once, a queue of tasks, and `run(task)` returning a Promise of the result. Here the
 * tasks are CPU-bound (count primes in a range), so the pool also speeds them up.
 * Runtime: worker.
 */
import { availableParallelism } from 'node:os';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { bestOf } from '../support/best-of.ts';

const K = Math.max(2, Math.min(4, availableParallelism()));
const TASKS = 12;
const SPAN = 250_000;
const REPEAT = 3; // best of 3, like timeit

interface Task {
  readonly from: number;
  readonly to: number;
}

function countPrimes({ from, to }: Task): number {
  let count = 0;
  for (let n = Math.max(2, from); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
    if (prime) count++;
  }
  return count;
}

const thisFile = new URL(import.meta.url); // workers run this same file

interface Job {
  readonly task: Task;
  readonly resolve: (count: number) => void;
}

class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.idle.push(new Worker(thisFile, { workerData: 'pool' }));
  }
  // #region pool
  run(task: Task): Promise<number> {
    return new Promise((resolve) => {
      this.queue.push({ task, resolve });
      this.next();
    });
  }
  private next(): void {
    if (!this.idle.length || !this.queue.length) return;
    const worker = this.idle.pop() as Worker;
    const job = this.queue.shift() as Job;
    worker.once('message', (result: number) => {
      job.resolve(result);
      this.idle.push(worker);
      this.next();
    });
    worker.postMessage(job.task);
  }
  // #endregion
  async close(): Promise<void> {
    await Promise.all(this.idle.map((w) => w.terminate()));
  }
}

if (workerData === 'pool') {
  parentPort?.on('message', (task: Task) => parentPort?.postMessage(countPrimes(task)));
} else {
  const tasks: Task[] = Array.from({ length: TASKS }, (_, i) => ({ from: i * SPAN, to: (i + 1) * SPAN }));
  // #region use
  const pool = new WorkerPool(K); // K workers; tasks wait in the pool's queue
  const run = (): Promise<number[]> => Promise.all(tasks.map((t) => pool.run(t)));
  // #endregion
  const [oneThread, sequential, pooled, results] = await bestOf(REPEAT, () => tasks.map(countPrimes), run);
  await pool.close();

  console.log(`tasks: ${TASKS} (count primes in ${SPAN.toLocaleString('en')} numbers each)`);
  console.log(`workers: ${K}`);
  for (let i = 0; i < results.length; i += 6) {
    const label = i === 0 ? 'results:' : '';
    console.log(`${label.padEnd(8)} ${results.slice(i, i + 6).join(' ')}`);
  }
  console.log(`same results as one thread: ${results.every((r, i) => r === sequential[i]) ? 'yes' : 'no'}`);
  console.log(`one thread: ${(oneThread / 1000).toFixed(2)} s, pool: ${(pooled / 1000).toFixed(2)} s (best of ${REPEAT})`);
  console.log(`speed-up: ${(oneThread / pooled).toFixed(2)}`);
}
