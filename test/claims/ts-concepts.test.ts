/**
 * Claims of the "concepts" section, checked on the TypeScript demos in the real worker
 * runtime: atomicity (lost updates vs Atomics) and deadlocks (opposite lock order vs one
 * global order).
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';

describe('concepts (TypeScript, worker threads)', () => {
  it('plain view[0]++ from several workers loses updates', async () => {
    const result = await runDemo('worker', 'concepts/lost_updates_workers.ts');
    expectFitsSlide(result);
    console.log(`lost updates (view[0]++): ${figure(result, 'lost updates')} of ${figure(result, 'expected')}`);
    expect(result.exit.code).toBe(0);
    expect(figure(result, 'lost updates')).toBeGreaterThan(0);
    expect(figure(result, 'counter') + figure(result, 'lost updates')).toBe(figure(result, 'expected'));
  });

  it('Atomics.add from the same workers loses no update', async () => {
    const result = await runDemo('worker', 'concepts/atomics_workers.ts');
    expectFitsSlide(result);
    expect(result.exit.code).toBe(0);
    expect(figure(result, 'lost updates')).toBe(0);
    expect(figure(result, 'counter')).toBe(figure(result, 'expected'));
  });

  it('two workers taking two locks in opposite order deadlock, and the timeout detects it (exit 1)', async () => {
    const result = await runDemo('worker', 'concepts/deadlock_workers.ts');
    expectFitsSlide(result);
    expect(result.text).toContain('deadlock detected');
    expect(figure(result, 'workers stuck')).toBeGreaterThanOrEqual(1);
    expect(result.exit).toEqual({ code: 1, signal: null });
  });

  it('taking the locks in one global order never deadlocks (exit 0)', async () => {
    const result = await runDemo('worker', 'concepts/lock_ordering_workers.ts');
    expectFitsSlide(result);
    expect(result.text).not.toContain('deadlock detected');
    expect(figure(result, 'rounds')).toBeGreaterThan(0);
    expect(figure(result, 'lock timeouts')).toBe(0);
    expect(result.exit).toEqual({ code: 0, signal: null });
  });
});
