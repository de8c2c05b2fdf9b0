/**
 * The event loop's counterpart of asyncio's TaskGroup with a timeout: one AbortSignal
 * with a deadline, handed to every await that may wait; at the deadline every job still
 * waiting is cancelled (its await rejects with an AbortError), and Promise.allSettled
 * waits until every job has finished, as the TaskGroup does. Node has no structured
 * concurrency of its own: a job that is not given the signal keeps running.
 * Runtime: worker.
 */
import { setTimeout as sleep } from 'node:timers/promises';

type Job = readonly [name: string, ms: number];
const JOBS: readonly Job[] = [['mirror-a', 100], ['mirror-b', 300], ['mirror-c', 800], ['mirror-d', 2000]];
let started = performance.now();

function say(text: string): void {
  console.log(`  ${((performance.now() - started) / 1000).toFixed(2)} s  ${text}`);
}

console.log(`${JOBS.length} downloads, one deadline: 500 ms`);
started = performance.now();
// #region group
const signal = AbortSignal.timeout(500);

async function get([name, ms]: Job) {
  try {
    await sleep(ms, null, { signal });
    say(`${name}: done`);
  } catch (error) { // AbortError: cancelled
    say(`${name}: cancelled`);
    throw error;
  }
}

const jobs = JOBS.map(get); // start all
await Promise.allSettled(jobs); // all end
// #endregion
const results = await Promise.allSettled(jobs); // settled already: what became of each
const reason: unknown = signal.reason;
const name = reason instanceof Error ? reason.name : String(reason);
const line = `${name} after ${((performance.now() - started) / 1000).toFixed(2)} s`;
console.log(`\x1b]7770;${line}\x07\x1b[33m${line}\x1b[0m`);
const cancelled = results.filter((r) => r.status === 'rejected').length;
console.log(`done: ${JOBS.length - cancelled}, cancelled: ${cancelled}`);
