import { describe, expect, it } from 'vitest';
import type { Deck } from '../../server/deck/model.ts';
import { parseSection } from '../../server/deck/parse-deck.ts';
import { estimateTiming } from '../../server/deck/plan.ts';

function deckOf(files: Record<string, string>): Deck {
  return { sections: Object.entries(files).map(([file, text]) => parseSection(file, text)) };
}

const INTRO = '---\ntitle: Intro\nminutes: 2\nslot: 5\n---\n# Hello\n\n---\n\n# Agenda\n\n<!-- seconds: 20 -->';
const DEMOS = '---\ntitle: Demos\nminutes: 3\n---\n# Race\n\n<<< python race.py\n<<< worker race.ts\n\n---\n\n# Lock\n\n<<< python lock.py\n\n<!-- minutes: 1.5 -->\n\n---\n\n# Recap';

describe('estimateTiming', () => {
  it('sums each section\'s slides, counts its demo slides, and holds the total against the slot', () => {
    const estimate = estimateTiming(deckOf({ '01-intro.md': INTRO, '02-demos.md': DEMOS }));
    expect(estimate.sections).toEqual([
      { file: '01-intro.md', title: 'Intro', slides: 2, demoSlides: 0, estimatedSeconds: 50, plannedMinutes: 2, overPlan: false },
      // 75 (a variant group counts once) + 90 (override) + 30.
      { file: '02-demos.md', title: 'Demos', slides: 3, demoSlides: 2, estimatedSeconds: 195, plannedMinutes: 3, overPlan: true },
    ]);
    expect(estimate).toMatchObject({ totalSeconds: 245, slotMinutes: 5, overSlot: false, errors: [] });
    // Per slide id, the unit the presenter screen paces by.
    expect(estimate.slideSeconds).toEqual({ 'intro--hello': 30, 'intro--agenda': 20, 'demos--race': 75, 'demos--lock': 90, 'demos--recap': 30 });
  });

  it('passes the slot only when the total is more than the slot, not equal to it', () => {
    const fits = estimateTiming(deckOf({ '01-intro.md': INTRO.replace('<!-- seconds: 20 -->', '<!-- seconds: 75 -->'), '02-demos.md': DEMOS }));
    expect(fits).toMatchObject({ totalSeconds: 300, overSlot: false });
    const over = estimateTiming(deckOf({ '01-intro.md': INTRO.replace('<!-- seconds: 20 -->', '<!-- seconds: 75.5 -->'), '02-demos.md': DEMOS }));
    expect(over).toMatchObject({ totalSeconds: 300.5, overSlot: true });
  });

  it('has no slot to pass without one, and no plan to pass for a section without minutes', () => {
    const estimate = estimateTiming(deckOf({ '01-long.md': `# One\n\n<!-- minutes: 60 -->` }));
    expect(estimate).toMatchObject({ totalSeconds: 3600, slotMinutes: null, overSlot: false });
    expect(estimate.sections[0]).toMatchObject({ plannedMinutes: null, overPlan: false });
  });

  it('collects every malformed override of the deck with its file and line', () => {
    const estimate = estimateTiming(deckOf({ '01-intro.md': INTRO.replace('20', 'soon'), '02-demos.md': DEMOS.replace('1.5', 'x') }));
    expect(estimate.errors.map((error) => `${error.file}:${error.line}`)).toEqual(['01-intro.md:12', '02-demos.md:16']);
    expect(estimate.totalSeconds).toBe(60 + 75 + 75 + 30);
  });
});
