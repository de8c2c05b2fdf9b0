/**
 * Claims of the "approaches" section on the TypeScript variants: worker threads (one per
 * core) speed up CPU-bound work, worker threads are isolated like subinterpreters (each
 * its own module state), and CPU work on the event loop stalls it while the same work in a
 * worker does not.
 *
 * Timing claims depend on a machine that other programs share: a test runs the demo again
 * (at most three times) only when a figure misses, logging every figure it saw.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';
import type { DemoResult } from '../helpers/run-demo.ts';
import { checkSpeedUp } from '../helpers/speed-up.ts';

async function measure(demo: string, labels: string[], good: (f: number[]) => boolean, attempts = 3): Promise<{ result: DemoResult; figures: number[] }> {
  let last: { result: DemoResult; figures: number[] } | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = await runDemo('process', demo);
    const figures = labels.map((label) => figure(result, label));
    console.log(`${demo} attempt ${attempt}: ${labels.map((l, i) => `${l}: ${figures[i]}`).join(', ')}`);
    last = { result, figures };
    if (result.exit.code !== 0 || good(figures)) break;
  }
  if (!last) throw new Error('no attempt');
  return last;
}

describe('approaches (TypeScript)', () => {
  it.skipIf(availableParallelism() < 2)('one worker thread per core speeds up CPU-bound work over one thread by at least 1.2x', async (ctx) => {
    const result = await checkSpeedUp(ctx, 'approaches/cpu_bound_workers.ts', 1.2);
    expectFitsSlide(result);
    expect(result.text).not.toContain('mismatch');
    expect(result.text).toContain(`${availableParallelism()} worker threads:`);
  }, 120_000);

  it('each worker thread has its own module state: the workers count, the main thread stays at 0', async () => {
    const result = await runDemo('worker', 'approaches/isolates.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    const workers = Math.min(4, availableParallelism());
    for (let i = 1; i <= workers; i++) expect(figure(result, `worker ${i}: counter`)).toBe(1_000_000);
    expect(figure(result, 'main thread: counter')).toBe(0);
  });

  it('CPU work on the event loop stops the ticker; the same work in a worker does not', async () => {
    const labels = ['max gap, same thread', 'max gap, worker thread'];
    const { result, figures } = await measure('approaches/blocking_event_loop.ts', labels, ([same, worker]) => (same ?? 0) >= 950 && (worker ?? Infinity) <= 250);
    expect(result.exit).toEqual({ code: 0, signal: null });
    expectFitsSlide(result);
    expect(figures[0]).toBeGreaterThanOrEqual(950); // the whole 1000 ms busy-wait, minus timer slack
    expect(figures[1]).toBeLessThanOrEqual(250); // the 100 ms ticker stays about on time
    expect(result.raw).toContain('\x1b]7770;max gap, same thread:');
  }, 60_000);
});
