/**
 * The theme as the room sees it, in a real browser at a laptop's 1280×720, a full-HD
 * projector's 1920×1080 and an old 1024×768 one, on a fixture deck with a title slide, a
 * text slide, a section divider, a side-by-side demo, a stacked demo and a closing slide with
 * a QR code: code and terminal text at 22 px of the 1280×720 slide at least, nothing spilling
 * out of its pane or the slide, the slide number clear of the arrows, each terminal at its
 * layout's size (server/deck/demo-layout.ts), the punchline big after a run. Screenshots of
 * every slide at every size go to $TMPDIR/deck-theme-screens.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { TERMINAL_SIZE } from '../../server/deck/demo-layout.ts';
import type { DemoLayout } from '../../server/deck/demo-layout.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';
import { evaluate, goToSlideWith, launchBrowser, waitFor, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';

const fixtureDeck = fileURLToPath(new URL('../fixtures/theme-deck', import.meta.url));
const screenshotDir = path.join(tmpdir(), 'deck-theme-screens');
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 1024, height: 768 },
] as const;
const SLIDES = ['title', 'text', 'section', 'side', 'stacked', 'closing'] as const;
/** The smallest text on a 1280×720 slide that the back row reads: code, terminal. */
const MIN_CODE_PX = 22;
const MIN_PUNCHLINE_PX = 34;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** What MEASURE reports of the current slide; lengths in px of the 1280×720 slide. */
interface SlideMeasure {
  readonly kind: string;
  readonly layout: DemoLayout | null;
  /** Elements whose box leaves the slide. */
  readonly outside: string[];
  /** Elements whose content is larger than their box (scrolled or cut). */
  readonly overflowing: string[];
  readonly codeFontPx: number | null;
  /** A code line's drawn height against its computed line height: 1 unless something shrinks it. */
  readonly codeDrawnRatio: number | null;
  readonly terminalFontPx: number | null;
  /** A terminal row's drawn height against its cell height. */
  readonly terminalDrawnRatio: number | null;
  readonly terminal: { cols: number; rows: number } | null;
  readonly slideNumber: Box | null;
  readonly controls: Box[];
  readonly punchline: { text: string; fontPx: number; box: Box } | null;
  readonly qr: Box | null;
}

/**
 * Page-side measuring, as JS text (the Node-side project has no DOM types). Each length is
 * divided by the slide's scale, so it reads in px of the 1280×720 slide whatever the window.
 */
const MEASURE = `(() => {
  const slide = Reveal.getCurrentSlide();
  const slideBox = slide.getBoundingClientRect();
  const scale = slideBox.width / 1280;
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const box = (el) => { const b = el.getBoundingClientRect(); return { x: (b.left - slideBox.left) / scale, y: (b.top - slideBox.top) / scale, w: b.width / scale, h: b.height / scale }; };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const outside = [];
  for (const el of slide.querySelectorAll('h1, h2, h3, p, li, table, pre, .demo, .demo-code, .demo-terminal, .demo-toolbar, .demo-code-toolbar, .xterm-screen, .demo-punchline, .demo-tabs, .qr, .qr-code')) {
    if (!shown(el) || el.closest('aside.notes')) continue;
    const b = box(el);
    if (b.x < -0.5 || b.y < -0.5 || b.x + b.w > 1280.5 || b.y + b.h > 720.5) outside.push(name(el) + ' ' + JSON.stringify(b));
  }
  const overflowing = [];
  for (const el of [slide, ...slide.querySelectorAll('.demo, .demo-code pre code, .demo-terminal, .demo-punchline, h1, h2, li, p')]) {
    if (!shown(el) || el.closest('aside.notes')) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) overflowing.push(name(el) + ' ' + [el.scrollWidth, el.clientWidth, el.scrollHeight, el.clientHeight].join('/'));
  }
  // A terminal by what it draws: xterm's invisible helpers (the input textarea that follows the
  // cursor, the glyph measurer) may reach past its box without anything showing there.
  for (const host of slide.querySelectorAll('.demo-xterm')) {
    const drawn = host.querySelector('.xterm-screen');
    if (!shown(host) || drawn === null) continue;
    const inner = drawn.getBoundingClientRect();
    const outer = host.getBoundingClientRect();
    if (inner.right > outer.right + 1 || inner.bottom > outer.bottom + 1) overflowing.push(name(drawn) + ' ' + [inner.width, outer.width, inner.height, outer.height].map(Math.round).join('/'));
  }
  const demo = [...slide.querySelectorAll('.demo')].find(shown) ?? null;
  const line = demo?.querySelector('.demo-code pre .line') ?? null;
  const rows = demo?.querySelector('.xterm-rows') ?? null;
  const screen = demo?.querySelector('.xterm-screen') ?? null;
  const measureEl = demo?.querySelector('.xterm-char-measure-element') ?? null;
  const cellWidth = measureEl ? measureEl.getBoundingClientRect().width / measureEl.textContent.length : 0;
  const firstRow = rows?.children[0] ?? null;
  const strip = demo?.querySelector('.demo-punchline') ?? null;
  const number = document.querySelector('.reveal .slide-number');
  const qr = slide.querySelector('.qr-code');
  return {
    kind: [...slide.classList].find((c) => c.startsWith('slide-')) ?? '',
    layout: demo?.dataset.layout ?? null,
    outside,
    overflowing,
    codeFontPx: line ? parseFloat(getComputedStyle(line).fontSize) : null,
    codeDrawnRatio: line ? line.getBoundingClientRect().height / scale / parseFloat(getComputedStyle(line).lineHeight) : null,
    terminalFontPx: rows ? parseFloat(getComputedStyle(rows).fontSize) : null,
    terminalDrawnRatio: firstRow ? firstRow.getBoundingClientRect().height / scale / parseFloat(getComputedStyle(firstRow).height) : null,
    terminal: rows && screen && cellWidth > 0 ? { cols: Math.round(screen.getBoundingClientRect().width / cellWidth), rows: rows.children.length } : null,
    slideNumber: number && shown(number) ? box(number) : null,
    controls: [...document.querySelectorAll('.reveal .controls button')].filter((b) => shown(b) && getComputedStyle(b).opacity !== '0').map(box),
    punchline: strip ? { text: strip.textContent, fontPx: parseFloat(getComputedStyle(strip).fontSize), box: box(strip) } : null,
    qr: qr ? box(qr) : null,
  };
})()`;

