import { describe, expect, it } from 'vitest';
import { baseDemoKey, demoKeys } from '../../server/deck/demo-keys.ts';
import type { Deck } from '../../server/deck/model.ts';
import { parseSection } from '../../server/deck/parse-deck.ts';

function deckOf(files: Record<string, string>): Deck {
  return { sections: Object.entries(files).map(([file, text]) => parseSection(file, text)) };
}

/** key → `file:line` of the demo line it names. */
function keysOf(deck: Deck): Record<string, string> {
  const files = new Map(deck.sections.flatMap((section) => section.slides.flatMap((slide) => slide.demos.map((demo) => [demo, slide.file] as const))));
  return Object.fromEntries([...demoKeys(deck)].map(([key, demo]) => [key, `${files.get(demo)}:${demo.line}`]));
}

describe('demoKeys', () => {
  it('names a demo by runtime and path, plus its region', () => {
    expect(baseDemoKey({ runtime: 'python', path: 'threads/race.py', region: null })).toBe('python:threads/race.py');
    expect(baseDemoKey({ runtime: 'worker', path: 'node/fib.ts', region: 'spawn' })).toBe('worker:node/fib.ts#spawn');
  });

  it('numbers repeats of the same key in deck order, across slides and sections', () => {
    const deck = deckOf({
      '01.md': '<<< python a.py\n\n<<< python a.py#r timeout=2\n\n---\n\n<<< python a.py expect=fail',
      '02.md': '<<< worker b.ts\n\n---\n\n<<< process b.ts\n\n<<< python a.py',
    });
    expect(keysOf(deck)).toEqual({
      'python:a.py': '01.md:1',
      'python:a.py#r': '01.md:3',
      'python:a.py~2': '01.md:7',
      'worker:b.ts': '02.md:1',
      'process:b.ts': '02.md:5',
      'python:a.py~3': '02.md:7',
    });
    expect([...demoKeys(deck).values()].map((demo) => demo.expect)).toEqual(['ok', 'ok', 'fail', 'ok', 'ok', 'ok']);
  });

  it('keeps every key when unrelated slides are added, removed or broken', () => {
    const before = keysOf(deckOf({ '01.md': '# Intro\n\n---\n\n<<< python a.py\n\n---\n\n<<< python a.py#r', '02.md': '<<< python a.py' }));
    const after = keysOf(
      deckOf({
        '01.md': '# Intro\n\n---\n\n# New slide\n\n<<< worker c.ts\n\n<<< ruby broken.rb\n\n---\n\n<<< python a.py\n\n---\n\n<<< python a.py#r',
        '02.md': '<<< python a.py',
      }),
    );
    expect(Object.keys(after).filter((key) => key !== 'worker:c.ts')).toEqual(Object.keys(before));
  });

  it('gives a deck without demos no keys', () => {
    expect(demoKeys(deckOf({ '01.md': '# Only text' })).size).toBe(0);
  });
});
