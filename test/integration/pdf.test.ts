/**
 * `npm run pdf` on a fixture deck with a recording: the pages it prints (pdfinfo), the text
 * on them (pdftotext) and, for step pages, what they look like (pdftoppm). Needs Debian's
 * chromium and poppler-utils.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import { loadDeck } from '../../server/deck/load-deck.ts';
import { printPdf } from '../../scripts/pdf/print-pdf.ts';

const exec = promisify(execFile);
const fixture = path.join(projectRoot, 'test/fixtures/pdf-deck');
const RECORDED_OUTPUT = 'hello from the recorded run';
const NOTE = 'Breathe in before the first demo.';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pdf-test-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The fixture's slides, and its step pages: a slide with n steps is n pages (the fixture has no other fragments). */
async function fixturePages(): Promise<{ slides: number; stepPages: number }> {
  const { deck, html, errors } = await loadDeck({ slidesDir: path.join(fixture, 'slides'), demosDir: path.join(fixture, 'demos') });
  expect(errors).toEqual([]);
  const slides = deck.sections.reduce((n, section) => n + section.slides.length, 0);
  const extraSteps = [...html.matchAll(/data-line-steps="([^"]*)"/g)].reduce((n, [, raw = '[]']) => n + (JSON.parse(raw.replace(/&quot;/g, '"')) as unknown[]).length - 1, 0);
  expect(extraSteps).toBeGreaterThan(0);
  return { slides, stepPages: slides + extraSteps };
}

async function pageCount(pdf: string): Promise<number> {
  const { stdout } = await exec('pdfinfo', [pdf]);
  const match = /^Pages:\s+(\d+)$/m.exec(stdout);
  if (match === null) throw new Error(`pdfinfo gave no page count:\n${stdout}`);
  return Number(match[1]);
}

/** The pages' text, one string per page (pdftotext ends each page with a form feed). */
async function pageTexts(pdf: string): Promise<string[]> {
  const { stdout } = await exec('pdftotext', ['-layout', pdf, '-']);
  return stdout.split('\f').slice(0, -1);
}

type Kind = 'slides' | 'steps' | 'notes';
const printed = new Map<Kind, Promise<{ out: string; pages: number; bytes: number; stdout: string }>>();

