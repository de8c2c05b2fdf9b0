/**
 * Worker threads are isolated like subinterpreters: each runs this module afresh, with its
 * own globals and heap, in parallel on its own thread. A module-level counter that every
 * worker bumps a million times stays the main thread's 0: nothing is shared unless it is
 * sent (a message, copied) or explicitly shared (a SharedArrayBuffer).
 * Runtime: worker.
 */
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { Worker, parentPort, workerData } from 'node:worker_threads';

const thisFile = new URL(import.meta.url); // the workers run this same file
const WORKERS = Math.min(4, availableParallelism());
const BUMPS = 1_000_000;

// #region isolates
let counter = 0; // one per thread

if (workerData === 'bump') {
  for (let i = 0; i < BUMPS; i++) counter++;
  parentPort?.postMessage(counter); // copy
} else {
  const workers = Array.from(
    { length: WORKERS },
    () => new Worker(thisFile,
      { workerData: 'bump' }));
  const replies = await Promise.all(
    workers.map((w) => once(w, 'message')));
  // #endregion
  console.log(`${WORKERS} worker threads, ${BUMPS.toLocaleString('en')} bumps each`);
  replies.forEach(([theirs], i) => console.log(`worker ${i + 1}: counter = ${Number(theirs).toLocaleString('en')}`));
  const line = `main thread: counter = ${counter}`;
  // OSC 7770 marks the punchline for the slide's strip.
  console.log(`\x1b]7770;${line}\x07${line}`);
}
