/**
 * Deadlock avoided by lock ordering: the same two workers and two locks as
 * deadlock_workers.ts, but every worker takes the locks in one global order (lowest
 * number first). No cycle of waits can form, so no run ever hangs.
 * Runtime: worker. Exits with code 0; code 1 if a lock wait ever timed out.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { acquire, release } from './atomic-lock.ts';

interface TransferData {
  readonly role: 'transfer';
  readonly wants: readonly [number, number];
  readonly shared: SharedArrayBuffer;
}

const LOCK_NAMES = ['A', 'B'];
const START = 2; // slot of the start flag
const ROUNDS = 20_000;
const WAIT_MS = 1000;

const data = workerData as TransferData | undefined;

if (data?.role === 'transfer') {
  const locks = new Int32Array(data.shared);
  parentPort?.postMessage('ready');
  Atomics.wait(locks, START, 0);
  let timeouts = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // #region ordering
    const [a, b] = data.wants;
    // one global order: A before B
    const [first, second] = a < b ? [a, b] : [b, a];
    if (!acquire(locks, first, WAIT_MS)) {
      timeouts++;
      continue;
    }
    if (acquire(locks, second, WAIT_MS)) release(locks, second);
    else timeouts++;
    release(locks, first);
    // #endregion
  }
  parentPort?.postMessage(timeouts);
} else {
  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const view = new Int32Array(shared);
  const start = (name: string, wants: readonly [number, number]): Worker => {
    console.log(`worker ${name} needs lock ${LOCK_NAMES[wants[0]]} and lock ${LOCK_NAMES[wants[1]]}: takes lock A first`);
    return new Worker(new URL(import.meta.url), { workerData: { role: 'transfer', wants, shared } satisfies TransferData });
  };
  const workers = [start('1', [0, 1]), start('2', [1, 0])];
  const next = (w: Worker): Promise<number | string> => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
  await Promise.all(workers.map(next));
  const results = workers.map(next);
  Atomics.store(view, START, 1);
  Atomics.notify(view, START);
  const timeouts = (await Promise.all(results)).reduce<number>((sum, t) => sum + Number(t), 0);
  console.log(`rounds: ${workers.length * ROUNDS} (both locks each round)`);
  console.log(`lock timeouts: ${timeouts}`);
  if (timeouts > 0) {
    console.log('deadlock detected');
    process.exitCode = 1;
  } else {
    console.log('deadlocks: 0');
  }
}