/** Each kind printed once, by the function (slides, notes) or by the script as a speaker runs it (steps). */
function print(kind: Kind): Promise<{ out: string; pages: number; bytes: number; stdout: string }> {
  let result = printed.get(kind);
  if (result === undefined) {
    const out = path.join(work, `${kind}.pdf`);
    result =
      kind === 'steps'
        ? exec(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts/build-pdf.ts'), '--root', fixture, '--out', out, '--steps'], { cwd: projectRoot }).then(({ stdout }) => ({ out, pages: -1, bytes: -1, stdout }))
        : printPdf({ root: fixture, out, steps: false, notes: kind === 'notes' }).then((pdf) => ({ ...pdf, stdout: '' }));
    printed.set(kind, result);
  }
  return result;
}

/** The pages (1-based) whose text includes `title`. */
function pagesWith(pages: readonly string[], title: string): number[] {
  return pages.flatMap((text, index) => (text.includes(title) ? [index + 1] : []));
}

describe('npm run pdf', () => {
  it('prints one page per slide: the recorded output and its exit line on the demo slide, no Run or Stop, no notes', async () => {
    const { out, pages: count, bytes } = await print('slides');
    const { slides } = await fixturePages();
    expect(await pageCount(out)).toBe(slides);
    expect(count).toBe(slides);
    expect(bytes).toBe((await readFile(out)).length);

    const pages = await pageTexts(out);
    const demoPage = pages.find((text) => text.includes('A recorded demo')) ?? '';
    expect(demoPage).toContain(RECORDED_OUTPUT);
    expect(demoPage).toMatch(/exit 0 · 0\.05 s/);
    expect(demoPage).toContain('recording · 28 Nov 2026');
    expect(pages.find((text) => text.includes('A demo with no recording'))).toContain('no recording');
    // A traced demo's page has its timeline, drawn from the recording's trace: lanes and the deadlock named.
    const traced = (pages.find((text) => text.includes('A traced deadlock')) ?? '').replace(/\s+/g, ' ');
    expect(traced).toContain('Deadlock: A holds lock1 and waits for lock2; B holds lock2 and waits for lock1');
    expect(traced).toMatch(/MainProcess.*A.*B/);
    expect(traced).not.toContain('Download trace');
    const all = pages.join('\n');
    expect(all).not.toMatch(/\bRun\b|\bStop\b/);
    expect(all).not.toContain(NOTE);
    // Numbered as on screen.
    expect(pages[0]).toMatch(new RegExp(`\\b1/${slides}\\b`));
  });

  it('with --steps prints a page per step, each with its own highlight and the recording on every copy of a demo', async () => {
    const { out, stdout } = await print('steps');
    const { stepPages } = await fixturePages();
    expect(await pageCount(out)).toBe(stepPages);
    expect(stdout).toMatch(new RegExp(`steps\\.pdf: ${stepPages} pages, \\d+ KB`));
    expect(stdout).toMatch(/1 demo without a recording .*: worker plain\.ts/);

    const pages = await pageTexts(out);
    const stepped = pagesWith(pages, 'Stepped code');
    expect(stepped).toHaveLength(3);
    // Same text, another highlight: the pages differ as images.
    const images = await Promise.all(stepped.map((page) => render(out, page)));
    expect(new Set(images).size).toBe(3);
    const demoPages = pagesWith(pages, 'A recorded demo');
    expect(demoPages).toHaveLength(2);
    for (const page of demoPages) expect(pages[page - 1]).toContain(RECORDED_OUTPUT);
  });

  it('shows stepped code plain on a slide of one page: no step highlighted, none dimmed', async () => {
    const slides = (await print('slides')).out;
    const steps = (await print('steps')).out;
    const [slidePages, stepPages] = await Promise.all([pageTexts(slides), pageTexts(steps)]);
    // The code fence's last step is plain ({1|2-3|}): the slide's one page looks exactly like it.
    const plain = await render(slides, pagesWith(slidePages, 'Stepped code')[0] ?? 0);
    expect(plain).toBe(await render(steps, pagesWith(stepPages, 'Stepped code')[2] ?? 0));
    // The demo's steps ({1|3-4}) all highlight: its one page is like neither of its step pages.
    const demo = await render(slides, pagesWith(slidePages, 'A recorded demo')[0] ?? 0);
    for (const page of pagesWith(stepPages, 'A recorded demo')) expect(await render(steps, page)).not.toBe(demo);
  });

  it('with --notes adds a page of notes after its slide', async () => {
    const { out } = await print('notes');
    const { slides } = await fixturePages();
    expect(await pageCount(out)).toBe(slides + 1);
    const pages = await pageTexts(out);
    expect(pages[1]).toContain(NOTE);
    expect(pages[1]).toContain('Notes · slide 1');
  });

  it('fails plainly on a deck with errors, and leaves no temporary folder behind', async () => {
    const before = await temporaryFolders();
    const broken = path.join(projectRoot, 'test/fixtures/browser-deck'); // a slide shows a demo that does not exist
    await expect(printPdf({ root: broken, out: path.join(work, 'none.pdf'), steps: false, notes: false })).rejects.toThrow(/missing\.py/);
    expect(await temporaryFolders()).toEqual(before);
  });
});

/** One page as a PNG at a low resolution, as base64 text (to compare pages). */
async function render(pdf: string, page: number): Promise<string> {
  const prefix = path.join(work, `${path.basename(pdf, '.pdf')}-page-${page}`);
  await exec('pdftoppm', ['-png', '-r', '30', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix]);
  return (await readFile(`${prefix}.png`)).toString('base64');
}

async function temporaryFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('deck-pdf-')).sort();
}
