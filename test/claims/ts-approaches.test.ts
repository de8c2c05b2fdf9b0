/**
 * Claims of the "approaches" section on the TypeScript demos: worker threads speed up
 * CPU-bound work, the event loop overlaps I/O waits, and CPU work on the event loop
 * blocks it while the same work in a worker does not.
 *
 * Timing claims depend on a machine that other programs share: a demo measures best-of-3
 * itself, and a test runs it again (at most three times) only when a figure misses, logging
 * every figure it saw.
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';
import type { DemoResult } from '../helpers/run-demo.ts';
import { checkSpeedUp } from '../helpers/speed-up.ts';

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
    expectFitsSlide(result);
    expect(result.text).not.toContain('mismatch');
  });

  it('concurrent I/O waits on one event loop take about as long as one wait', async () => {
    const { result, figures } = await measure('worker', 'approaches/io_bound_event_loop.ts', ['speed-up', 'concurrent'], ([s]) => (s ?? 0) >= 4);
    expectFitsSlide(result);
    expect(result.exit.code).toBe(0);
    expect(result.text).toMatch(/\(10 answers\)[\s\S]*\(10 answers\)/);
    // 10 requests of 150 ms each: sequential ~1500 ms, concurrent ~one wait.
    expect(figures[0]).toBeGreaterThanOrEqual(4);
    expect(figures[1]).toBeLessThan(3 * 150);
  });

  it('CPU work on the event loop stops the ticker; the same work in a worker does not', async () => {
    const labels = ['longest tick gap, same thread', 'longest tick gap, worker thread'];
    const { result, figures } = await measure('process', 'approaches/blocking_event_loop.ts', labels, ([same, worker]) => (same ?? 0) >= 950 && (worker ?? Infinity) <= 250);
    expectFitsSlide(result);
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(figures[0]).toBeGreaterThanOrEqual(950); // the whole 1000 ms busy-wait, minus timer slack
    expect(figures[1]).toBeLessThanOrEqual(250); // the 100 ms ticker stays about on time
  });
});
