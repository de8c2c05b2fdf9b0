import { describe, expect, it } from 'vitest';
import type { Slide } from '../../server/deck/model.ts';
import { parseSection } from '../../server/deck/parse-deck.ts';
import { DEMO_SLIDE_SECONDS, estimateSlide, readTimeOverride, TEXT_SLIDE_SECONDS } from '../../server/deck/slide-timing.ts';

/** The slides of one section file, parsed as the deck parses them (front matter of 5 lines first, so file lines are real). */
function slidesOf(body: string): readonly Slide[] {
  return parseSection('02-timing.md', `---\ntitle: Timing\nminutes: 5\n---\n\n${body}`).slides;
}

function onlySlide(body: string): Slide {
  const [slide, ...rest] = slidesOf(body);
  if (slide === undefined || rest.length > 0) throw new Error(`expected one slide in:\n${body}`);
  return slide;
}

describe('estimateSlide', () => {
  it('gives a text slide 30 s and a slide with a demo 75 s', () => {
    expect(TEXT_SLIDE_SECONDS).toBe(30);
    expect(DEMO_SLIDE_SECONDS).toBe(75);
    expect(estimateSlide(onlySlide('# Text only\n\n- a point'))).toEqual({ seconds: 30, source: 'text', hasDemo: false, errors: [] });
    expect(estimateSlide(onlySlide('# A demo\n\n<<< python concepts/lost_updates.py'))).toEqual({ seconds: 75, source: 'demo', hasDemo: true, errors: [] });
  });

  it('counts a slide\'s demos once: a variant group of two lines, or demos apart on the slide', () => {
    const group = onlySlide('# Variants\n\n<<< python concepts/lost_updates.py#race\n<<< worker concepts/lost_updates_workers.ts#increment');
    expect(estimateSlide(group).seconds).toBe(75);
    const apart = onlySlide('# Two demos\n\n<<< python a.py\n\ntext between\n\n<<< node b.ts');
    expect(estimateSlide(apart).seconds).toBe(75);
  });

  it('lets the slide\'s override win, in seconds or minutes, decimals too, on text and demo slides', () => {
    expect(estimateSlide(onlySlide('# Quick\n\n<!-- seconds: 45 -->'))).toMatchObject({ seconds: 45, source: 'override', hasDemo: false });
    expect(estimateSlide(onlySlide('# Long demo\n\n<<< python a.py\n\n<!-- minutes: 2 -->'))).toMatchObject({ seconds: 120, source: 'override', hasDemo: true });
    expect(estimateSlide(onlySlide('<!--minutes:1.5-->\n# Anywhere in the body')).seconds).toBe(90);
    expect(estimateSlide(onlySlide('# Half a second less\n\n<!-- seconds: 12.5 -->')).seconds).toBe(12.5);
    expect(estimateSlide(onlySlide('# Backup slide, skipped on stage\n\n<!-- seconds: 0 -->')).seconds).toBe(0);
    // A comment spanning lines is still one override.
    expect(estimateSlide(onlySlide('# Multi-line\n\n<!--\n  minutes: 3\n-->')).seconds).toBe(180);
  });

  it('leaves other comments, and overrides shown as code or said in the notes, alone', () => {
    const slide = onlySlide([
      '# How to time a slide',
      '',
      '<!-- .slide: data-background="#000" -->',
      '<!-- note: keep it short -->',
      'Write `<!-- seconds: 10 -->` in the slide.',
      '',
      '```html',
      '<!-- minutes: 9 -->',
      '```',
      '',
      '~~~~',
      '```',
      '<!-- seconds: soon -->',
      '~~~~',
      '',
      'Note: <!-- seconds: 5 --> in the notes is not the slide\'s body',
    ].join('\n'));
    expect(estimateSlide(slide)).toEqual({ seconds: 30, source: 'text', hasDemo: false, errors: [] });
  });

  it('reports a malformed override at its file line and estimates as if it were not there', () => {
    const [first, second] = slidesOf('# One\n\n<!-- seconds: soon -->\n\n---\n\n# Two\n\n<<< python a.py\n\n<!-- minutes: -->');
    if (first === undefined || second === undefined) throw new Error('two slides expected');
    expect(estimateSlide(first)).toEqual({
      seconds: 30,
      source: 'text',
      hasDemo: false,
      errors: [{ file: '02-timing.md', line: 8, message: 'slide time `<!-- seconds: soon -->`: "soon" is not a number of seconds (write `<!-- seconds: 45 -->` or `<!-- minutes: 1.5 -->`)' }],
    });
    expect(estimateSlide(second)).toMatchObject({ seconds: 75, source: 'demo', errors: [{ line: 16, message: expect.stringMatching(/^slide time `<!-- minutes: -->`: no number of minutes/) }] });
  });

  it('names the unit a speaker got wrong, negative and unit-suffixed numbers, and a second override', () => {
    const messages = (body: string): string[] => readTimeOverride(onlySlide(body)).errors.map((error) => `${error.line} ${error.message}`);
    expect(messages('# A\n\n<!-- secs: 45 -->')).toEqual(['8 slide time `<!-- secs: 45 -->`: write `seconds:` or `minutes:`, as in `<!-- seconds: 45 -->` or `<!-- minutes: 1.5 -->`']);
    expect(messages('# A\n\n<!-- Minutes: 2 -->')).toHaveLength(1);
    expect(messages('# A\n\n<!-- seconds: -5 -->')).toEqual([expect.stringMatching(/^8 .*"-5" is not a number of seconds/)]);
    expect(messages('# A\n\n<!-- seconds: 45s -->')).toEqual([expect.stringMatching(/^8 .*"45s" is not a number of seconds/)]);
    expect(messages('# A\n\n<!-- minutes: 1,5 -->')).toEqual([expect.stringMatching(/^8 .*"1,5" is not a number of minutes/)]);
    const twice = onlySlide('# A\n\n<!-- seconds: 40 -->\n\ntext\n\n<!-- minutes: 2 -->');
    expect(readTimeOverride(twice)).toEqual({
      override: { seconds: 40, line: 8 },
      errors: [{ file: '02-timing.md', line: 12, message: 'slide time `<!-- minutes: 2 -->`: a second time for this slide (the first, at line 8, counts)' }],
    });
    expect(estimateSlide(twice).seconds).toBe(40);
  });
});
