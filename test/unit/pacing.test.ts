import { describe, expect, it } from 'vitest';
import type { Pacing } from '../../server/protocol.ts';
import {
  describePace,
  expectedElapsedMs,
  formatClock,
  formatDuration,
  liveTiming,
  planFromSlides,
  sectionRows,
  slideBudgets,
  summarizePacing,
} from '../../client/presenter/pacing.ts';
import type { SlideMark } from '../../client/presenter/pacing.ts';

const MIN = 60_000;

/** Three sections: intro (2 min, 2 slides), concepts (6 min, 3 slides), closing (no minutes, 1 slide). */
const SLIDES: SlideMark[] = [
  { id: 'intro', sectionTitle: 'Intro', sectionStart: true, minutes: 2 },
  { id: 'intro--me', sectionTitle: 'Intro', sectionStart: false, minutes: null },
  { id: 'concepts', sectionTitle: 'Concepts', sectionStart: true, minutes: 6 },
  { id: 'concepts--race', sectionTitle: 'Concepts', sectionStart: false, minutes: null },
  { id: 'concepts--lock', sectionTitle: 'Concepts', sectionStart: false, minutes: null },
  { id: 'closing', sectionTitle: 'Closing', sectionStart: true, minutes: null },
];
const PLAN = planFromSlides(SLIDES);

function pacing(fields: Partial<Pacing>): Pacing {
  return { elapsedMs: null, spentMs: {}, rehearsedMs: null, rehearsing: false, ...fields };
}

describe('planFromSlides', () => {
  it('groups slides into sections with their planned minutes', () => {
    expect(PLAN).toEqual([
      { title: 'Intro', minutes: 2, slides: ['intro', 'intro--me'] },
      { title: 'Concepts', minutes: 6, slides: ['concepts', 'concepts--race', 'concepts--lock'] },
      { title: 'Closing', minutes: null, slides: ['closing'] },
    ]);
  });

  it('starts a section where the title changes even without a start mark, and splits same-titled sections at a start', () => {
    const plan = planFromSlides([
      { id: 'a', sectionTitle: 'A', sectionStart: false, minutes: null },
      { id: 'b', sectionTitle: 'B', sectionStart: false, minutes: null },
      { id: 'b2', sectionTitle: 'B', sectionStart: true, minutes: 3 },
    ]);
    expect(plan.map((section) => section.slides)).toEqual([['a'], ['b'], ['b2']]);
  });

  it('is empty for no slides', () => {
    expect(planFromSlides([])).toEqual([]);
  });
});

describe('slideBudgets', () => {
  it('spreads each section\'s minutes evenly over its slides; a section without minutes plans nothing', () => {
    const budgets = slideBudgets(PLAN, null);
    expect(budgets.get('intro')).toBe(1 * MIN);
    expect(budgets.get('intro--me')).toBe(1 * MIN);
    expect(budgets.get('concepts--race')).toBe(2 * MIN);
    expect(budgets.get('closing')).toBe(0);
  });

  it('takes the last rehearsal\'s time per slide where it has one, the plan elsewhere', () => {
    const budgets = slideBudgets(PLAN, { intro: 30_000, 'concepts--race': 200_000, 'intro--me': Number.NaN });
    expect(budgets.get('intro')).toBe(30_000);
    expect(budgets.get('concepts--race')).toBe(200_000);
    expect(budgets.get('intro--me')).toBe(1 * MIN);
    expect(budgets.get('concepts')).toBe(2 * MIN);
  });
});

describe('expectedElapsedMs', () => {
  const budgets = slideBudgets(PLAN, null);

  it('is the planned time of every slide before the current one', () => {
    expect(expectedElapsedMs(PLAN, budgets, 'intro', 0)).toBe(0);
    expect(expectedElapsedMs(PLAN, budgets, 'concepts', 0)).toBe(2 * MIN);
    expect(expectedElapsedMs(PLAN, budgets, 'concepts--lock', 0)).toBe(6 * MIN);
    expect(expectedElapsedMs(PLAN, budgets, 'closing', 0)).toBe(8 * MIN);
  });

  it('counts time on the current slide up to its own budget, not beyond', () => {
    expect(expectedElapsedMs(PLAN, budgets, 'concepts', 90_000)).toBe(2 * MIN + 90_000);
    expect(expectedElapsedMs(PLAN, budgets, 'concepts', 5 * MIN)).toBe(4 * MIN);
    expect(expectedElapsedMs(PLAN, budgets, 'concepts', -5)).toBe(2 * MIN);
  });

  it('is null for a slide the plan does not know', () => {
    expect(expectedElapsedMs(PLAN, budgets, 'nowhere', 0)).toBeNull();
  });
});

