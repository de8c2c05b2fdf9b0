import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSection } from '../../server/deck/parse-deck.ts';
import { checkStepsFit, parseDemoLine, parseFenceSteps, parseSteps } from '../../server/deck/parse-demo-line.ts';
import type { Section } from '../../server/deck/model.ts';

const fixturesDir = fileURLToPath(new URL('../fixtures/decks/', import.meta.url));
const fixtures = readdirSync(fixturesDir).filter((name) => name.endsWith('.md')).sort();

function parseFixture(name: string): Section {
  return parseSection(name, readFileSync(fixturesDir + name, 'utf8'));
}

describe('parseSection on every fixture', () => {
  it.each(fixtures)('%s matches its snapshot', async (name) => {
    await expect(JSON.stringify(parseFixture(name), null, 2) + '\n').toMatchFileSnapshot(`./__snapshots__/parse-deck/${name}.json`);
  });
});

describe('parseSection', () => {
  it('reads the talk slot from front matter, and refuses a slot that is not a positive number', () => {
    expect(parseSection('01.md', '---\ntitle: Opening\nminutes: 2\nslot: 30\n---\n# Hi\n')).toMatchObject({ minutes: 2, slot: 30, errors: [] });
    expect(parseSection('01.md', '---\nslot: soon\n---\n# Hi\n').errors).toEqual([{ file: '01.md', line: 2, message: 'front matter: `slot` must be a positive number of minutes' }]);
  });

  it('reads front matter, splits slides outside fences and takes notes', () => {
    const section = parseFixture('01-front-matter-and-notes.md');
    expect(section).toMatchObject({ title: 'Concepts', minutes: 6, errors: [] });
    expect(section.slides.map((s) => s.line)).toEqual([6, 15, 31]);
    expect(section.slides[0]?.notes).toBe('Pause here. Ask who has used `threading`.');
    expect(section.slides[1]?.markdown).toContain('---\nkey: value\n---');
    expect(section.slides[1]?.markdown).toContain('Still the same slide.');
    expect(section.slides[2]?.notes).toBe('Walk through the race, line by line.\nThen show the fix.');
    expect(section.slides.flatMap((s) => s.errors)).toEqual([]);
  });

  it('turns demo lines into DemoRefs and placeholders', () => {
    const section = parseFixture('02-demos.md');
    expect(section.title).toBe('Demos');
    expect(section.minutes).toBeNull();
    const [first, second, third] = section.slides;
    expect(first?.demos).toEqual([
      { runtime: 'python', path: 'threads/lost_updates.py', region: 'race', steps: [[3, 4, 5], [8], []], timeoutMs: 10_000, maxOutputBytes: null, expect: 'fail', input: false, timing: false, timeline: false, typing: [], requires: null, line: 3 },
    ]);
    expect(first?.markdown).toBe('# Demos\n\n<!-- deck:demo 0 -->');
    expect(second?.demos.map((d) => [d.runtime, d.path, d.steps, d.timeoutMs, d.maxOutputBytes, d.expect, d.line])).toEqual([
      ['worker', 'node/fib-worker.ts', [], null, null, 'ok', 9],
      ['process', 'node/child.ts', [], 500, 64 * 1024, 'ok', 11],
    ]);
    expect(third?.demos[0]).toMatchObject({ steps: [[1, 3, 4], [6]], maxOutputBytes: 2 * 1024 * 1024, expect: 'ok', line: 17 });
  });

  it('puts each demo error on its own slide with the exact line, leaving good slides alone', () => {
    const section = parseFixture('03-broken-demos.md');
    expect(section.errors).toEqual([]);
    const errorsBySlide = section.slides.map((s) => s.errors.map((e) => `${e.file}:${e.line}`));
    expect(errorsBySlide).toEqual([
      ['03-broken-demos.md:7'],
      ['03-broken-demos.md:13'],
      ['03-broken-demos.md:19'],
      [],
      ['03-broken-demos.md:31', '03-broken-demos.md:33'],
      ['03-broken-demos.md:39', '03-broken-demos.md:41', '03-broken-demos.md:43', '03-broken-demos.md:45'],
      ['03-broken-demos.md:51', '03-broken-demos.md:53', '03-broken-demos.md:55', '03-broken-demos.md:59'],
    ]);
    const messages = section.slides.flatMap((s) => s.errors.map((e) => e.message));
    expect(messages[0]).toMatch(/unknown runtime "ruby"/);
    expect(messages[1]).toMatch(/unknown demo option "colour"/);
    expect(messages[2]).toMatch(/bad line steps/);
    expect(messages.join('\n')).toMatch(/given twice/);
    expect(section.slides[3]?.demos).toHaveLength(1);
  });

  it('reports broken front matter on the section and keeps the slides', () => {
    const broken = parseFixture('04-broken-front-matter.md');
    expect(broken.errors).toHaveLength(1);
    // YAML notices the unclosed `[` on the next line, and says so.
    expect(broken.errors[0]).toMatchObject({ file: '04-broken-front-matter.md', line: 3, message: expect.stringMatching(/^front matter: /) as string });
    expect(broken.slides).toHaveLength(2);
    expect(broken.title).toBe('First slide still renders');

    const wrongTypes = parseFixture('05-front-matter-wrong-types.md');
    expect(wrongTypes.title).toBe('Timing');
    expect(wrongTypes.minutes).toBeNull();
    expect(wrongTypes.errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'front matter: `minutes` must be a positive number'],
      [4, 'front matter: unknown key `speaker` (expected title, minutes, slot, remote, language)'],
    ]);
  });

  it('reports a fence that never closes, where it opens', () => {
    const section = parseFixture('06-unclosed-fence.md');
    expect(section.title).toBe('Title from the heading');
    expect(section.slides).toHaveLength(2);
    expect(section.slides[1]?.errors).toEqual([{ file: '06-unclosed-fence.md', line: 7, message: expect.stringMatching(/never closed/) as string }]);
  });

  it('handles empty files, CRLF and missing titles', () => {
    expect(parseFixture('07-empty.md')).toMatchObject({ title: '07-empty', slides: [], errors: [{ line: 1, message: 'section has no slides' }] });
    const crlf = parseFixture('08-crlf.md');
    expect(crlf).toMatchObject({ title: 'Windows line endings', errors: [] });
    expect(crlf.slides.map((s) => [s.line, s.markdown])).toEqual([[5, '# One'], [9, '# Two']]);
    expect(parseFixture('09-no-title.md').title).toBe('09-no-title');
  });

  it.each(fixtures)('%s: markdown line n is file line `slide.line + n`, notes line n is `notesLine + n`', (name) => {
    const fileLines = readFileSync(fixturesDir + name, 'utf8').replace(/\r\n?/g, '\n').split('\n');
    const at = (line: number): string => fileLines[line - 1] ?? '';
    for (const slide of parseFixture(name).slides) {
      for (const [n, text] of slide.markdown.split('\n').entries()) {
        const placeholder = /^<!-- deck:demo (\d+) -->$/.exec(text);
        if (placeholder) expect(slide.demos[Number(placeholder[1])]?.line).toBe(slide.line + n);
        if (placeholder || text === '') expect(at(slide.line + n)).toMatch(placeholder ? /^<<< / : /^(<<<.*)?$/);
        else expect(at(slide.line + n)).toBe(text);
      }
      if (slide.notesLine === null) expect(slide.notes).toBe('');
      for (const [n, text] of slide.notes.split('\n').entries()) if (slide.notesLine !== null) expect(at(slide.notesLine + n)).toContain(text);
    }
  });

  it('keeps the line of a broken demo line, so lines after it still map to the file', () => {
    const slide = parseSection('x.md', '# T\n<<< ruby a.rb\n<<< python a.py\ntext\n\nNote:\n\n  first note\nsecond').slides[0];
    expect(slide).toMatchObject({ line: 1, markdown: '# T\n\n<!-- deck:demo 0 -->\ntext', notes: 'first note\nsecond', notesLine: 8 });
    expect(slide?.errors.map((e) => e.line)).toEqual([2]);
  });

  it('does not treat demo or note lines inside fences as syntax', () => {
    const section = parseSection('x.md', '```md\n<<< ruby nope\nNote:\n```\nafter');
    expect(section.slides).toHaveLength(1);
    expect(section.slides[0]).toMatchObject({ demos: [], errors: [], notes: '', markdown: '```md\n<<< ruby nope\nNote:\n```\nafter' });
  });
});

