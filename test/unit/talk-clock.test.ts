import { describe, expect, it } from 'vitest';
import { TalkClock } from '../../server/talk/talk-clock.ts';

/** A clock whose time moves only when the test says so. */
function fakeTime(start = 1_000_000): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; }, set: (ms) => { t = ms; } };
}

describe('TalkClock', () => {
  it('is empty before the first slide', () => {
    const time = fakeTime();
    const clock = new TalkClock(time.now);
    time.advance(5_000);
    expect(clock.current).toBeNull();
    expect(clock.startedAt).toBeNull();
    expect(clock.elapsedMs()).toBe(0);
    expect(clock.spentMs()).toEqual({});
    expect(clock.snapshot()).toEqual({ startedAt: null, elapsedMs: 0, current: null, spentMs: {} });
  });

  it('counts each stay on its slide, the current one up to now', () => {
    const time = fakeTime();
    const clock = new TalkClock(time.now);
    clock.moveTo('intro');
    time.advance(3_000);
    clock.moveTo('threads');
    time.advance(10_000);
    expect(clock.current).toBe('threads');
    expect(clock.startedAt).toBe(1_000_000);
    expect(clock.spentMs()).toEqual({ intro: 3_000, threads: 10_000 });
    expect(clock.elapsedMs()).toBe(13_000);
  });

  it('adds up returns to a slide', () => {
    const time = fakeTime();
    const clock = new TalkClock(time.now);
    clock.moveTo('a');
    time.advance(1_000);
    clock.moveTo('b');
    time.advance(2_000);
    clock.moveTo('a');
    time.advance(4_000);
    expect(clock.spentMs()).toEqual({ a: 5_000, b: 2_000 });
  });

  it('treats a repeat of the current slide (a fragment step) as nothing', () => {
    const time = fakeTime();
    const clock = new TalkClock(time.now);
    clock.moveTo('a');
    time.advance(1_000);
    clock.moveTo('a');
    time.advance(1_000);
    clock.moveTo('a');
    expect(clock.spentMs()).toEqual({ a: 2_000 });
    expect(clock.startedAt).toBe(1_000_000);
  });

  it('never counts negative time when the wall clock steps back', () => {
    const time = fakeTime();
    const clock = new TalkClock(time.now);
    clock.moveTo('a');
    time.advance(2_000);
    clock.moveTo('b');
    time.set(0);
    expect(clock.spentMs()).toEqual({ a: 2_000, b: 0 });
    expect(clock.elapsedMs()).toBe(0);
  });

  it('keeps runs, cleaning impossible durations', () => {
    const clock = new TalkClock(fakeTime().now);
    clock.recordRun({ demo: 'race.py', slide: 'a', durationMs: 1_200, reason: 'exit' });
    clock.recordRun({ demo: 'race.py', slide: null, durationMs: -5, reason: 'stopped' });
    clock.recordRun({ demo: 'x.ts', slide: 'b', durationMs: Number.NaN, reason: 'limit' });
    expect(clock.runs()).toEqual([
      { demo: 'race.py', slide: 'a', durationMs: 1_200, reason: 'exit' },
      { demo: 'race.py', slide: null, durationMs: 0, reason: 'stopped' },
      { demo: 'x.ts', slide: 'b', durationMs: 0, reason: 'limit' },
    ]);
    const copy = clock.runs();
    copy.pop();
    expect(clock.runs()).toHaveLength(3);
  });

  it('snapshots as plain JSON from a single reading', () => {
    const time = fakeTime();
    let readings = 0;
    const clock = new TalkClock(() => { readings += 1; return time.now(); });
    clock.moveTo('a');
    time.advance(1_500);
    readings = 0;
    const snapshot = clock.snapshot();
    expect(readings).toBe(1);
    expect(snapshot).toEqual({ startedAt: 1_000_000, elapsedMs: 1_500, current: 'a', spentMs: { a: 1_500 } });
    expect(JSON.parse(JSON.stringify(clock))).toEqual(snapshot);
  });

  it('forgets everything on reset and starts again at the next slide', () => {
    const time = fakeTime();
    const clock = new TalkClock(time.now);
    clock.moveTo('a');
    clock.recordRun({ demo: 'd', slide: 'a', durationMs: 1, reason: 'exit' });
    time.advance(1_000);
    clock.reset();
    expect(clock.snapshot()).toEqual({ startedAt: null, elapsedMs: 0, current: null, spentMs: {} });
    expect(clock.runs()).toEqual([]);
    time.advance(1_000);
    clock.moveTo('a');
    time.advance(500);
    expect(clock.startedAt).toBe(1_002_000);
    expect(clock.spentMs()).toEqual({ a: 500 });
  });

  it('uses Date.now by default', () => {
    const clock = new TalkClock();
    const before = Date.now();
    clock.moveTo('a');
    expect(clock.startedAt).toBeGreaterThanOrEqual(before);
    expect(clock.startedAt).toBeLessThanOrEqual(Date.now());
  });
});
