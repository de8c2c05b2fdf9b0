/**
 * Rehearsals as plain text for an 80-column terminal: one rehearsal's report, and a
 * comparison of the last few. Times are shown in whole seconds, and every difference is
 * taken between the shown figures, so the columns add up as printed.
 */
import type { RehearsalRecord } from './rehearsal-record.ts';

const WIDTH = 80;
/** Rehearsals a comparison shows side by side. */
export const MAX_COMPARED = 5;

/** Ms → whole seconds, the unit every figure is shown in. */
function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

/** 452 → `7:32`. */
function clock(totalSeconds: number): string {
  const s = Math.abs(totalSeconds);
  return `${totalSeconds < 0 ? '-' : ''}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** 72 → `+1:12`, -40 → `-0:40`, 0 → `0:00`. */
function signedClock(totalSeconds: number): string {
  return totalSeconds > 0 ? `+${clock(totalSeconds)}` : clock(totalSeconds);
}

/** A run's duration: tenths under a minute, else m:ss. */
function runDuration(ms: number): string {
  return ms < 59_950 ? `${(ms / 1000).toFixed(1)} s` : clock(seconds(ms));
}

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** `total 31:12 of a 30:00 slot: 1:12 over`. */
function totalAgainstSlot(totalSeconds: number, slotMinutes: number | null): string {
  if (slotMinutes === null) return `total ${clock(totalSeconds)} (the plan gives no slot)`;
  const slotSeconds = Math.round(slotMinutes * 60);
  const diff = totalSeconds - slotSeconds;
  const verdict = diff === 0 ? 'on time' : `${clock(Math.abs(diff))} ${diff > 0 ? 'over' : 'under'}`;
  return `total ${clock(totalSeconds)} of a ${clock(slotSeconds)} slot: ${verdict}`;
}

function totalSeconds(record: RehearsalRecord): number {
  return record.sections.reduce((sum, section) => sum + seconds(section.actualMs), 0);
}

/** Any date a record may hold (validated as parseable) in UTC ISO form: `2026-11-28T10:15:00.000Z`. */
function utc(date: string): string {
  return new Date(date).toISOString();
}

/** `2026-11-28 10:15 UTC`. */
function when(date: string): string {
  return `${utc(date).slice(0, 10)} ${utc(date).slice(11, 16)} UTC`;
}

/** Words joined by `, ` into lines of at most WIDTH columns, continuation lines indented. */
function wrap(first: string, items: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line.length + 1 + piece.length > WIDTH && line.trim().length > 0) {
      lines.push(line);
      line = `${indent}${piece}`;
    } else {
      line = line.length === 0 || line.endsWith(' ') ? `${line}${piece}` : `${line} ${piece}`;
    }
  });
  lines.push(line);
  return lines;
}

/**
 * One rehearsal: planned against actual per section, the five slowest slides, each demo's
 * runs, and the total against the slot.
 */
export function formatReport(record: RehearsalRecord): string {
  const num = 9;
  const titleWidth = WIDTH - 3 * num - 2;
  const row = (title: string, planned: string, actual: string, diff: string): string =>
    `  ${fit(title, titleWidth)}${planned.padStart(num)}${actual.padStart(num)}${diff.padStart(num)}`.trimEnd();

  const total = totalSeconds(record);
  const lines = [`Rehearsal of ${when(record.startedAt)}: ${totalAgainstSlot(total, record.slotMinutes)}`, ''];
  lines.push(row('section', 'planned', 'actual', 'diff'));
  let plannedTotal: number | null = null;
  for (const section of record.sections) {
    const actual = seconds(section.actualMs);
    const planned = section.plannedMinutes === null ? null : Math.round(section.plannedMinutes * 60);
    if (planned !== null) plannedTotal = (plannedTotal ?? 0) + planned;
    lines.push(row(section.title, planned === null ? '?' : clock(planned), clock(actual), planned === null ? '' : signedClock(actual - planned)));
  }
  lines.push(row('total', plannedTotal === null ? '?' : clock(plannedTotal), clock(total), plannedTotal === null ? '' : signedClock(total - plannedTotal)));

  const slides = record.sections.flatMap((section) => section.slides.map((slide) => ({ ...slide, section: section.title })));
  const slowest = slides.filter((slide) => slide.ms > 0).sort((a, b) => b.ms - a.ms).slice(0, 5);
  lines.push('', 'slowest slides');
  if (slowest.length === 0) lines.push('  none timed');
  for (const slide of slowest) {
    const section = slide.section.startsWith('(') ? slide.section : `(${slide.section})`;
    lines.push(fit(`  ${clock(seconds(slide.ms)).padStart(6)}  ${slide.id}  ${section}`, WIDTH).trimEnd());
  }

  lines.push('', 'demos');
  const byDemo = new Map<string, string[]>();
  for (const run of record.runs) byDemo.set(run.demo, [...(byDemo.get(run.demo) ?? []), `${runDuration(run.durationMs)} ${run.reason}`]);
  if (byDemo.size === 0) lines.push('  none run');
  for (const [demo, runs] of byDemo) lines.push(...wrap(`  ${demo}: ${runs.length} run${runs.length === 1 ? '' : 's'}:`, runs, '      '));

  lines.push('', totalAgainstSlot(total, record.slotMinutes));
  return `${lines.join('\n')}\n`;
}

/**
 * The last {@link MAX_COMPARED} of `records` (oldest first) side by side: sections × rehearsals
 * (actual m:ss), the newest plan, the change from the first to the last shown, the totals,
 * and the trend of the total.
 */
export function formatComparison(records: readonly RehearsalRecord[]): string {
  const shown = records.slice(-MAX_COMPARED);
  const newest = shown.at(-1);
  if (newest === undefined) return 'no rehearsals to compare\n';

  // Rows: the newest rehearsal's sections in deck order, then older ones' sections it no longer has. A section is its file.
  const key = (section: { file: string; title: string }): string => section.file || `title:${section.title}`;
  const rows = new Map<string, { title: string; plannedSeconds: number | null; actual: (number | null)[] }>();
  for (const record of [...shown].reverse()) {
    for (const section of record.sections) {
      if (!rows.has(key(section))) rows.set(key(section), { title: section.title, plannedSeconds: null, actual: shown.map(() => null) });
    }
  }
  shown.forEach((record, column) => {
    for (const section of record.sections) {
      const row = rows.get(key(section));
      if (row === undefined) continue;
      row.actual[column] = (row.actual[column] ?? 0) + seconds(section.actualMs);
      if (record === newest && section.plannedMinutes !== null) row.plannedSeconds = Math.round(section.plannedMinutes * 60);
    }
  });

  const num = 8;
  const titleWidth = WIDTH - 2 - num * (shown.length + 2);
  const cell = (value: string): string => value.padStart(num);
  const line = (title: string, plan: string, values: readonly string[], change: string): string =>
    `  ${fit(title, titleWidth)}${cell(plan)}${values.map(cell).join('')}${cell(change)}`.trimEnd();
  const change = (values: readonly (number | null)[]): string => {
    const first = values[0];
    const last = values.at(-1);
    return shown.length < 2 || first === null || first === undefined || last === null || last === undefined ? '' : signedClock(last - first);
  };

  const lines = [`Last ${shown.length === 1 ? 'rehearsal' : `${shown.length} rehearsals`} (UTC), oldest first`, ''];
  lines.push(line('', '', shown.map((record) => utc(record.startedAt).slice(5, 10)), ''));
  lines.push(line('section', 'plan', shown.map((record) => utc(record.startedAt).slice(11, 16)), shown.length < 2 ? '' : 'change'));
  for (const row of rows.values()) {
    lines.push(line(row.title, row.plannedSeconds === null ? '' : clock(row.plannedSeconds), row.actual.map((value) => (value === null ? '-' : clock(value))), change(row.actual)));
  }
  const totals = shown.map(totalSeconds);
  const planned = [...rows.values()].reduce<number | null>((sum, row) => (row.plannedSeconds === null ? sum : (sum ?? 0) + row.plannedSeconds), null);
  lines.push(line('total', planned === null ? '' : clock(planned), totals.map(clock), change(totals)));

  lines.push('');
  const first = totals[0] ?? 0;
  const last = totals.at(-1) ?? 0;
  if (shown.length < 2) {
    lines.push('trend: one rehearsal so far, nothing to compare yet');
  } else {
    const verdict = last === first ? 'no change' : `${clock(Math.abs(last - first))} ${last < first ? 'shorter' : 'longer'}`;
    lines.push(...wrap('trend:', [`${totals.map(clock).join(' → ')}: ${verdict} over ${shown.length} rehearsals`], '  '));
  }
  lines.push(`last: ${totalAgainstSlot(last, newest.slotMinutes)}`);
  return `${lines.join('\n')}\n`;
}
