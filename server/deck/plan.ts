/** The talk's timing plan from the sections' front matter: pure, for the check, for rehearsal and for pacing on stage. */
import type { Deck } from './model.ts';
import { sectionSlideIds } from './slide-ids.ts';

export interface TimingPlan {
  readonly sections: readonly { readonly file: string; readonly title: string; readonly minutes: number | null }[];
  /** Sum of the sections' planned minutes. */
  readonly plannedMinutes: number;
  /** The slot, from the first section that declares one; null when none does. */
  readonly slotMinutes: number | null;
  /** What is wrong with the plan, if anything: a section without minutes, a total that misses the slot. */
  readonly problems: readonly string[];
}

export function planTiming(deck: Deck): TimingPlan {
  const sections = deck.sections.map(({ file, title, minutes }) => ({ file, title, minutes }));
  const plannedMinutes = sections.reduce((sum, section) => sum + (section.minutes ?? 0), 0);
  const slotMinutes = deck.sections.find((section) => section.slot !== null)?.slot ?? null;
  const problems = sections.filter((section) => section.minutes === null).map((section) => `${section.file}: no planned \`minutes\` in its front matter`);
  if (slotMinutes === null) problems.push('no `slot` (the talk\'s length in minutes) in any section\'s front matter');
  else if (Math.abs(plannedMinutes - slotMinutes) > 1e-9) problems.push(`the sections plan ${plannedMinutes} min for a ${slotMinutes}-min slot`);
  return { sections, plannedMinutes, slotMinutes, problems };
}

/** What the presenter's pacing needs: the slot, and each section's planned minutes and slides (by id, see `slide-ids.ts`). */
export interface PacingPlan {
  readonly slotMinutes: number | null;
  readonly sections: readonly {
    readonly title: string;
    readonly file: string;
    readonly minutes: number | null;
    /** The ids of the section's rendered slides, in order (an error-only section has one). */
    readonly slides: readonly string[];
  }[];
}

export function planPacing(deck: Deck): PacingPlan {
  const ids = sectionSlideIds(deck);
  return {
    slotMinutes: planTiming(deck).slotMinutes,
    sections: deck.sections.map((section) => ({ title: section.title, file: section.file, minutes: section.minutes, slides: ids.get(section) ?? [] })),
  };
}
