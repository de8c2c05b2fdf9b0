/**
 * The presenter's pacing, pure: the plan read from the slides' section marks, how far into
 * the talk the speaker should be at the slide on screen, and how far ahead or behind that
 * is. No DOM and no clock of its own (times are passed in), so the root tsconfig and the
 * unit tests compile it as they are.
 */
import type { Pacing } from '../../server/protocol.ts';

/** What a slide says about the plan (its `data-slide-id`, `data-section-title`, `data-section-start`, `data-minutes`). */
export interface SlideMark {
  readonly id: string;
  readonly sectionTitle: string;
  /** True on a section's first slide. */
  readonly sectionStart: boolean;
  /** The section's planned minutes; only its first slide carries them. */
  readonly minutes: number | null;
}

export interface PlannedSection {
  readonly title: string;
  /** Planned minutes from the section's front matter; null when it gives none. */
  readonly minutes: number | null;
  /** The ids of the section's slides, in order. */
  readonly slides: readonly string[];
}

/** Within this much of the plan the speaker is "on time": a pace that flips every second helps nobody. */
export const ON_TIME_TOLERANCE_MS = 10_000;

/** Sections in deck order: a new one starts at a slide marked as a start, or where the section title changes. */
export function planFromSlides(slides: readonly SlideMark[]): PlannedSection[] {
  const sections: { title: string; minutes: number | null; slides: string[] }[] = [];
  for (const slide of slides) {
    const last = sections.at(-1);
    if (last === undefined || slide.sectionStart || slide.sectionTitle !== last.title) {
      sections.push({ title: slide.sectionTitle, minutes: slide.minutes, slides: [slide.id] });
    } else {
      last.slides.push(slide.id);
    }
  }
  return sections;
}

/** A section's planned minutes as ms; null without a plan. */
export function plannedSectionMs(section: PlannedSection): number | null {
  return section.minutes === null ? null : section.minutes * 60_000;
}

/**
 * How long each slide is meant to take: the last rehearsal's time where it has one, else
 * its section's planned minutes spread evenly over the section's slides (a slide added
 * since the rehearsal gets its share of the plan).
 */
export function slideBudgets(plan: readonly PlannedSection[], rehearsedMs: Readonly<Record<string, number>> | null): Map<string, number> {
  const budgets = new Map<string, number>();
  for (const section of plan) {
    const share = section.slides.length === 0 ? 0 : (plannedSectionMs(section) ?? 0) / section.slides.length;
    for (const id of section.slides) {
      const rehearsed = rehearsedMs?.[id];
      budgets.set(id, rehearsed !== undefined && Number.isFinite(rehearsed) && rehearsed >= 0 ? rehearsed : share);
    }
  }
  return budgets;
}

/**
 * The talk time the plan expects now: the budgets of every slide before `slide`, plus the
 * time spent on `slide` itself up to its own budget (staying on a slide as long as planned
 * keeps the pace; only the overrun counts). Null when the slide is not in the plan.
 */
export function expectedElapsedMs(plan: readonly PlannedSection[], budgets: ReadonlyMap<string, number>, slide: string, onSlideMs: number): number | null {
  let before = 0;
  for (const section of plan) {
    for (const id of section.slides) {
      const budget = budgets.get(id) ?? 0;
      if (id === slide) return before + Math.min(Math.max(onSlideMs, 0), budget);
      before += budget;
    }
  }
  return null;
}

export type PaceState = 'ahead' | 'behind' | 'on-time';

export interface Pace {
  /** Actual minus expected elapsed time: positive is behind. */
  readonly deltaMs: number;
  readonly state: PaceState;
  /** "1:20 behind", "0:45 ahead", "on time". */
  readonly text: string;
}

export function describePace(elapsedMs: number, expectedMs: number, toleranceMs = ON_TIME_TOLERANCE_MS): Pace {
  const deltaMs = elapsedMs - expectedMs;
  if (Math.abs(deltaMs) < toleranceMs) return { deltaMs, state: 'on-time', text: 'on time' };
  const state: PaceState = deltaMs > 0 ? 'behind' : 'ahead';
  return { deltaMs, state, text: `${formatDuration(Math.abs(deltaMs))} ${state}` };
}

