/**
 * Claims of the "concepts" section, checked on the real CPython: lost updates that the
 * default switch interval hides and a forced one exposes, the lock that fixes them, and a
 * deadlock that is detected and ends with status 1. Each demo runs through the deck's own
 * runner and, with plain python3, on emulated machines (start method and core count).
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, MACHINES, runDemo, runPythonOn } from '../helpers/run-demo.ts';
import type { DemoResult } from '../helpers/run-demo.ts';
import { MIN_CAPACITY, parallelCapacity } from '../helpers/speed-up.ts';

/** Thread demos: the machines contract section 5 names (spawn and forkserver on 2 cores, fork on 1 and 8). */
const THREAD_MACHINES = MACHINES.filter(({ startMethod, cpus }) => (startMethod === 'fork' ? cpus === 1 || cpus === 8 : cpus === 2));

const RUNS: readonly [string, (demo: string) => Promise<DemoResult>][] = [
  ['the deck runner', (demo) => runDemo('python', demo)],
  ...THREAD_MACHINES.map(({ startMethod, cpus }): [string, (demo: string) => Promise<DemoResult>] => [`${startMethod}, ${cpus} cores`, (demo) => runPythonOn(demo, { startMethod, cpus })]),
];

describe.each(RUNS)('concepts (python), %s', (_, run) => {
  it('read-add-write from four threads: at 1 µs many updates are lost; at the default 5 ms usually none', async (ctx) => {
    const seen: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await run('concepts/lost_updates.py');
      expect(result.exit).toEqual({ code: 0, signal: null });
      expectFitsSlide(result);
      const expected = figure(result, 'expected');
      const atDefault = figure(result, 'lost at 5 ms');
      const forced = figure(result, 'lost at 1 µs');
      seen.push(`5 ms: ${atDefault}, 1 µs: ${forced}`);
      console.log(`lost updates of ${expected}, attempt ${attempt}: default 5 ms ${atDefault}, forced 1 µs ${forced}`);
      expect(expected).toBe(120_000);
      // The slide's words follow the figure: "this time" only when nothing was lost.
      expect(result.text.includes('(default, this time)')).toBe(atDefault === 0);
      expect(result.raw).toContain('\x1b]7770;lost at 1 µs:');
      // The slide's claim: nothing lost at the default interval, tens of thousands forced.
      if (atDefault === 0 && forced >= 10_000) return;
    }
    // A busy machine preempts a thread holding the GIL for longer than 5 ms, and then the
    // default interval loses updates too: "usually", not "always". Only a quiet machine decides.
    const capacity = await parallelCapacity();
    expect(capacity, `no run showed 0 at 5 ms and 10,000+ at 1 µs on a quiet machine: ${seen.join('; ')}`).toBeLessThan(MIN_CAPACITY);
    console.warn(`SKIPPED as inconclusive, the machine was busy (capacity ${capacity.toFixed(2)}): ${seen.join('; ')}`);
    ctx.skip();
  }, 60_000);

  it('the same threads under a lock lose no update, even at 1 µs', async () => {
    const result = await run('concepts/lost_updates_locked.py');
    expect(result.exit).toEqual({ code: 0, signal: null });
    expectFitsSlide(result);
    expect(figure(result, 'expected')).toBe(120_000);
    expect(figure(result, 'lost at 1 µs')).toBe(0);
    expect(result.raw).toContain('\x1b]7770;lost at 1 µs:');
  }, 60_000);

  it('two threads taking two locks in opposite order deadlock; the watchdog finds the cycle and exits 1; in one lock order two more threads finish', async () => {
    const result = await run('concepts/deadlock.py');
    expect(result.exit).toEqual({ code: 1, signal: null });
    expectFitsSlide(result);
    expect(result.text).toContain('A holds lock1, waits for lock2');
    expect(result.text).toContain('B holds lock2, waits for lock1');
    expect(result.text).toContain('deadlock: cycle A → B → A');
    // The fix: in one lock order, the two later threads both get both locks.
    const [deadlocked = '', fixed = ''] = result.text.split('deadlock: cycle');
    expect(deadlocked).not.toContain('got both locks');
    expect(fixed.match(/got both locks/g)).toHaveLength(2);
    expect(result.text).toContain('fix, one lock order: C and D finished');
    expect(figure(result, 'deadlocked threads')).toBe(2);
    expect(result.raw).toContain('\x1b]7770;deadlocked threads: 2');
  }, 30_000);
});
