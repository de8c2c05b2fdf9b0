/**
 * Claims of the "concepts" section on the TypeScript variants, in the real worker runtime:
 * `view[0]++` on shared memory from worker threads loses updates, `Atomics.add` does not,
 * and two workers taking two locks in opposite order deadlock (detected by a timeout, exit 1).
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';

describe('concepts (TypeScript, worker threads)', () => {
  it('plain view[0]++ from several workers loses updates', async () => {
    const result = await runDemo('worker', 'concepts/lost_updates_workers.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    console.log(`lost updates (view[0]++): ${figure(result, 'lost updates')} of ${figure(result, 'expected')}`);
    expect(figure(result, 'lost updates')).toBeGreaterThan(0);
    expect(figure(result, 'counter') + figure(result, 'lost updates')).toBe(figure(result, 'expected'));
    expect(result.raw).toContain('\x1b]7770;lost updates: ');
  });

  it('Atomics.add from the same workers loses no update', async () => {
    const result = await runDemo('worker', 'concepts/atomics_workers.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    expect(figure(result, 'lost updates')).toBe(0);
    expect(figure(result, 'counter')).toBe(figure(result, 'expected'));
  });

  it('two workers taking two locks in opposite order deadlock, and the timeout detects it (exit 1)', async () => {
    const result = await runDemo('worker', 'concepts/deadlock_workers.ts');
    expect(result.exit).toEqual({ code: 1, signal: null });
    expectFitsSlide(result);
    expect(result.text).toContain('worker 1 holds lock A, waits for lock B');
    expect(result.text).toContain('worker 2 holds lock B, waits for lock A');
    expect(result.text).toContain('deadlock detected');
    expect(figure(result, 'workers stuck')).toBe(2);
  });
});
