import { describe, expect, it } from 'vitest';
import { parseSection } from '../../server/deck/parse-deck.ts';
import { renderDeck } from '../../server/deck/render-deck.ts';
import { defaultVariant, variantLabels } from '../../server/deck/variants.ts';
import { requirementTag, unmetRequirement } from '../../server/runners/python-requirement.ts';

const files: Record<string, string> = {
  'race.py': 'print("race")\n',
  'race.ts': 'console.log("race");\n',
  'race_child.ts': 'console.log("child");\n',
  'new.py': 'print("new")\n',
};
const readDemo = (path: string): Promise<string | null> => Promise.resolve(files[path] ?? null);

async function render(front: string, body: string): Promise<string> {
  const { html, errors } = await renderDeck({ sections: [parseSection('01.md', `${front}# Slide\n\n${body}\n`)] }, readDemo);
  expect(errors).toEqual([]);
  return html;
}

/** The visible and hidden `.demo`s by key, and the tabs as the page gets them. */
function shape(html: string): { tabs: string[]; selected: string[]; demos: string[] } {
  const tabs = [...html.matchAll(/<button type="button" role="tab"[^>]*aria-selected="(true|false)">([^<]*)<\/button>/g)];
  return {
    tabs: tabs.map((m) => m[2] ?? ''),
    selected: tabs.filter((m) => m[1] === 'true').map((m) => m[2] ?? ''),
    demos: [...html.matchAll(/<div (hidden )?class="demo[^"]*"[^>]*data-demo-key="([^"]+)"/g)].map((m) => `${m[1] === undefined ? '' : 'hidden '}${m[2] ?? ''}`),
  };
}

describe('rendering demo variants', () => {
  it('renders a group as one box with a tab strip; the first variant shows, the others are hidden', async () => {
    const html = await render('', '<<< python race.py\n<<< worker race.ts');
    expect(html.match(/class="demo-variants"/g)).toHaveLength(1);
    expect(html).toContain('role="tablist"');
    expect(shape(html)).toEqual({ tabs: ['Python', 'TypeScript'], selected: ['Python'], demos: ['python:race.py', 'hidden worker:race.ts'] });
    expect(html).toMatch(/^<section [^>]*class="slide-title with-demo with-demo-tabs"/m);
  });

  it('opens each group on the deck language, and tells two variants of one language apart by runtime', async () => {
    const html = await render('---\nlanguage: typescript\n---\n', '<<< python race.py\n<<< worker race.ts\n<<< process race_child.ts');
    expect(shape(html)).toEqual({
      tabs: ['Python', 'TypeScript · worker', 'TypeScript · process'],
      selected: ['TypeScript · worker'],
      demos: ['hidden python:race.py', 'worker:race.ts', 'hidden process:race_child.ts'],
    });
    expect(html).toContain('data-default-variant="1"');
  });

  it('leaves a demo alone, and two demos split by a blank line, without tabs', async () => {
    const html = await render('---\nlanguage: typescript\n---\n', '<<< python race.py\n\n<<< worker race.ts');
    expect(html).not.toContain('demo-variants');
    expect(shape(html)).toEqual({ tabs: [], selected: [], demos: ['python:race.py', 'worker:race.ts'] });
    expect(html).toMatch(/^<section [^>]*class="slide-title with-demo"/m);
  });

  it('says on the demo what Python it requires', async () => {
    const html = await render('', '<<< python new.py requires=3.13t\n<<< python race.py');
    expect(html).toMatch(/data-demo-key="python:new\.py"[^>]*data-requires="3\.13t"/);
    expect(html).not.toMatch(/data-demo-key="python:race\.py"[^>]*data-requires/);
  });
});

describe('variants', () => {
  it('picks the default variant by language, else the first', () => {
    const group = [{ runtime: 'worker' as const }, { runtime: 'python' as const }];
    expect(defaultVariant(group, null)).toBe(0);
    expect(defaultVariant(group, 'python')).toBe(1);
    expect(defaultVariant([{ runtime: 'python' as const }], 'typescript')).toBe(0);
    expect(variantLabels(group)).toEqual(['TypeScript', 'Python']);
  });
});

describe('unmetRequirement', () => {
  const cpython = (major: number, minor: number, freeThreaded = false): { major: number; minor: number; freeThreaded: boolean } => ({ major, minor, freeThreaded });

  it('says what is needed and what there is', () => {
    expect(unmetRequirement({ major: 3, minor: 14, freeThreaded: false }, cpython(3, 11), 'python3')).toBe('needs Python 3.14 or later; python3 here is 3.11');
    expect(unmetRequirement({ major: 3, minor: 13, freeThreaded: true }, cpython(3, 13), 'python3')).toBe('needs a free-threaded Python 3.13t or later; python3 here is 3.13');
    expect(unmetRequirement({ major: 3, minor: 14, freeThreaded: true }, cpython(3, 13, true), 'py')).toBe('needs a free-threaded Python 3.14t or later; py here is 3.13t');
  });

  it('is met by the version asked for or a later one, free-threaded when asked', () => {
    expect(unmetRequirement({ major: 3, minor: 13, freeThreaded: false }, cpython(3, 13), 'python3')).toBeNull();
    expect(unmetRequirement({ major: 3, minor: 13, freeThreaded: false }, cpython(3, 14, true), 'python3')).toBeNull();
    expect(unmetRequirement({ major: 3, minor: 13, freeThreaded: true }, cpython(3, 14, true), 'python3')).toBeNull();
    expect(unmetRequirement({ major: 3, minor: 9, freeThreaded: false }, cpython(4, 0), 'python3')).toBeNull();
    expect(requirementTag({ major: 3, minor: 13, freeThreaded: true })).toBe('Python ≥ 3.13t');
  });
});