let root = '';
let server: SpawnedServer;
let browser: LaunchedBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildClient();
  await mkdir(screenshotDir, { recursive: true });
  root = await mkdtemp(path.join(tmpdir(), 'deck-theme-'));
  await cp(fixtureDeck, root, { recursive: true });
  server = await spawnServer({ root });
  browser = await launchBrowser(VIEWPORTS[0]);
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await waitFor(page, 'isReady', []);
  // Screenshots and measures of the slide itself, not of a fade between two.
  await evaluate(page, `window.Reveal.configure({ transition: 'none', backgroundTransition: 'none' })`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** Shows slide `index` and waits until it is drawn: its terminal opened (font loaded), its QR code laid out. */
async function show(index: number): Promise<SlideMeasure> {
  await evaluate(page, `window.Reveal.slide(${index}, 0, -1)`);
  await page.waitForFunction(
    (i) => {
      const reveal = (globalThis as unknown as { Reveal: { getIndices(): { h: number }; getCurrentSlide(): { querySelector(s: string): unknown } } }).Reveal;
      const slide = reveal.getCurrentSlide();
      return reveal.getIndices().h === i && (slide.querySelector('.demo') === null || slide.querySelector('.demo:not([hidden]) .xterm-rows') !== null);
    },
    index,
    { polling: 50 },
  );
  return evaluate<SlideMeasure>(page, MEASURE);
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('the theme', () => {
  it('gives each slide its kind and each demo its layout', async () => {
    const kinds: string[] = [];
    const layouts: (string | null)[] = [];
    for (const index of SLIDES.keys()) {
      const measured = await show(index);
      kinds.push(measured.kind);
      layouts.push(measured.layout);
    }
    expect(kinds).toEqual(['slide-title', 'slide-content', 'slide-section', 'slide-content', 'slide-content', 'slide-closing']);
    expect(layouts).toEqual([null, null, null, 'side', 'stacked', null]);
  });

  it('shows a run\'s punchline big under its terminal, and the line itself in the output', async () => {
    await goToSlideWith(page, '.demo[data-layout="side"]');
    await page.locator('.present .demo-run').click();
    await waitForTerminalText(page, 'side.py', /lost updates: 61,234[\s\S]*⏎ exit 0/);
    const measured = await evaluate<SlideMeasure>(page, MEASURE);
    expect(measured.punchline?.text).toBe('lost updates: 61,234');
    expect(measured.punchline?.fontPx).toBeGreaterThanOrEqual(MIN_PUNCHLINE_PX);
    expect(measured.overflowing).toEqual([]);
    // The stacked demo printed none: its strip stays empty.
    await goToSlideWith(page, '.demo[data-layout="stacked"]');
    await page.locator('.present .demo-run').click();
    await waitForTerminalText(page, 'wide.py', /subinterp[\s\S]*⏎ exit 0/);
    expect((await evaluate<SlideMeasure>(page, MEASURE)).punchline?.text).toBe('');
  });

  describe.each(VIEWPORTS)('at $width×$height', (viewport) => {
    it('keeps code and terminal at 22 px of the slide at least, inside their panes and the slide, the number clear of the arrows', async () => {
      await page.setViewportSize(viewport);
      await evaluate(page, 'window.Reveal.layout()');
      for (const [index, slide] of SLIDES.entries()) {
        const measured = await show(index);
        await page.screenshot({ path: path.join(screenshotDir, `${index + 1}-${slide}-${viewport.width}x${viewport.height}.png`) });
        const where = `${slide} slide at ${viewport.width}×${viewport.height}`;
        expect(measured.outside, where).toEqual([]);
        expect(measured.overflowing, where).toEqual([]);
        expect(measured.slideNumber, where).not.toBeNull();
        for (const control of measured.controls) expect(intersects(control, measured.slideNumber as Box), `${where}: the slide number meets an arrow`).toBe(false);
        if (measured.layout !== null) {
          expect(measured.codeFontPx, where).toBeGreaterThanOrEqual(MIN_CODE_PX);
          expect(measured.codeDrawnRatio, where).toBeCloseTo(1, 1);
          expect(measured.terminalFontPx, where).toBeGreaterThanOrEqual(MIN_CODE_PX);
          expect(measured.terminalDrawnRatio, where).toBeCloseTo(1, 1);
          expect(measured.terminal, where).toEqual(TERMINAL_SIZE[measured.layout]);
          expect(measured.punchline?.fontPx, where).toBeGreaterThanOrEqual(MIN_PUNCHLINE_PX);
        }
        // Back on the slide, the run is drawn again from the server's screen of it: the punchline comes with it.
        if (slide === 'side') expect(measured.punchline?.text, where).toBe('lost updates: 61,234');
        if (slide === 'closing') {
          expect(measured.qr, where).not.toBeNull();
          expect(measured.qr?.w, where).toBeGreaterThanOrEqual(240);
        }
      }
    });
  });

  it('threw no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
