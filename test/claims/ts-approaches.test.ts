/**
 * Claims of the "approaches" section on the TypeScript demos: worker threads speed up
 * CPU-bound work, the event loop overlaps I/O waits, and CPU work on the event loop
 * blocks it while the same work in a worker does not.
 *
 * Timing claims depend on a machine that other programs share: a demo measures best-of-3
 * itself, and a test runs it again (at most three times) only when a figure misses, logging
 * every figure it saw.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { figure, runDemo } from '../helpers/run-demo.ts';
import type { DemoResult } from '../helpers/run-demo.ts';

/**
 * How much faster two threads get through a fixed CPU job than one, measured with plain
 * eval workers outside any demo: about 2 on an idle two-core machine, about 1 when other
 * programs hold the cores. A speed-up claim cannot be checked when this is low.
 */
async function parallelCapacity(): Promise<number> {
  const job = `const { parentPort } = require('node:worker_threads');
let count = 0;
for (let n = 2; n < 1200000; n++) { let prime = true; for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; } if (prime) count++; }
parentPort.postMessage(count);`;
  const time = async (threads: number): Promise<number> => {
    const t = performance.now();
    await Promise.all(Array.from({ length: threads }, () => new Promise((resolve, reject) => new Worker(job, { eval: true }).once('message', resolve).once('error', reject))));
    return performance.now() - t;
  };
  const one = await time(1);
  return (2 * one) / (await time(2));
}

/**
 * Runs a speed-up demo until its figure reaches `min`, at most `attempts` times, and
 * measures the machine's parallel capacity just before and just after each run. A miss
 * while a spare core was there both before and after fails the test; misses while other
 * programs held the cores are inconclusive, and the test is skipped with a warning.
 */
async function checkSpeedUp(ctx: TestContext, demo: string, min: number, attempts = 4): Promise<DemoResult> {
  const misses: string[] = [];
  let decisive = false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const before = await parallelCapacity();
    const result = await runDemo('worker', demo);
    expect(result.exit.code).toBe(0);
    const speedUp = figure(result, 'speed-up');
    const after = await parallelCapacity();
    console.log(`${demo} attempt ${attempt}: speed-up ${speedUp}; parallel capacity of the machine before ${before.toFixed(2)}, after ${after.toFixed(2)}`);
    if (speedUp >= min) return result;
    misses.push(`speed-up ${speedUp} (capacity ${before.toFixed(2)} / ${after.toFixed(2)})`);
    if (before >= MIN_CAPACITY && after >= MIN_CAPACITY) decisive = true;
  }
  expect(decisive, `${demo}: ${misses.join('; ')}`).toBe(false);
  console.warn(`SKIPPED as inconclusive, the machine had no spare core: ${demo}: ${misses.join('; ')}`);
  ctx.skip();
  throw new Error('unreachable');
}

/** Two threads this much faster than one: a spare core was there for the demo to use. */
const MIN_CAPACITY = 1.7;

async function measure(runtime: 'worker' | 'process', demo: string, labels: string[], good: (f: number[]) => boolean, attempts = 3): Promise<{ result: DemoResult; figures: number[] }> {
  let last: { result: DemoResult; figures: number[] } | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = await runDemo(runtime, demo);
    const figures = labels.map((label) => figure(result, label));
    console.log(`${demo} attempt ${attempt}: ${labels.map((l, i) => `${l}: ${figures[i]}`).join(', ')}`);
    last = { result, figures };
    if (result.exit.code !== 0 || good(figures)) break;
  }
  if (!last) throw new Error('no attempt');
  return last;
}

describe('approaches (TypeScript)', () => {
  it('worker threads speed up CPU-bound work over one thread by at least 1.3x', async (ctx) => {
    const result = await checkSpeedUp(ctx, 'approaches/cpu_bound_workers.ts', 1.3);
    expect(result.text).not.toContain('mismatch');
  });

  it('concurrent I/O waits on one event loop take about as long as one wait', async () => {
    const { result, figures } = await measure('worker', 'approaches/io_bound_event_loop.ts', ['speed-up', 'concurrent'], ([s]) => (s ?? 0) >= 4);
    expect(result.exit.code).toBe(0);
    expect(result.text).toMatch(/\(10 answers\)[\s\S]*\(10 answers\)/);
    // 10 requests of 150 ms each: sequential ~1500 ms, concurrent ~one wait.
    expect(figures[0]).toBeGreaterThanOrEqual(4);
    expect(figures[1]).toBeLessThan(3 * 150);
  });

  it('CPU work on the event loop stops the ticker; the same work in a worker does not', async () => {
    const labels = ['longest tick gap, same thread', 'longest tick gap, worker thread'];
    const { result, figures } = await measure('process', 'approaches/blocking_event_loop.ts', labels, ([same, worker]) => (same ?? 0) >= 950 && (worker ?? Infinity) <= 250);
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(figures[0]).toBeGreaterThanOrEqual(950); // the whole 1000 ms busy-wait, minus timer slack
    expect(figures[1]).toBeLessThanOrEqual(250); // the 100 ms ticker stays about on time
  });
});
