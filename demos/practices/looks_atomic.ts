/**
 * `account.balance += 1` looks like one step. Through a getter and a setter it is a read,
 * an addition and a write, each atomic on its own (Atomics.load, Atomics.store), and
 * worker threads on other cores write in between: updates get lost. The fix hides the
 * state behind an API that does the whole read-modify-write as one atomic step.
 * Runtime: worker.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';

const WORKERS = 4;
const DEPOSITS = 1_000_000;
const START = 1; // slot of the start flag: every worker begins at once

type Way = 'balance += 1' | 'deposit(1)';
interface Job {
  readonly way: Way;
  readonly shared: SharedArrayBuffer;
}

const job = workerData as Job | undefined;
/** The balance (slot 0) and the start flag, in memory all threads share; the main thread reads it at the end. */
const cell = new Int32Array(job?.shared ?? new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));

// #region account
class Account {
  get balance(): number { // looks like data
    return Atomics.load(cell, 0);
  }
  set balance(value: number) { // runs code
    Atomics.store(cell, 0, value);
  }
  deposit(amount: number): void { // 1 step
    Atomics.add(cell, 0, amount);
  }
}
const addOne = (account: Account): void => {
  account.balance += 1; // read, add, write
};
// #endregion

if (job) {
  const account = new Account();
  parentPort?.postMessage('ready');
  Atomics.wait(cell, START, 0);
  for (let i = 0; i < DEPOSITS; i++) {
    if (job.way === 'balance += 1') addOne(account);
    else account.deposit(1);
  }
} else {
  /** Runs DEPOSITS deposits in each of WORKERS worker threads at once; returns the updates lost. */
  async function hammer(way: Way): Promise<number> {
    Atomics.store(cell, 0, 0);
    Atomics.store(cell, START, 0);
    const shared = cell.buffer as SharedArrayBuffer;
    const workers = Array.from({ length: WORKERS }, () => new Worker(new URL(import.meta.url), { workerData: { way, shared } satisfies Job }));
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    Atomics.store(cell, START, 1);
    Atomics.notify(cell, START);
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
    return WORKERS * DEPOSITS - new Account().balance;
  }

  const [red, green, reset] = ['\x1b[31m', '\x1b[32m', '\x1b[0m'];
  const n = (value: number): string => value.toLocaleString('en-US');
  console.log(`${WORKERS} worker threads x ${n(DEPOSITS)} deposits`);
  console.log(`expected balance: ${n(WORKERS * DEPOSITS)}`);
  console.log();
  const racy = await hammer('balance += 1');
  const line = `lost by balance += 1: ${n(racy)}`;
  console.log(`\x1b]7770;${line}\x07${racy > 0 ? red : green}${line}${reset}`);
  const safe = await hammer('deposit(1)');
  console.log(`${safe > 0 ? red : green}lost by deposit(1): ${n(safe)}${reset}`);
}
