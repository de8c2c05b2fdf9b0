/**
 * Every demo the deck embeds fits its slide at 22 px: the shown code (the region, dedented,
 * as the slide renders it) fits the pane of the layout the renderer gives it
 * (server/deck/demo-layout.ts: beside the terminal, 44 characters × 14 lines, the content
 * rule; stacked, wider and at most 6 lines), and every highlight step points at a line that
 * is shown. Covers all runtimes (.py and .ts). The output side is checked by each claim test
 * (`expectFitsSlide`: 44 columns × 12 lines); beside a timeline the terminal is smaller, so a
 * timeline demo's recording shows its output fits that terminal, and keeps its trace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeck } from '../../server/deck/load-deck.ts';
import { chooseDemoLayout, CODE_FITS, codeWidth, TIMELINE_TERMINAL_SIZE } from '../../server/deck/demo-layout.ts';
import { readRecording } from '../../server/recordings/recording-store.ts';
import { extractRegion } from '../../server/deck/regions.ts';
import { projectRoot } from '../../server/config.ts';

const slidesDir = path.join(projectRoot, 'slides');
const demosDir = path.join(projectRoot, 'demos');
const recordingsDir = path.join(projectRoot, 'recordings');
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;
const { deck } = await loadDeck({ slidesDir, demosDir });
const embedded = deck.sections.flatMap((section) =>
  section.slides.flatMap((slide) =>
    slide.demos.map((ref) => ({ ref, where: `${section.file}:${ref.line}`, label: `${ref.runtime} ${ref.path}${ref.region === null ? '' : `#${ref.region}`}` })),
  ),
);

function shownCode(demo: string, region: string | null): string[] {
  const shown = extractRegion(readFileSync(path.join(demosDir, demo), 'utf8'), region);
  if (!shown.ok) throw new Error(`${demo}: ${shown.error}`);
  return shown.value.split('\n');
}

describe('every embedded demo fits its slide', () => {
  it('the deck embeds demos in both languages', () => {
    expect(embedded.some(({ ref }) => ref.path.endsWith('.py'))).toBe(true);
    expect(embedded.some(({ ref }) => ref.path.endsWith('.ts'))).toBe(true);
  });

  it.each(embedded)('$label ($where): the shown code fits the code pane of its layout', ({ ref }) => {
    const code = shownCode(ref.path, ref.region);
    const layout = chooseDemoLayout(code.join('\n'));
    const fits = CODE_FITS[layout];
    const tooWide = code
      .map((line, index) => ({ line: index + 1, width: codeWidth(line), text: line }))
      .filter(({ width }) => width > fits.columns);
    expect(tooWide, `lines wider than ${fits.columns} columns (${layout} layout)`).toEqual([]);
    expect(code.length, `shown lines in the ${layout} layout`).toBeLessThanOrEqual(fits.lines);
  });

  it.each(embedded)('$label ($where): every highlight step points at a shown line', ({ ref }) => {
    const count = shownCode(ref.path, ref.region).length;
    const outside = ref.steps.flat().filter((line) => line < 1 || line > count);
    expect(outside, `steps beyond the ${count} shown lines`).toEqual([]);
  });

  const timelines = embedded.filter(({ ref }) => ref.timeline && ref.requires === null);
  it('the talk shows timelines in both languages', () => {
    expect(timelines.some(({ ref }) => ref.runtime === 'python')).toBe(true);
    expect(timelines.some(({ ref }) => ref.runtime !== 'python')).toBe(true);
  });

  it.each(timelines)('$label ($where): its recording keeps a trace, and its output fits the terminal beside the timeline', async ({ ref }) => {
    const recording = await readRecording(recordingsDir, ref.runtime, ref.path);
    expect(recording, 'a recording (npm run record)').not.toBeNull();
    const size = TIMELINE_TERMINAL_SIZE[chooseDemoLayout(shownCode(ref.path, ref.region).join('\n'))];
    expect({ cols: recording?.meta.cols, rows: recording?.meta.rows }).toEqual(size);
    expect(recording?.trace?.some((event) => event.cat === 'lane')).toBe(true);
    const lines = (recording?.events ?? []).map((event) => event[2]).join('').replace(ANSI, '').replace(/\r/g, '').replace(/\n+$/, '').split('\n');
    // The exit line comes under the output.
    expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(size.rows - 1);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(size.cols);
  });
});
