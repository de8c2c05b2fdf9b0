import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSection } from '../../server/deck/parse-deck.ts';
import { renderDeck } from '../../server/deck/render-deck.ts';
import type { ReadDemo } from '../../server/deck/render-deck.ts';
import { createDemoReader, loadDeck } from '../../server/deck/load-deck.ts';
import type { Deck } from '../../server/deck/model.ts';
import { sourceVersion } from '../../server/deck/source-version.ts';

const demoFiles: Record<string, string> = {
  'threads/race.py': 'import threading\n# region race\ncounter = 0\ndef work():\n    global counter\n    counter += 1\n# endregion\n',
  'node/fib.ts': 'export const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));\n',
};
const readDemo: ReadDemo = async (id) => demoFiles[id] ?? null;
const raceVersion = sourceVersion(demoFiles['threads/race.py'] ?? '');
const fibVersion = sourceVersion(demoFiles['node/fib.ts'] ?? '');
const decksDir = fileURLToPath(new URL('../fixtures/decks/', import.meta.url));

function deckOf(files: Record<string, string>): Deck {
  return { sections: Object.entries(files).map(([file, text]) => parseSection(file, text)) };
}

/** The top-level `<section …>` opening tags, in order. */
function sectionTags(html: string): string[] {
  return html.match(/^<section[^>]*>/gm) ?? [];
}

