/**
 * Claims of the "concepts" section, checked on the real CPython: atomicity, race
 * conditions (lost updates) and deadlocks.
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';

describe('concepts (python)', () => {
  it('threads updating a shared counter without a lock lose updates', async () => {
    const result = await runDemo('python', 'concepts/lost_updates.py');
    console.log(`lost updates without a lock: ${figure(result, 'lost updates')} of ${figure(result, 'expected')}`);
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(figure(result, 'lost updates')).toBeGreaterThan(0);
    expect(figure(result, 'counted') + figure(result, 'lost updates')).toBe(figure(result, 'expected'));
    expectFitsSlide(result);
  });

  it('the same threads with a lock lose no update', async () => {
    const result = await runDemo('python', 'concepts/lost_updates_locked.py');
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(figure(result, 'lost updates')).toBe(0);
    expect(figure(result, 'counted')).toBe(figure(result, 'expected'));
    expectFitsSlide(result);
  });

  it('two threads taking two locks in opposite order deadlock, and the deadlock is detected (exit 1)', async () => {
    const result = await runDemo('python', 'concepts/deadlock.py');
    expect(result.exit.code).toBe(1);
    expect(result.text).toMatch(/deadlock detected/);
    expect(result.text).toMatch(/thread A holds lock1, waits for lock2/);
    expect(result.text).toMatch(/thread B holds lock2, waits for lock1/);
    expect(result.text).not.toMatch(/got both locks/);
    expect(figure(result, 'deadlocked threads')).toBe(2);
    expectFitsSlide(result);
  });

  it('taking the locks in one global order cannot deadlock: both threads finish (exit 0)', async () => {
    const result = await runDemo('python', 'concepts/deadlock_lock_ordering.py');
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(result.text).toMatch(/A: got both locks/);
    expect(result.text).toMatch(/B: got both locks/);
    expect(figure(result, 'deadlocked threads')).toBe(0);
    expectFitsSlide(result);
  });
});