/** `m:ss`, or `h:mm:ss` from an hour on; whole seconds, rounded down; negative with a leading `-`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–:––';
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${sign}${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${sign}${minutes}:${seconds}`;
}

/** Wall-clock time as `HH:MM`, 24-hour, in the time zone of `date`'s runtime. */
export function formatClock(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

export type SectionState = 'done' | 'current' | 'upcoming';

export interface SectionRow {
  readonly title: string;
  readonly plannedMs: number | null;
  readonly spentMs: number;
  readonly state: SectionState;
  /** True when more time went into the section than it was planned for. */
  readonly over: boolean;
}

/** Each section's plan against the time spent on its slides; the section of `currentSlide` is `current`. */
export function sectionRows(plan: readonly PlannedSection[], spentMs: Readonly<Record<string, number>>, currentSlide: string | null): SectionRow[] {
  const currentIndex = currentSlide === null ? -1 : plan.findIndex((section) => section.slides.includes(currentSlide));
  return plan.map((section, index) => {
    const spent = section.slides.reduce((sum, id) => sum + (spentMs[id] ?? 0), 0);
    const plannedMs = plannedSectionMs(section);
    const state: SectionState = currentIndex === -1 ? 'upcoming' : index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'upcoming';
    return { title: section.title, plannedMs, spentMs: spent, state, over: plannedMs !== null && spent > plannedMs };
  });
}

export interface LiveTiming {
  /** Talk time now, or null before the talk started. */
  readonly elapsedMs: number | null;
  /** Time per slide now: the last `pacing` plus the time since on the slide the talk is on. */
  readonly spentMs: Readonly<Record<string, number>>;
}

/**
 * The last `pacing` message brought forward by `sinceMs` (the time since it arrived): the
 * server sends it on changes, the screen ticks every second in between.
 */
export function liveTiming(pacing: Pacing | null, sinceMs: number, currentSlide: string | null): LiveTiming {
  if (pacing === null) return { elapsedMs: null, spentMs: {} };
  if (pacing.elapsedMs === null) return { elapsedMs: null, spentMs: pacing.spentMs };
  const since = Math.max(sinceMs, 0);
  const spentMs = currentSlide === null ? pacing.spentMs : { ...pacing.spentMs, [currentSlide]: (pacing.spentMs[currentSlide] ?? 0) + since };
  return { elapsedMs: pacing.elapsedMs + since, spentMs };
}

export interface PacingSummary {
  readonly elapsedMs: number | null;
  /** Talk time the plan expects now; null before the talk or off the plan. */
  readonly expectedMs: number | null;
  /** Null when there is nothing to compare yet. */
  readonly pace: Pace | null;
  readonly sections: readonly SectionRow[];
  /** The sections' planned minutes, summed, as ms. */
  readonly plannedTotalMs: number;
}

/** Everything the pacing panel shows, for the slide the talk is on, `sinceMs` after the last `pacing` message. */
export function summarizePacing(plan: readonly PlannedSection[], pacing: Pacing | null, sinceMs: number, currentSlide: string | null): PacingSummary {
  const live = liveTiming(pacing, sinceMs, currentSlide);
  const plannedTotalMs = plan.reduce((sum, section) => sum + (plannedSectionMs(section) ?? 0), 0);
  const sections = sectionRows(plan, live.spentMs, currentSlide);
  let expectedMs: number | null = null;
  if (live.elapsedMs !== null && currentSlide !== null) {
    const budgets = slideBudgets(plan, pacing?.rehearsedMs ?? null);
    expectedMs = expectedElapsedMs(plan, budgets, currentSlide, live.spentMs[currentSlide] ?? 0);
  }
  const pace = live.elapsedMs !== null && expectedMs !== null ? describePace(live.elapsedMs, expectedMs) : null;
  return { elapsedMs: live.elapsedMs, expectedMs, pace, sections, plannedTotalMs };
}