describe('renderDeck', () => {
  it('renders one horizontal <section> per slide with its origin and section data', async () => {
    const deck = deckOf({
      '01-intro.md': '---\ntitle: Intro & "welcome"\nminutes: 2\n---\n# Hello\n\n---\n\n## Second',
      '02-concepts.md': '# Concepts\n',
    });
    const { html, errors } = await renderDeck(deck, readDemo);
    expect(errors).toEqual([]);
    expect(sectionTags(html)).toEqual([
      '<section id="intro--hello" class="slide-title" data-slide-id="intro--hello" data-file="01-intro.md" data-line="5" data-section-title="Intro &#38; &#34;welcome&#34;" data-section-start data-minutes="2">',
      '<section id="intro--second" class="slide-content" data-slide-id="intro--second" data-file="01-intro.md" data-line="9" data-section-title="Intro &#38; &#34;welcome&#34;">',
      '<section id="concepts--concepts" class="slide-closing" data-slide-id="concepts--concepts" data-file="02-concepts.md" data-line="1" data-section-title="Concepts" data-section-start>',
    ]);
    expect(html).not.toMatch(/<section[^>]*>\s*<section/);
    expect(html).toContain('<h1>Hello</h1>');
  });

  it('renders notes as an aside, with Markdown, and applies the typographer', async () => {
    const { html } = await renderDeck(deckOf({ 'a.md': '"Quoted" -- text\n\nNote:\nSay **this**.' }), readDemo);
    expect(html).toContain('<aside class="notes">\n<p>Say <strong>this</strong>.</p>\n</aside>');
    expect(html).toContain('“Quoted” – text');
  });

  it('passes raw HTML through', async () => {
    const { html } = await renderDeck(deckOf({ 'a.md': '<div class="two-columns">\n\nhi\n\n</div>' }), readDemo);
    expect(html).toContain('<div class="two-columns">');
  });

  it('highlights fences with shiki, numbering lines and carrying steps', async () => {
    const { html } = await renderDeck(deckOf({ 'a.md': '```python {2-3|1}\nimport os\nx = 1\ny = 2\n```\n\n```\n<plain & text>\n```' }), readDemo);
    expect(html).toMatch(/<pre class="shiki github-dark"[^>]*data-line-steps="\[\[2,3\],\[1\]\]"/);
    expect(html).toContain('<span class="line" data-line="3">');
    expect(html).not.toContain('data-line="4"');
    expect(html).toContain('&#x3C;plain &#x26; text>');
  });

  it('renders a demo with its region, steps and options', async () => {
    const deck = deckOf({ 'a.md': '# Race\n\n<<< python threads/race.py#race {2|3-4} timeout=10 expect=fail\n\nAfter.' });
    const { html, errors } = await renderDeck(deck, readDemo);
    expect(errors).toEqual([]);
    expect(html).toContain(
      `<div class="demo" data-layout="side" data-demo="threads/race.py" data-demo-key="python:threads/race.py#race" data-runtime="python" data-expect="fail" data-version="${raceVersion}" data-first-line="3">`,
    );
    expect(html).toMatch(/<div class="demo-code"><pre class="shiki[^"]*"[^>]*data-line-steps="\[\[2\],\[3,4\]\]"/);
    expect(html).toContain('<div class="demo-terminal"></div>');
    expect(html).not.toContain('import threading');
    expect(html).not.toContain('region');
    expect(html.match(/class="line"/g)).toHaveLength(4);
    expect(html.indexOf('<h1>Race</h1>')).toBeLessThan(html.indexOf('class="demo"'));
    expect(html.indexOf('class="demo"')).toBeLessThan(html.indexOf('<p>After.</p>'));
    expect(html).not.toMatch(/<p>\s*<div class="demo"/);
  });

  it('highlights TypeScript demos as TypeScript, and leaves the limits to the server', async () => {
    const { html } = await renderDeck(deckOf({ 'a.md': '<<< worker node/fib.ts max-output=1k timeout=1' }), readDemo);
    expect(html).toContain(`<div class="demo" data-layout="stacked" data-demo="node/fib.ts" data-demo-key="worker:node/fib.ts" data-runtime="worker" data-expect="ok" data-version="${fibVersion}" data-first-line="1">`);
    expect(html).toContain('<span style="color:#F97583">export</span>');
    expect(html).not.toMatch(/data-timeout-ms|data-max-output-bytes/);
    expect(html).not.toContain('data-line-steps');
  });

  it('marks a demo that reads input or makes a timing claim, and only then', async () => {
    const deck = deckOf({ 'a.md': '<<< python threads/race.py input timing\n\n<<< worker node/fib.ts input=true timing=false\n\n<<< worker node/fib.ts' });
    const { html, errors } = await renderDeck(deck, readDemo);
    expect(errors).toEqual([]);
    expect(html.match(/<div class="demo"[^>]*>/g)).toEqual([
      `<div class="demo" data-layout="side" data-demo="threads/race.py" data-demo-key="python:threads/race.py" data-runtime="python" data-expect="ok" data-input data-timing data-version="${raceVersion}" data-first-line="1">`,
      `<div class="demo" data-layout="stacked" data-demo="node/fib.ts" data-demo-key="worker:node/fib.ts" data-runtime="worker" data-expect="ok" data-input data-version="${fibVersion}" data-first-line="1">`,
      `<div class="demo" data-layout="stacked" data-demo="node/fib.ts" data-demo-key="worker:node/fib.ts~2" data-runtime="worker" data-expect="ok" data-version="${fibVersion}" data-first-line="1">`,
    ]);
  });

  it('gives each demo the key the server finds it by, counting repeats in deck order', async () => {
    const deck = deckOf({
      '01.md': '<<< python threads/race.py#race\n\n---\n\n<<< python threads/race.py\n\n<<< python threads/race.py#race expect=fail',
      '02.md': '<<< python threads/race.py#race',
    });
    const { html } = await renderDeck(deck, readDemo);
    expect(html.match(/data-demo-key="[^"]*"/g)).toEqual([
      'data-demo-key="python:threads/race.py#race"',
      'data-demo-key="python:threads/race.py"',
      'data-demo-key="python:threads/race.py#race~2"',
      'data-demo-key="python:threads/race.py#race~3"',
    ]);
  });

  it('gives each demo the version of its file and the file line its shown code starts at', async () => {
    const files: Record<string, string> = {
      'a.py': '\n\n# region outer\n\n    # region inner\n\n    x = 1\n    # endregion\ny = 2\n# endregion\n',
      'b.py': '# region empty\n\n# endregion\nz = 3\n',
      'c.py': '# region top\n\r\nv = 1\r\n# endregion\r\n',
    };
    const read: ReadDemo = async (id) => files[id] ?? null;
    const deck = deckOf({ 'a.md': '<<< python a.py#outer\n\n<<< python a.py#inner\n\n<<< python a.py\n\n<<< python b.py#empty\n\n<<< python c.py\n\n<<< python c.py#top' });
    const { html, errors } = await renderDeck(deck, read);
    expect(errors).toEqual([]);
    const attributes = [...html.matchAll(/data-version="([^"]*)" data-first-line="(\d+)"/g)].map(([, version, line]) => [version, Number(line)]);
    expect(attributes).toEqual([
      [sourceVersion(files['a.py'] ?? ''), 7],
      [sourceVersion(files['a.py'] ?? ''), 7],
      [sourceVersion(files['a.py'] ?? ''), 7],
      [sourceVersion(files['b.py'] ?? ''), 2],
      [sourceVersion(files['c.py'] ?? ''), 3],
      [sourceVersion(files['c.py'] ?? ''), 3],
    ]);
  });

  it('renders each typing target as a template of its shown code, escaped, in order', async () => {
    const files: Record<string, string> = {
      'race.py': '# region race\ncounter += 1\n# endregion\n',
      'fixed.py': 'import threading\n# region locked\n    with lock:\n        counter += 1  # <safe> & "sound"\n# endregion\n',
      'whole.py': 'print("done")\n',
    };
    const read: ReadDemo = async (id) => files[id] ?? null;
    const { html, errors } = await renderDeck(deckOf({ 'a.md': '<<< python race.py#race typing=fixed.py#locked,whole.py' }), read);
    expect(errors).toEqual([]);
    const demo = /<div class="demo"[\s\S]*?\n<\/div>/.exec(html)?.[0] ?? '';
    expect(demo).toMatch(
      /<div class="demo-terminal"><\/div>\n {2}<template class="demo-typing" data-target="fixed\.py#locked">with lock:\n {4}counter \+= 1 {2}# &#60;safe&#62; &#38; &#34;sound&#34;<\/template>\n {2}<template class="demo-typing" data-target="whole\.py">print\(&#34;done&#34;\)<\/template>\n<\/div>$/,
    );
  });

  it('shows a missing typing target file or region as an error of its slide, with the demo’s other errors', async () => {
    const deck = deckOf({ 't.md': '# T\n\n<<< python threads/race.py#race typing=threads/fixed.py#race,threads/race.py#nope\n\n<<< python threads/race.py#race {9} typing=threads/race.py#race\n\n---\n\n# Fine' });
    const { html, errors } = await renderDeck(deck, readDemo);
    expect(errors).toEqual([
      { file: 't.md', line: 3, message: 'typing target threads/fixed.py#race: file not found in demos/' },
      { file: 't.md', line: 3, message: 'typing target threads/race.py#nope: region "nope" not found' },
      { file: 't.md', line: 5, message: 'demo threads/race.py#race: line steps name line 9 but the code shown has 4 lines' },
    ]);
    const [broken = '', fine = ''] = html.split('</section>');
    expect(broken.match(/<strong>t\.md:\d+<\/strong>/g)).toEqual(['<strong>t.md:3</strong>', '<strong>t.md:3</strong>', '<strong>t.md:5</strong>']);
    expect(broken).not.toContain('class="demo"');
    expect(fine).toContain('<h1>Fine</h1>');
  });

  it('shows parse errors in place of the slide, escaped, and keeps the other slides', async () => {
    const deck = deckOf({ 'bad.md': '# Good\n\n---\n\n# Bad <b>\n\n<<< ruby <script>.rb\n\nNote:\nstill here\n\n---\n\n# Also good' });
    const { html, errors } = await renderDeck(deck, readDemo);
    expect(errors).toEqual([{ file: 'bad.md', line: 7, message: expect.stringMatching(/unknown runtime "ruby"/) as string }]);
    expect(html).toContain('<div class="slide-error" role="alert"><strong>bad.md:7</strong> unknown runtime &#34;ruby&#34;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('Bad <b>');
    expect(html).toContain('<h1>Good</h1>');
    expect(html).toContain('<h1>Also good</h1>');
    expect(html).toContain('<p>still here</p>');
    expect(sectionTags(html)).toHaveLength(3);
  });

  it('shows missing demo files and regions as errors naming the slide line and the demo', async () => {
    const deck = deckOf({ 'd.md': '# A\n\n<<< python threads/missing.py\n\n---\n\n<<< python threads/race.py#nope\n\n---\n\n<<< python threads/race.py#race {9}' });
    const { html, errors } = await renderDeck(deck, readDemo);
    expect(errors).toEqual([
      { file: 'd.md', line: 3, message: 'demo threads/missing.py: file not found in demos/' },
      { file: 'd.md', line: 7, message: 'demo threads/race.py#nope: region "nope" not found' },
      { file: 'd.md', line: 11, message: 'demo threads/race.py#race: line steps name line 9 but the code shown has 4 lines' },
    ]);
    expect(html.match(/class="slide-error"/g)).toHaveLength(3);
    expect(html).not.toContain('class="demo"');
    // The theme's demo layout is for slides that show a demo.
    expect(html).not.toContain('with-demo');
  });

  it('shows every error of a slide at once: parse errors and demos that cannot be shown', async () => {
    const file = '10-every-error-at-once.md';
    const deck = { sections: [parseSection(file, readFileSync(path.join(decksDir, file), 'utf8'))] };
    const { html, errors } = await renderDeck(deck, readDemo);
    expect(errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      `${file}:7 unknown runtime "ruby" (expected worker, process, python)`,
      `${file}:9 demo threads/missing.py: file not found in demos/`,
      `${file}:11 demo threads/race.py#nope: region "nope" not found`,
      `${file}:13 demo threads/race.py#race: line steps name line 9 but the code shown has 4 lines`,
      `${file}:15 line steps name line 4 but the code shown has 1 line`,
    ]);
    const [broken = '', good = ''] = html.split('</section>');
    expect(broken.match(/<div class="slide-error" role="alert"><strong>[^<]+<\/strong>/g)).toEqual(
      [7, 9, 11, 13, 15].map((line) => `<div class="slide-error" role="alert"><strong>${file}:${line}</strong>`),
    );
    expect(broken).not.toContain('class="demo"');
    expect(broken).toContain('<p>Still shown to the speaker.</p>');
    expect(good).toContain('class="demo"');
    expect(good).not.toContain('slide-error');
    expect(sectionTags(html).map((tag) => tag.includes(' with-demo'))).toEqual([false, true]);
  });

  it('blocks remote resources unless the deck opts in: an error box naming URL and file:line, the rest of the slide kept', async () => {
    const slides = '# Remote\n\n<<< python threads/race.py#race\n\nText before\n![logo](https://cdn.example/logo.png)\n\nNote:\n\nSee <img src="//cdn.example/n.png">';
    const blocked = await renderDeck(deckOf({ '01.md': `---\ntitle: T\n---\n${slides}` }), readDemo);
    expect(blocked.errors).toEqual([
      { file: '01.md', line: 9, message: '![](…) https://cdn.example/logo.png not loaded: the deck does not say `remote: allow` (in its first section’s front matter)' },
      { file: '01.md', line: 13, message: expect.stringMatching(/^<img src> \/\/cdn\.example\/n\.png not loaded: /) as string },
    ]);
    expect(blocked.remoteResources.map(({ file, line, url, blocked: why }) => [`${file}:${line}`, url, why !== null])).toEqual([
      ['01.md:9', 'https://cdn.example/logo.png', true],
      ['01.md:13', '//cdn.example/n.png', true],
    ]);
    // One box for both, a line each: many remote references must not push the slide out of view.
    expect(blocked.html).toContain(
      '<div class="slide-error" role="alert">Not loaded: the deck does not say `remote: allow` (in its first section’s front matter)\n' +
        '<strong>01.md:9</strong> ![](…) https://cdn.example/logo.png\n<strong>01.md:13</strong> &#60;img src&#62; //cdn.example/n.png</div>',
    );
    expect(blocked.html.match(/class="slide-error"/g)).toHaveLength(1);
    expect(blocked.html).toContain('<h1>Remote</h1>');
    expect(blocked.html).toContain('class="demo"');
    expect(blocked.html).toContain('<img alt="logo" data-remote-src="https://cdn.example/logo.png">');
    expect(blocked.html).not.toMatch(/\ssrc="(https:)?\/\//);

    const allowed = await renderDeck(deckOf({ '01.md': `---\nremote: allow\n---\n${slides}` }), readDemo);
    expect(allowed.errors).toEqual([{ file: '01.md', line: 13, message: expect.stringMatching(/only https: URLs load/) as string }]);
    expect(allowed.remoteResources.map((r) => r.blocked === null)).toEqual([true, false]);
    expect(allowed.html).toContain('<img src="https://cdn.example/logo.png" alt="logo">');
  });

  it('takes the opt-in from the first section only, and reports remote resources on broken slides too', async () => {
    const { errors, html } = await renderDeck(
      deckOf({ '01.md': '# One', '02.md': '---\nremote: allow\n---\n<<< ruby x.rb\n\n<img src="https://x.example/a.png">' }),
      readDemo,
    );
    expect(errors.map((e) => `${e.file}:${e.line}`)).toEqual(['02.md:4', '02.md:6']);
    expect(html).not.toContain('https://x.example/a.png"');
  });

  it('turns a throwing reader into an error and reads each file once', async () => {
    let reads = 0;
    const flaky: ReadDemo = async (id) => {
      reads++;
      if (id === 'boom.py') throw new Error('EACCES');
      return readDemo(id);
    };
    const deck = deckOf({ 'a.md': '<<< python boom.py\n\n---\n\n<<< python threads/race.py#race\n\n---\n\n<<< python threads/race.py' });
    const { errors } = await renderDeck(deck, flaky);
    expect(errors).toEqual([{ file: 'a.md', line: 1, message: 'demo boom.py: cannot read file: EACCES' }]);
    expect(reads).toBe(2);
  });

  it('shows front-matter errors on the section’s first slide, above its content', async () => {
    const { html, errors } = await renderDeck(deckOf({ 's.md': '---\nminutes: lots\n---\n# Still shown\n\n---\n\n# Second' }), readDemo);
    expect(errors).toEqual([{ file: 's.md', line: 2, message: 'front matter: `minutes` must be a positive number' }]);
    const [first, second] = html.split('</section>');
    expect(first).toMatch(/slide-error[\s\S]*<h1>Still shown<\/h1>/);
    expect(second).not.toContain('slide-error');
  });

  it('gives a section without slides an error slide', async () => {
    const { html, errors } = await renderDeck(deckOf({ 'empty.md': '\n' }), readDemo);
    expect(errors).toEqual([{ file: 'empty.md', line: 1, message: 'section has no slides' }]);
    expect(sectionTags(html)).toEqual(['<section id="empty--errors" data-slide-id="empty--errors" data-file="empty.md" data-line="1" data-section-title="empty" data-section-start>']);
  });
});