describe('demo variants and requirements', () => {
  it('makes demo lines directly one after the other one group, and a blank line two', () => {
    const section = parseFixture('13-variants.md');
    expect(section).toMatchObject({ language: 'typescript', errors: [] });
    expect(section.slides.map((slide) => slide.groups)).toEqual([[[0, 1]], [[0, 1, 2]], [[0], [1]]]);
    expect(section.slides.map((slide) => slide.demos.map((demo) => demo.runtime))).toEqual([['python', 'worker'], ['python', 'worker', 'process'], ['python', 'worker']]);
    expect(section.slides.flatMap((slide) => slide.errors)).toEqual([]);
  });

  it('keeps a group apart from a demo after a broken line, and from text between', () => {
    const groups = (text: string): unknown => parseSection('x.md', text).slides[0]?.groups;
    expect(groups('<<< python a.py\n<<< ruby b.rb\n<<< worker c.ts')).toEqual([[0], [1]]);
    expect(groups('<<< python a.py\ntext\n<<< worker c.ts')).toEqual([[0], [1]]);
    expect(groups('# T\n<<< python a.py\n<<< worker c.ts\nNote:\n<<< python d.py')).toEqual([[0, 1]]);
  });

  it('reads requires= on python demos, and refuses it elsewhere and when it is not a version', () => {
    const section = parseFixture('14-requires.md');
    expect(section.language).toBeNull();
    expect(section.errors).toEqual([{ file: '14-requires.md', line: 2, message: 'front matter: `language` must be `python` or `typescript` (the tab each demo with variants opens on)' }]);
    expect(section.slides[0]?.demos.map((demo) => demo.requires)).toEqual([{ major: 3, minor: 14, freeThreaded: false }, null]);
    expect(section.slides[1]?.demos[0]).toMatchObject({ requires: { major: 3, minor: 13, freeThreaded: true }, timing: true });
    expect(section.slides[2]?.errors).toEqual([{ file: '14-requires.md', line: 19, message: 'requires= is for python demos (the Python a demo needs), not worker demos' }]);
    expect(section.slides[3]?.errors).toEqual([{ file: '14-requires.md', line: 25, message: 'requires must be a Python version like 3.13, or 3.13t for a free-threaded build, not "3"' }]);
  });
});

