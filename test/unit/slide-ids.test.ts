import { describe, expect, it } from 'vitest';
import type { Deck } from '../../server/deck/model.ts';
import { parseSection } from '../../server/deck/parse-deck.ts';
import { planPacing } from '../../server/deck/plan.ts';
import { errorSlideIds, slideIds, slugify } from '../../server/deck/slide-ids.ts';

function deckOf(files: Record<string, string>): Deck {
  return { sections: Object.entries(files).map(([file, text]) => parseSection(file, text)) };
}

/** Every slide's id, in deck order. */
function idsOf(deck: Deck): string[] {
  const ids = slideIds(deck);
  return deck.sections.flatMap((section) => section.slides.map((slide) => ids.get(slide) ?? '(none)'));
}

describe('slideIds', () => {
  it('names a slide by its file, without its number, and its first heading', () => {
    const deck = deckOf({ '02-threads.md': '# Race conditions\n\n## Not this one\n\n---\n\nintro text\n\n### Locks — *and* `RLock`!\n' });
    expect(idsOf(deck)).toEqual(['threads--race-conditions', 'threads--locks-and-rlock']);
  });

  it('keeps a slide\'s id when a slide is inserted before it, in its own file or an earlier one', () => {
    const before = deckOf({ '01-intro.md': '# Hello', '02-threads.md': '# Race\n\n---\n\nNo heading here.' });
    const after = deckOf({ '01-intro.md': '# Hello\n\n---\n\n# Agenda', '02-threads.md': '# GIL\n\n---\n\n# Race\n\n---\n\nNo heading here.' });
    expect(idsOf(before)).toEqual(['intro--hello', 'threads--race', expect.stringMatching(/^threads--[0-9a-f]{8}$/)]);
    const [hello, race, plain] = idsOf(before);
    expect(idsOf(after)).toEqual([hello, 'intro--agenda', 'threads--gil', race, plain]);
  });

  it('tells apart slides without a heading that show only a demo each, by their demos, wherever they move', () => {
    const before = deckOf({ '02-demos.md': '<<< python a.py\n\n---\n\n<<< python b.py' });
    const after = deckOf({ '02-demos.md': '<<< python c.py\n\n---\n\n<<< python b.py\n\n---\n\n<<< python a.py' });
    const [a, b] = idsOf(before);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^demos--[0-9a-f]{8}$/);
    expect(b).toMatch(/^demos--[0-9a-f]{8}$/);
    expect(idsOf(after).slice(1)).toEqual([b, a]);
  });

  it('numbers repeats -2, -3 in deck order, never taking an id a later heading gives itself', () => {
    const deck = deckOf({ '01-a.md': '# Demo\n\n---\n\n# Demo\n\n---\n\n# Demo 2', '02-a.md': '# Demo\n\n---\n\n# Demo' });
    expect(idsOf(deck)).toEqual(['a--demo', 'a--demo-3', 'a--demo-2', 'a--demo-4', 'a--demo-5']);
    const twins = deckOf({ '03-x.md': 'same text\n\n---\n\nsame text' });
    const [first = '', second] = idsOf(twins);
    expect(second).toBe(`${first}-2`);
  });

  it('gives URL-safe ids to every slide, whatever its headings and file names say', () => {
    const deck = deckOf({
      '01.md': '# Ünïcode & “quotes” — ok?',
      '02_Über Café.md': '#\n\n## ***\n\n```python\n# a comment, not a heading\n```\n',
      'notes/03-deep.md': '## [Link](https://example.com/x) <b>bold</b>',
      '04-empty.md': '   # ',
    });
    const ids = idsOf(deck);
    expect(ids[0]).toBe('slides--unicode-quotes-ok');
    expect(ids[1]).toMatch(/^uber-cafe--[0-9a-f]{8}$/);
    expect(ids[2]).toBe('deep--link-bold');
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ignores headings inside code fences', () => {
    expect(idsOf(deckOf({ '01-a.md': '````md\n# Inside\n```\n# Still inside\n````\n\n## Outside' }))).toEqual(['a--outside']);
  });

  it('gives a section shown only as its errors an id of its own', () => {
    const deck = deckOf({ '01-a.md': '\n', '02-a.md': '# Errors' });
    expect([...errorSlideIds(deck).values()]).toEqual(['a--errors']);
    expect(idsOf(deck)).toEqual(['a--errors-2']);
  });

  it('slugs text to lower-case letters and digits joined by single dashes, not too long', () => {
    expect(slugify('  Hello, World!  ')).toBe('hello-world');
    expect(slugify('Don’t share — it\'s I/O')).toBe('dont-share-its-i-o');
    expect(slugify(`${'x'.repeat(47)} yz`)).toBe('x'.repeat(47));
  });
});

describe('planPacing', () => {
  it('lists the slot and each section\'s minutes and slide ids, an error-only section by its one slide', () => {
    const deck = deckOf({
      '01-intro.md': '---\ntitle: Intro\nminutes: 2\nslot: 30\n---\n# Hello\n\n---\n\n# Agenda',
      '02-broken.md': '\n',
      '03-threads.md': '---\ntitle: Threads\nminutes: 28\n---\n# Race',
    });
    expect(planPacing(deck)).toEqual({
      slotMinutes: 30,
      sections: [
        { title: 'Intro', file: '01-intro.md', minutes: 2, slides: ['intro--hello', 'intro--agenda'] },
        { title: '02-broken', file: '02-broken.md', minutes: null, slides: ['broken--errors'] },
        { title: 'Threads', file: '03-threads.md', minutes: 28, slides: ['threads--race'] },
      ],
    });
  });
});
