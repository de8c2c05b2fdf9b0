/** The talk's timing plan from the sections' front matter, and the estimate from the slides themselves: pure, for the check, for rehearsal and for pacing on stage. */
import type { Deck, DeckError } from './model.ts';
import { sectionSlideIds, slideIds } from './slide-ids.ts';
import { estimateSlide } from './slide-timing.ts';

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

/** One section's estimate (see `slide-timing.ts`) beside its plan. */
export interface SectionEstimate {
  readonly file: string;
  readonly title: string;
  readonly slides: number;
  /** Slides that show at least one demo (a variant group, or several demos, count once). */
  readonly demoSlides: number;
  readonly estimatedSeconds: number;
  readonly plannedMinutes: number | null;
  /** The estimate passes the section's planned minutes: a warning, since another section may make up for it. */
  readonly overPlan: boolean;
}

/** What the slides themselves say the talk takes, against the plan and the slot: for the check, and for pacing on stage. */
export interface TimingEstimate {
  readonly sections: readonly SectionEstimate[];
  readonly totalSeconds: number;
  readonly slotMinutes: number | null;
  /** The total estimate passes the slot: the talk does not fit. False without a slot (the plan's problems say so). */
  readonly overSlot: boolean;
  /** Each slide's estimate in seconds by its id (`slide-ids.ts`), the unit the presenter screen paces by. */
  readonly slideSeconds: Readonly<Record<string, number>>;
  /** Malformed or repeated time overrides, at their file:line. */
  readonly errors: readonly DeckError[];
}

export function estimateTiming(deck: Deck): TimingEstimate {
  const ids = slideIds(deck);
  const slideSeconds: Record<string, number> = {};
  const errors: DeckError[] = [];
  const sections = deck.sections.map((section): SectionEstimate => {
    const estimates = section.slides.map((slide) => {
      const estimate = estimateSlide(slide);
      const id = ids.get(slide);
      if (id !== undefined) slideSeconds[id] = estimate.seconds;
      errors.push(...estimate.errors);
      return estimate;
    });
    const estimatedSeconds = estimates.reduce((sum, estimate) => sum + estimate.seconds, 0);
    return {
      file: section.file,
      title: section.title,
      slides: estimates.length,
      demoSlides: estimates.filter((estimate) => estimate.hasDemo).length,
      estimatedSeconds,
      plannedMinutes: section.minutes,
      overPlan: section.minutes !== null && estimatedSeconds > section.minutes * 60 + 1e-9,
    };
  });
  const totalSeconds = sections.reduce((sum, section) => sum + section.estimatedSeconds, 0);
  const slotMinutes = planTiming(deck).slotMinutes;
  return { sections, totalSeconds, slotMinutes, overSlot: slotMinutes !== null && totalSeconds > slotMinutes * 60 + 1e-9, slideSeconds, errors };
}
