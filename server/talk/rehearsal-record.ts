/**
 * A rehearsal's record: the clock's time per slide laid out along the deck's plan. Pure:
 * build, validate, read back per-slide times.
 */
import { z } from 'zod';
import type { PacingPlan } from '../deck/plan.ts';
import type { TalkClock } from './talk-clock.ts';

/** The deck as the rehearsal measures it: sections with their planned minutes and slide ids in deck order (`planPacing`). */
export type DeckPlan = PacingPlan;

export interface RehearsalSlide {
  readonly id: string;
  readonly ms: number;
}

export interface RehearsalSection {
  readonly title: string;
  /** The section's Markdown file; '' for the trailing section of slides no longer in the deck. */
  readonly file: string;
  readonly plannedMinutes: number | null;
  readonly actualMs: number;
  readonly slides: readonly RehearsalSlide[];
}

export interface RehearsalRun {
  readonly demo: string;
  readonly slide: string | null;
  readonly durationMs: number;
  readonly reason: string;
}

export interface RehearsalRecord {
  readonly version: 1;
  /** ISO 8601, UTC. */
  readonly startedAt: string;
  readonly endedAt: string;
  /** Sum of the sections' `actualMs`. */
  readonly totalMs: number;
  readonly slotMinutes: number | null;
  readonly sections: readonly RehearsalSection[];
  readonly runs: readonly RehearsalRun[];
}

/** Title of the trailing section holding slides the clock saw that the plan no longer has. */
export const GONE_SECTION_TITLE = '(slides no longer in the deck)';

const ms = z.number().finite().min(0);
const isoDate = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a date');

const rehearsalRecordSchema = z.object({
  version: z.literal(1),
  startedAt: isoDate,
  endedAt: isoDate,
  totalMs: ms,
  slotMinutes: z.number().finite().min(0).nullable(),
  sections: z.array(z.object({
    title: z.string(),
    file: z.string(),
    plannedMinutes: z.number().finite().min(0).nullable(),
    actualMs: ms,
    slides: z.array(z.object({ id: z.string(), ms })),
  })),
  runs: z.array(z.object({ demo: z.string(), slide: z.string().nullable(), durationMs: ms, reason: z.string() })),
}) satisfies z.ZodType<RehearsalRecord>;

/** Validates a parsed JSON value as a record; the error names the first wrong field. Never throws. */
export function parseRehearsalRecord(value: unknown): { ok: true; record: RehearsalRecord } | { ok: false; error: string } {
  const parsed = rehearsalRecordSchema.safeParse(value);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'invalid'}` };
}

/**
 * The record of the rehearsal the clock has timed so far, along `plan`. Every planned slide
 * appears (0 ms if it was skipped); slides the clock saw that the plan no longer has go to a
 * trailing section titled {@link GONE_SECTION_TITLE}. `now` stamps `endedAt` (default: the clock's time).
 */
export function buildRehearsalRecord(clock: TalkClock, plan: DeckPlan, now: number = clock.now()): RehearsalRecord {
  const spent = clock.spentMs();
  const placed = new Set<string>();
  const sections: RehearsalSection[] = plan.sections.map((section) => {
    const slides: RehearsalSlide[] = [];
    for (const id of section.slides) {
      if (placed.has(id)) continue; // a duplicate id would count twice
      placed.add(id);
      slides.push({ id, ms: spent[id] ?? 0 });
    }
    return { title: section.title, file: section.file, plannedMinutes: section.minutes, actualMs: sumMs(slides), slides };
  });
  const gone = Object.entries(spent).filter(([id]) => !placed.has(id)).map(([id, slideMs]) => ({ id, ms: slideMs }));
  if (gone.length > 0) sections.push({ title: GONE_SECTION_TITLE, file: '', plannedMinutes: null, actualMs: sumMs(gone), slides: gone });
  return {
    version: 1,
    startedAt: new Date(clock.startedAt ?? now).toISOString(),
    endedAt: new Date(now).toISOString(),
    totalMs: sections.reduce((total, section) => total + section.actualMs, 0),
    slotMinutes: plan.slotMinutes,
    sections,
    runs: clock.runs(),
  };
}

/** Ms per slide id in a rehearsal: the pace the presenter screen compares the talk with. */
export function plannedSlideMs(record: RehearsalRecord): Record<string, number> {
  const result: Record<string, number> = {};
  for (const section of record.sections) {
    for (const slide of section.slides) result[slide.id] = (result[slide.id] ?? 0) + slide.ms;
  }
  return result;
}

function sumMs(slides: readonly RehearsalSlide[]): number {
  return slides.reduce((total, slide) => total + slide.ms, 0);
}
