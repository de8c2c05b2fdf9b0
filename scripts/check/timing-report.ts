/**
 * `npm run check`'s timing table: per section its slides, demo slides, the estimate from the
 * slides (`server/deck/slide-timing.ts`), the planned minutes and, with a rehearsal on record,
 * the measured time; then the total against the slot. Times in m:ss, rounded to the second.
 */
import type { TimingEstimate } from '../../server/deck/plan.ts';
import { DEMO_SLIDE_SECONDS, TEXT_SLIDE_SECONDS } from '../../server/deck/slide-timing.ts';
import type { RehearsalRecord } from '../../server/talk/rehearsal-record.ts';
import { FAIL, PASS, WARN } from './marks.ts';

const WIDTH = 80;
/** Each number column: two spaces, then as wide as its header. */
const NUMBER_WIDTHS = [8, 13, 10, 9, 10] as const;

export interface TimingReport {
  readonly lines: readonly string[];
  /** Problems among the lines: each malformed override, and a total estimate that passes the slot. */
  readonly problems: number;
}

/** The table and its verdicts; `rehearsal` (the latest on record, or null) adds the measured column. */
export function reportTiming(estimate: TimingEstimate, rehearsal: RehearsalRecord | null): TimingReport {
  const measured = rehearsal === null ? null : measuredByFile(rehearsal);
  const titleWidth = WIDTH - 2 - NUMBER_WIDTHS.slice(0, measured === null ? 4 : 5).reduce((a, b) => a + b, 0);
  const row = (title: string, cells: readonly string[]): string =>
    `  ${fit(title, titleWidth)}${cells.map((cell, i) => cell.padStart(NUMBER_WIDTHS[i] ?? 0)).join('')}`.trimEnd();
  const withMeasured = (cells: readonly string[], ms: number | undefined): string[] =>
    measured === null ? [...cells] : [...cells, ms === undefined ? '-' : clock(ms / 1000)];

  const lines = [`Timing: a text slide ${clock(TEXT_SLIDE_SECONDS)}, a demo slide ${clock(DEMO_SLIDE_SECONDS)}, unless it says \`<!-- seconds: n -->\` or \`<!-- minutes: n -->\``];
  if (rehearsal !== null) lines.push(`  measured: the rehearsal of ${when(rehearsal.startedAt)}`);
  const header = ['slides', 'demo slides', 'estimate', 'planned'];
  lines.push(row('section', measured === null ? header : [...header, 'measured']));
  for (const section of estimate.sections) {
    lines.push(row(section.title, withMeasured([String(section.slides), String(section.demoSlides), clock(section.estimatedSeconds), planned(section.plannedMinutes)], measured?.get(section.file))));
  }
  // What the rehearsal timed outside today's sections (slides since removed, a renamed file), so the measured column adds up.
  const files = new Set(estimate.sections.map((section) => section.file));
  const elsewhere = (rehearsal?.sections ?? []).filter((section) => !files.has(section.file));
  if (elsewhere.length > 0) lines.push(row('(not in today\'s deck)', ['', '', '', '', clock(elsewhere.reduce((sum, section) => sum + section.actualMs, 0) / 1000)]));
  const plannedTotal = estimate.sections.every((section) => section.plannedMinutes === null)
    ? null
    : estimate.sections.reduce((sum, section) => sum + (section.plannedMinutes ?? 0), 0);
  const sum = (count: (section: TimingEstimate['sections'][number]) => number): string => String(estimate.sections.reduce((total, section) => total + count(section), 0));
  lines.push(row('total', withMeasured([sum((s) => s.slides), sum((s) => s.demoSlides), clock(estimate.totalSeconds), planned(plannedTotal)], rehearsal?.totalMs)));

  for (const section of estimate.sections) {
    if (section.overPlan && section.plannedMinutes !== null) {
      lines.push(`${WARN} ${section.file}: ${section.title} is estimated at ${clock(section.estimatedSeconds)}, over its planned ${planned(section.plannedMinutes)}`);
    }
  }
  for (const error of estimate.errors) lines.push(`${FAIL} ${error.file}:${error.line} ${error.message}`);
  if (estimate.slotMinutes !== null) {
    const spare = estimate.slotMinutes * 60 - estimate.totalSeconds;
    lines.push(estimate.overSlot
      ? `${FAIL} timing: the estimate ${clock(estimate.totalSeconds)} passes the ${estimate.slotMinutes}-min slot by ${clock(Math.ceil(-spare))}`
      : `${PASS} timing: the estimate ${clock(estimate.totalSeconds)} fits the ${estimate.slotMinutes}-min slot (${clock(spare)} to spare)`);
  }
  return { lines, problems: estimate.errors.length + (estimate.overSlot ? 1 : 0) };
}

/** Measured ms per section file. */
function measuredByFile(record: RehearsalRecord): Map<string, number> {
  const byFile = new Map<string, number>();
  for (const section of record.sections) byFile.set(section.file, (byFile.get(section.file) ?? 0) + section.actualMs);
  return byFile;
}

function planned(minutes: number | null): string {
  return minutes === null ? '?' : clock(minutes * 60);
}

/** 452 → `7:32`, rounded to the second. */
function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** `2026-11-28 10:15 UTC`. */
function when(date: string): string {
  const iso = new Date(date).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}
