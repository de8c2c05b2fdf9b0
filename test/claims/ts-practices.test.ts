/**
 * Claims of the "best practices" section on the TypeScript demos, in real worker threads:
 * a getter/setter pair of atomic operations still loses updates across threads while one
 * atomic read-modify-write behind an API loses none; a check-then-act race that a quiet run
 * hides shows under load (burner threads scaled to the cores); and on the event loop every
 * await yields, so a check-then-act across one oversells even when the value is at hand,
 * until a lock serializes it.
 */
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';

describe('best practices (TypeScript)', () => {
  it('`account.balance += 1` through an atomic getter and setter loses updates; deposit() with Atomics.add loses none', async () => {
    const result = await runDemo('worker', 'practices/looks_atomic.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    expect(figure(result, 'expected balance')).toBe(4_000_000);
    const racy = figure(result, 'lost by balance += 1');
    console.log(`getter/setter race: lost ${racy.toLocaleString('en-US')} of 4,000,000`);
    expect(racy).toBeGreaterThan(0);
    expect(figure(result, 'lost by deposit(1)')).toBe(0);
    expect(result.raw).toContain('\x1b]7770;lost by balance += 1: ');
  });

  it('a check-then-act race between worker threads shows under load far more than quiet', async () => {
    const result = await runDemo('worker', 'practices/race_under_load.ts', { timeoutMs: 60_000 });
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    const cores = availableParallelism();
    expect(result.text).toContain(`load: ${Math.min(3 * cores, 48)} busy threads, ${cores} core${cores > 1 ? 's' : ''}`);
    const quiet = figure(result, 'quiet run, sold twice');
    const loaded = figure(result, 'under load, sold twice');
    console.log(`race (TypeScript): quiet ${quiet} of 100, under load ${loaded} of 100`);
    expect(loaded).toBeGreaterThan(quiet);
    expect(loaded).toBeGreaterThan(0);
    expect(result.raw).toContain(`\x1b]7770;under load, sold twice: ${loaded} of 100\x07`);
  }, 90_000);

  it('on the event loop every await yields: a check-then-act across one oversells even with a warm cache; a lock fixes it', async () => {
    const result = await runDemo('worker', 'practices/async_check_then_act.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    expect(figure(result, 'warm cache (yields too)')).toBe(2);
    expect(figure(result, 'cold cache (yields)')).toBe(2);
    expect(figure(result, 'cold cache + lock')).toBe(1);
    expect(result.raw).toContain('\x1b]7770;warm cache (yields too): 2 sold\x07');
  });
});
