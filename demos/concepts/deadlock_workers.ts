/**
 * Deadlock: two worker threads take the same two locks in opposite order. Each holds one
 * lock and waits for the other, forever; a timeout on the wait detects it. The locks are
 * built on a SharedArrayBuffer with `Atomics.compareExchange` and `Atomics.wait`
 * (atomic-lock.ts).
 * Runtime: worker. Exits with code 1 when the deadlock is detected.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { acquire, release } from './atomic-lock.ts';

interface TransferData {
  readonly role: 'transfer';
  readonly name: string;
  readonly order: readonly [number, number];
  readonly shared: SharedArrayBuffer;
}

interface Outcome {
  readonly name: string;
  readonly holding: number;
  readonly timedOutOn: number | null;
}

const LOCK_NAMES = ['A', 'B'];
const HOLDING = 2; // slot counting the workers that hold their first lock
const WAIT_MS = 1000;

/** Both workers meet here, each one's `arrivals`-th time. */
function meet(locks: Int32Array, arrivals: number): void {
  Atomics.add(locks, HOLDING, 1);
  Atomics.notify(locks, HOLDING);
  for (let n = Atomics.load(locks, HOLDING); n < 2 * arrivals; n = Atomics.load(locks, HOLDING)) Atomics.wait(locks, HOLDING, n);
}

/** So the unlucky interleaving happens on every run. */
const bothHoldOneLock = (locks: Int32Array): void => meet(locks, 1);

const data = workerData as TransferData | undefined;

if (data?.role === 'transfer') {
  const locks = new Int32Array(data.shared);
  const [first, second] = data.order;
  // #region deadlock
  acquire(locks, first);
  bothHoldOneLock(locks); // each holds one
  // ... and waits for the other (1 s timeout)
  const ok = acquire(locks, second, WAIT_MS);
  // #endregion
  meet(locks, 2); // both have given up (or got through) before anyone lets go
  if (ok) release(locks, second);
  release(locks, first);
  parentPort?.postMessage({ name: data.name, holding: first, timedOutOn: ok ? null : second } satisfies Outcome);
} else {
  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const start = (name: string, order: readonly [number, number]): Promise<Outcome> => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'transfer', name, order, shared } satisfies TransferData });
    console.log(`worker ${name} takes lock ${LOCK_NAMES[order[0]]}, then lock ${LOCK_NAMES[order[1]]}`);
    return new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
  };
  const outcomes = await Promise.all([start('1', [0, 1]), start('2', [1, 0])]);
  const stuck = outcomes.filter((o) => o.timedOutOn !== null);
  if (stuck.length > 0) console.log(`stuck, each waited ${WAIT_MS.toLocaleString('en')} ms:`);
  for (const o of stuck) {
    console.log(`  worker ${o.name} holds lock ${LOCK_NAMES[o.holding]}, waits for lock ${LOCK_NAMES[o.timedOutOn ?? 0]}`);
  }
  const line = `workers stuck: ${stuck.length}`;
  if (stuck.length > 0) {
    console.log('\x1b[31mdeadlock detected\x1b[0m');
    process.exitCode = 1;
  } else {
    console.log('no deadlock');
  }
  // OSC 7770 marks the punchline for the slide's strip.
  console.log(`\x1b]7770;${line}\x07${line}`);
}