describe('loadDeck', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'load-deck-'));
    mkdirSync(path.join(root, 'slides'));
    mkdirSync(path.join(root, 'demos', 'threads'), { recursive: true });
    writeFileSync(path.join(root, 'slides', '02-second.md'), '# Second\n\n<<< python ../secret.py');
    writeFileSync(path.join(root, 'slides', '01-first.md'), '# First\n\n<<< python threads/race.py#race\n\n---\n\n<<< python threads/missing.py');
    writeFileSync(path.join(root, 'slides', 'notes.txt'), 'not a section');
    writeFileSync(path.join(root, 'demos', 'threads', 'race.py'), demoFiles['threads/race.py'] ?? '');
    writeFileSync(path.join(root, 'secret.py'), 'print("secret")');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reads slides/*.md in file-name order and demos from demos/ only', async () => {
    const loaded = await loadDeck({ slidesDir: path.join(root, 'slides'), demosDir: path.join(root, 'demos') });
    expect(loaded.deck.sections.map((s) => s.title)).toEqual(['First', 'Second']);
    expect(loaded.html).toContain('data-demo="threads/race.py"');
    expect(loaded.html).not.toContain('print(');
    expect(loaded.errors.map((e) => `${e.file}:${e.line}`)).toEqual(['01-first.md:7', '02-second.md:3']);
  });

  it('says whether the deck opts in to remote resources, and lists them', async () => {
    const folders = { slidesDir: path.join(root, 'slides'), demosDir: path.join(root, 'demos') };
    expect(await loadDeck(folders)).toMatchObject({ allowRemote: false, remoteResources: [] });
    const opened = mkdtempSync(path.join(tmpdir(), 'load-deck-remote-'));
    try {
      mkdirSync(path.join(opened, 'slides'));
      writeFileSync(path.join(opened, 'slides', '01.md'), '---\nremote: allow\n---\n# Hi\n\n![](https://x.example/a.png)');
      const loaded = await loadDeck({ slidesDir: path.join(opened, 'slides'), demosDir: path.join(opened, 'demos') });
      expect(loaded).toMatchObject({ allowRemote: true, errors: [], remoteResources: [{ file: '01.md', line: 6, url: 'https://x.example/a.png', blocked: null }] });
    } finally {
      rmSync(opened, { recursive: true, force: true });
    }
  });

  it('reads demo files only through resolveDemoPath', async () => {
    const read = createDemoReader(path.join(root, 'demos'));
    expect(await read('threads/race.py')).toContain('counter += 1');
    expect(await read('../secret.py')).toBeNull();
    expect(await read(path.join(root, 'secret.py'))).toBeNull();
    expect(await read('threads/missing.py')).toBeNull();
  });
});
