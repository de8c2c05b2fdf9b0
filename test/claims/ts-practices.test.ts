/**
 * Claim of the "best practices" section on the TypeScript demo: a race that passes on a
 * quiet machine shows up under load, so "it works on my machine" proves little.
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, runDemo } from '../helpers/run-demo.ts';

describe('practices (TypeScript)', () => {
  it('a check-then-act race fails more often under load than on a quiet machine', async () => {
    const result = await runDemo('worker', 'practices/race_under_load.ts');
    expectFitsSlide(result);
    expect(result.exit.code).toBe(0);
    const quiet = /quiet: failures (\d+) of (\d+)/.exec(result.text);
    const loaded = /under load[^:]*: failures (\d+) of (\d+)/.exec(result.text);
    if (!quiet || !loaded) throw new Error(`no failure counts in the output:\n${result.text}`);
    const [f1, f2, rounds] = [Number(quiet[1]), Number(loaded[1]), Number(quiet[2])];
    console.log(`race: quiet ${f1} of ${rounds}, under load ${f2} of ${rounds}`);
    expect(Number(loaded[2])).toBe(rounds);
    expect(f2).toBeGreaterThan(f1);
    expect(f2).toBeGreaterThan(0);
  });
});
