/**
 * Every demo the deck embeds fits its slide: the code pane beside the terminal shows
 * about 60 columns, so no line of the shown code (the region, dedented, as the slide
 * renders it) may be longer; and every highlight step points at a line that is shown.
 * Covers all runtimes (.py and .ts). The output side is checked by each claim test
 * (`expectFitsSlide`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeck } from '../../server/deck/load-deck.ts';
import { extractRegion } from '../../server/deck/regions.ts';
import { projectRoot } from '../../server/config.ts';

/** Columns of the code pane on a 1280×720 slide. */
const CODE_PANE_COLUMNS = 60;

const slidesDir = path.join(projectRoot, 'slides');
const demosDir = path.join(projectRoot, 'demos');
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

  it.each(embedded)('$label ($where): no shown line is wider than the code pane', ({ ref }) => {
    const tooWide = shownCode(ref.path, ref.region)
      .map((line, index) => ({ line: index + 1, width: line.length, text: line }))
      .filter(({ width }) => width > CODE_PANE_COLUMNS);
    expect(tooWide, `lines wider than ${CODE_PANE_COLUMNS} columns`).toEqual([]);
  });

  it.each(embedded)('$label ($where): every highlight step points at a shown line', ({ ref }) => {
    const count = shownCode(ref.path, ref.region).length;
    const outside = ref.steps.flat().filter((line) => line < 1 || line > count);
    expect(outside, `steps beyond the ${count} shown lines`).toEqual([]);
  });
});
