/**
 * A race that hides on a quiet machine: two threads book the last seat with
 * check-then-act. Thread 2 comes a little later, and on a quiet machine thread 1 is long
 * done by then, so the code "works". Under load (CPU burners on every core), thread 1 is
 * preempted between check and act now and then, and the seat is sold twice.
 * Runtime: worker.
 */
import { availableParallelism } from 'node:os';
import { Worker, parentPort, workerData } from 'node:worker_threads';

const ROUNDS = 100;
const WINDOW_US = 4000; // CPU work between check and act
const LATER_US = 6000; // thread 2 arrives this much after thread 1
const CORES = availableParallelism(); // the cores this process may use
const BURNERS = Math.min(3 * CORES, 48); // every core busy, on any laptop

// Slots of the shared Int32Array.
const SEATS = 0;
const ROUND = 1; // the round both bookers run; bumped by the coordinator
const DONE = 2; // bookers finished with this round
const SOLD = 3; // tickets sold this round
const STOP = 4; // burners stop when this is 1
const ARRIVED = 5; // thread 1 has arrived in this round

type Role = { readonly role: 'booker'; readonly delayUs: number; readonly shared: SharedArrayBuffer } | { readonly role: 'burner'; readonly shared: SharedArrayBuffer };

function spin(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end) {
    // CPU work: printing the ticket, talking to the payment service, …
  }
}

function bookLastSeat(mem: Int32Array): void {
  // #region book
  if (Atomics.load(mem, SEATS) > 0) { // check
    spin(WINDOW_US); // 4 ms of CPU work
    Atomics.sub(mem, SEATS, 1); // act: still?
    Atomics.add(mem, SOLD, 1);
  }
  // #endregion
}

const data = workerData as Role | undefined;

if (data?.role === 'booker') {
  const shared = new Int32Array(data.shared);
  parentPort?.postMessage('ready');
  for (let round = 1; round <= ROUNDS; round++) {
    while (Atomics.load(shared, ROUND) < round) Atomics.wait(shared, ROUND, round - 1);
    if (data.delayUs === 0) {
      Atomics.store(shared, ARRIVED, round);
      Atomics.notify(shared, ARRIVED);
    } else {
      while (Atomics.load(shared, ARRIVED) < round) Atomics.wait(shared, ARRIVED, round - 1);
      Atomics.wait(shared, STOP, 0, data.delayUs / 1000); // sleep: arrive later than thread 1
    }
    bookLastSeat(shared);
    Atomics.add(shared, DONE, 1);
    Atomics.notify(shared, DONE);
  }
} else if (data?.role === 'burner') {
  const shared = new Int32Array(data.shared);
  let x = 0;
  while (Atomics.load(shared, STOP) === 0) for (let i = 0; i < 10_000; i++) x = (x + i) % 7;
  parentPort?.postMessage(x);
} else {
  async function trial(load: boolean): Promise<number> {
    const buffer = new SharedArrayBuffer(6 * Int32Array.BYTES_PER_ELEMENT);
    const shared = new Int32Array(buffer);
    const start = (role: Role): Worker => new Worker(new URL(import.meta.url), { workerData: role });
    const burners = load ? Array.from({ length: BURNERS }, () => start({ role: 'burner', shared: buffer })) : [];
    const bookers = [0, LATER_US].map((delayUs) => start({ role: 'booker', delayUs, shared: buffer }));
    await Promise.all(bookers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    let failures = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      Atomics.store(shared, SEATS, 1);
      Atomics.store(shared, SOLD, 0);
      Atomics.store(shared, DONE, 0);
      Atomics.store(shared, ROUND, round);
      Atomics.notify(shared, ROUND);
      for (let done = 0; done < 2; done = Atomics.load(shared, DONE)) Atomics.wait(shared, DONE, done);
      if (Atomics.load(shared, SOLD) > 1) failures++;
    }
    Atomics.store(shared, STOP, 1);
    await Promise.all([...bookers, ...burners].map((w) => new Promise((resolve) => w.once('exit', resolve))));
    return failures;
  }
  function report(label: string, failures: number, punchline = false): void {
    const line = `${label}, sold twice: ${failures} of ${ROUNDS}`;
    const mark = punchline ? `\x1b]7770;${line}\x07` : '';
    console.log(`${mark}${failures > 0 ? '\x1b[31m' : '\x1b[32m'}${line}\x1b[0m`);
  }
  console.log(`${ROUNDS} rounds: 1 seat, 2 worker threads`);
  console.log(`book it ${LATER_US / 1000} ms apart. Is it sold twice?`);
  console.log();
  report('quiet run', await trial(false));
  console.log(`load: ${BURNERS} busy threads, ${CORES} core${CORES > 1 ? 's' : ''}`);
  const failures = await trial(true);
  report('under load', failures, true);
  if (failures === 0) console.log('not exposed this time: the race is there');
}