describe('parseSteps', () => {
  it.each([
    ['3-5|8|', [[3, 4, 5], [8], []]],
    ['*', []],
    ['', []],
    [' 2 ', [[2]]],
    ['1,3-4|*|6', [[1, 3, 4], [], [6]]],
  ])('{%s}', (inner, steps) => {
    expect(parseSteps(inner)).toEqual({ ok: true, value: steps });
  });

  it.each(['0', '5-3', 'a', '1-', '1-100000', '1;2'])('rejects {%s}', (inner) => {
    expect(parseSteps(inner).ok).toBe(false);
  });

  it('reads steps from a fence info string and checks they fit', () => {
    expect(parseFenceSteps('python {2-3|5}')).toEqual({ ok: true, value: [[2, 3], [5]] });
    expect(parseFenceSteps('python title="x"')).toEqual({ ok: true, value: [] });
    expect(parseFenceSteps('python {2').ok).toBe(false);
    expect(checkStepsFit([[2, 3], [5]], 5)).toBeNull();
    expect(checkStepsFit([[6]], 5)).toMatch(/line 6/);
  });
});

describe('parseDemoLine', () => {
  it('accepts spaces inside the steps and any option order', () => {
    const parsed = parseDemoLine('<<< python a/b.py#r1 { 1 | 2-3 } expect=fail max-output=100 timeout=2', 4);
    expect(parsed).toEqual({
      ok: true,
      value: { runtime: 'python', path: 'a/b.py', region: 'r1', steps: [[1], [2, 3]], timeoutMs: 2000, maxOutputBytes: 100, expect: 'fail', input: false, timing: false, timeline: false, typing: [], requires: null, line: 4 },
    });
  });

  it('takes `input` and `timing` as bare flags, or as flag=true / flag=false, anywhere among the options', () => {
    const flags = (line: string): unknown => {
      const parsed = parseDemoLine(line, 1);
      return parsed.ok ? { input: parsed.value.input, timing: parsed.value.timing } : parsed.error;
    };
    const timeline = (line: string): unknown => {
      const parsed = parseDemoLine(line, 1);
      return parsed.ok ? parsed.value.timeline : parsed.error;
    };
    expect(timeline('<<< python a.py')).toBe(false);
    expect(timeline('<<< python a.py {2} timeline timing')).toBe(true);
    expect(timeline('<<< worker a.ts timeline=false')).toBe(false);
    expect(flags('<<< python a.py')).toEqual({ input: false, timing: false });
    expect(flags('<<< python a.py input')).toEqual({ input: true, timing: false });
    expect(flags('<<< python a.py {2} timing timeout=3')).toEqual({ input: false, timing: true });
    expect(flags('<<< worker a.ts expect=fail input timing')).toEqual({ input: true, timing: true });
    expect(flags('<<< python a.py input=true timing=false')).toEqual({ input: true, timing: false });
  });

  it('reads typing targets in order, each a file of the demo’s runtime, whole or one region', () => {
    const typing = (line: string): unknown => {
      const parsed = parseDemoLine(line, 1);
      return parsed.ok ? parsed.value.typing : parsed.error;
    };
    expect(typing('<<< python a.py')).toEqual([]);
    expect(typing('<<< python concepts/lost_updates.py#race typing=concepts/lost_updates_locked.py#locked')).toEqual([{ path: 'concepts/lost_updates_locked.py', region: 'locked' }]);
    expect(typing('<<< worker a.ts typing=b.ts#one,b.ts#two,c.mts timing')).toEqual([
      { path: 'b.ts', region: 'one' },
      { path: 'b.ts', region: 'two' },
      { path: 'c.mts', region: null },
    ]);
  });

  it.each([
    ['<<< python a.py typing', '"typing" is not an option on its own: write typing=<path>[#region][,…]'],
    ['<<< python a.py typing=', 'typing needs at least one target: write typing=<path>[#region][,…]'],
    ['<<< python a.py typing=b.py,', 'typing target 2 of "b.py," is empty'],
    ['<<< python a.py typing=b.py,,c.py', 'typing target 2 of "b.py,,c.py" is empty'],
    ['<<< python a.py typing=../b.py', 'typing target "../b.py" must be a plain relative path inside demos/'],
    ['<<< python a.py typing=b.py,/etc/c.py', 'typing target "/etc/c.py" must be a plain relative path inside demos/'],
    ['<<< python a.py typing=b.py#', 'typing target "b.py#": bad region name "" (letters, digits, _ . -)'],
    ['<<< python a.py typing=b.py#x!', 'typing target "b.py#x!": bad region name "x!" (letters, digits, _ . -)'],
    ['<<< python a.py typing=b.py,c.ts', 'typing target "c.ts": runtime python runs .py files, not "c.ts"'],
    ['<<< process a.ts typing=b.py#x', 'typing target "b.py#x": runtime process runs .ts .mts .js .mjs files, not "b.py"'],
    ['<<< python a.py typing=b.py typing=c.py', 'demo option "typing" is given twice'],
  ])('rejects %s, naming the target and what is wrong', (line, error) => {
    expect(parseDemoLine(line, 1)).toEqual({ ok: false, error });
  });

  it('names every option it knows when it meets one it does not', () => {
    const parsed = parseDemoLine('<<< python a.py colour=red', 1);
    expect(parsed).toEqual({ ok: false, error: 'unknown demo option "colour" (expected timeout=<seconds>, max-output=<bytes>, expect=ok|fail, input, timing, timeline, typing=<path>[#region][,…], requires=<3.13|3.13t>)' });
    expect(parseDemoLine('<<< python a.py interactive', 1)).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown demo option "interactive" \(expected .*input, timing, timeline, typing=.*\)$/) as string });
  });

  it.each([
    ['<<< python', /needs a runtime and a path/],
    ['<<< python a.py input=yes', /input is written alone, or as input=true or input=false/],
    ['<<< python a.py timing timing', /"timing" is given twice/],
    ['<<< python a.py input input=false', /"input" is given twice/],
    ['<<< python a.py expect', /"expect" is not an option on its own: write expect=ok\|fail/],
    ['<<< python a.py#', /bad region name/],
    ['<<< python a.py {1', /closing }/],
    ['<<< python a.py timeout', /not an option/],
    ['<<< python a.py timeout=0', /timeout/],
    ['<<< python a.py timeout=601', /timeout/],
    ['<<< python a.py max-output=0', /max-output/],
    ['<<< python a//b.py', /plain relative path/],
    ['<<< python ./a.py', /plain relative path/],
    ['<<< process a.py', /runtime process runs/],
  ])('rejects %s', (line, message) => {
    const parsed = parseDemoLine(line, 1);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