describe('describePace', () => {
  it('says behind, ahead or on time, in words', () => {
    expect(describePace(5 * MIN + 80_000, 5 * MIN)).toEqual({ deltaMs: 80_000, state: 'behind', text: '1:20 behind' });
    expect(describePace(5 * MIN, 5 * MIN + 45_000)).toEqual({ deltaMs: -45_000, state: 'ahead', text: '0:45 ahead' });
    expect(describePace(5 * MIN + 9_000, 5 * MIN).state).toBe('on-time');
    expect(describePace(5 * MIN - 9_000, 5 * MIN).text).toBe('on time');
    expect(describePace(5 * MIN + 10_000, 5 * MIN).text).toBe('0:10 behind');
  });
});

describe('formatDuration and formatClock', () => {
  it('formats m:ss, h:mm:ss from an hour, rounding down to whole seconds', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(999)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(30 * MIN)).toBe('30:00');
    expect(formatDuration(3_600_000 + 62_000)).toBe('1:01:02');
    expect(formatDuration(-80_000)).toBe('-1:20');
    expect(formatDuration(Number.NaN)).toBe('–:––');
  });

  it('formats the wall clock as HH:MM', () => {
    expect(formatClock(new Date(2025, 0, 1, 9, 5, 59))).toBe('09:05');
    expect(formatClock(new Date(2025, 0, 1, 14, 30))).toBe('14:30');
  });
});

describe('sectionRows', () => {
  it('sums each section\'s slides, marks done/current/upcoming, and flags a section over its plan', () => {
    const rows = sectionRows(PLAN, { intro: 70_000, 'intro--me': 80_000, concepts: 30_000 }, 'concepts');
    expect(rows).toEqual([
      { title: 'Intro', plannedMs: 2 * MIN, spentMs: 150_000, state: 'done', over: true },
      { title: 'Concepts', plannedMs: 6 * MIN, spentMs: 30_000, state: 'current', over: false },
      { title: 'Closing', plannedMs: null, spentMs: 0, state: 'upcoming', over: false },
    ]);
  });

  it('has no current section when the slide is unknown', () => {
    expect(sectionRows(PLAN, {}, null).map((row) => row.state)).toEqual(['upcoming', 'upcoming', 'upcoming']);
  });
});

describe('liveTiming', () => {
  it('adds the time since the last message to the elapsed time and to the current slide', () => {
    const live = liveTiming(pacing({ elapsedMs: 60_000, spentMs: { intro: 60_000 } }), 3_000, 'intro');
    expect(live).toEqual({ elapsedMs: 63_000, spentMs: { intro: 63_000 } });
  });

  it('does not tick before the talk started, nor backwards', () => {
    expect(liveTiming(pacing({}), 3_000, 'intro')).toEqual({ elapsedMs: null, spentMs: {} });
    expect(liveTiming(pacing({ elapsedMs: 1_000, spentMs: {} }), -50, 'intro')).toEqual({ elapsedMs: 1_000, spentMs: { intro: 0 } });
    expect(liveTiming(null, 3_000, 'intro')).toEqual({ elapsedMs: null, spentMs: {} });
  });
});

describe('summarizePacing', () => {
  it('is ahead when the talk got here early, behind once the slide overruns its budget', () => {
    // 3:20 into the talk, just arrived on the second concepts slide, planned for 4:00: 0:40 ahead.
    const summary = summarizePacing(PLAN, pacing({ elapsedMs: 200_000, spentMs: { intro: 100_000, 'intro--me': 50_000, concepts: 50_000 } }), 0, 'concepts--race');
    expect(summary.expectedMs).toBe(4 * MIN);
    expect(summary.pace?.text).toBe('0:40 ahead');
    expect(summary.plannedTotalMs).toBe(8 * MIN);

    // 3 minutes later, still there: its 2 min budget used up and 1 min over, so 0:20 behind.
    const later = summarizePacing(PLAN, pacing({ elapsedMs: 200_000, spentMs: { intro: 100_000, 'intro--me': 50_000, concepts: 50_000 } }), 3 * MIN, 'concepts--race');
    expect(later.elapsedMs).toBe(380_000);
    expect(later.expectedMs).toBe(6 * MIN);
    expect(later.pace).toEqual({ deltaMs: 20_000, state: 'behind', text: '0:20 behind' });
    expect(later.sections[1]?.spentMs).toBe(50_000 + 3 * MIN);
  });

  it('paces against the last rehearsal when there is one', () => {
    const rehearsedMs = { intro: 30_000, 'intro--me': 30_000, concepts: 60_000 };
    const summary = summarizePacing(PLAN, pacing({ elapsedMs: 60_000, spentMs: { intro: 30_000, 'intro--me': 30_000 }, rehearsedMs }), 0, 'concepts');
    expect(summary.expectedMs).toBe(60_000);
    expect(summary.pace?.state).toBe('on-time');
  });

  it('has no pace before the talk started or off the plan', () => {
    expect(summarizePacing(PLAN, pacing({}), 5_000, 'intro').pace).toBeNull();
    expect(summarizePacing(PLAN, pacing({ elapsedMs: 1_000 }), 0, 'elsewhere').pace).toBeNull();
    expect(summarizePacing(PLAN, null, 0, null).sections).toHaveLength(3);
  });
});
