/**
 * The presenter screen in a real browser against the real server: a deck window and the
 * presenter screen (`/?view=presenter`) side by side on a temp copy of the fixture deck.
 * The screen's keys move the talk for both, `r` runs the current slide's demos once for
 * both, Shift+T records a rehearsal, and the layout fits a laptop's 1280x720 and 1024x768.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';
import { demoSelector, evaluate, launchBrowser, waitFor, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';

const fixtureDeck = fileURLToPath(new URL('../fixtures/browser-deck', import.meta.url));
const screenshotDir = path.join(tmpdir(), 'deck-screens');

let root = '';
let server: SpawnedServer;
let browser: LaunchedBrowser;
let deck: Page;
let presenter: Page;
const pageErrors: string[] = [];
/** Every `starting` message the deck window received: one per run. */
const startingOnDeck: string[] = [];

/** The live deck page inside the presenter screen. */
function currentFrame(): Frame {
  const frame = presenter.frames().find((candidate) => new URL(candidate.url()).searchParams.get('view') === 'frame');
  if (frame === undefined) throw new Error('the presenter screen has no current-slide frame');
  return frame;
}

async function text(selector: string): Promise<string> {
  return (await presenter.locator(selector).first().textContent()) ?? '';
}

async function frameSlideId(): Promise<string> {
  return currentFrame().evaluate('window.Reveal.getCurrentSlide().dataset.slideId') as Promise<string>;
}

async function deckSlideId(): Promise<string> {
  return evaluate<string>(deck, 'window.Reveal.getCurrentSlide().dataset.slideId');
}

/** Presses PageDown on the presenter screen until the frame shows a slide holding `selector`. */
async function clickTo(selector: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if (await currentFrame().evaluate(`window.Reveal.getCurrentSlide().querySelector(${JSON.stringify(selector)}) !== null`)) return;
    const before = `${await frameSlideId()}/${String(await currentFrame().evaluate('window.Reveal.getIndices().f'))}`;
    await presenter.keyboard.press('PageDown');
    await expect.poll(async () => `${await frameSlideId()}/${String(await currentFrame().evaluate('window.Reveal.getIndices().f'))}`).not.toBe(before);
  }
  throw new Error(`no slide with ${selector} within 20 steps`);
}

beforeAll(async () => {
  await buildClient();
  root = await mkdtemp(path.join(tmpdir(), 'deck-presenter-'));
  await cp(fixtureDeck, root, { recursive: true });
  server = await spawnServer({ root });
  browser = await launchBrowser();
  deck = await browser.newPage();
  deck.on('pageerror', (error) => pageErrors.push(`deck: ${error.message}`));
  deck.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string' && payload.includes('"type":"starting"')) startingOnDeck.push(payload);
    });
  });
  await deck.goto(server.url);
  await waitFor(deck, 'isReady', []);

  presenter = await browser.newPage();
  presenter.on('pageerror', (error) => pageErrors.push(`presenter: ${error.message}`));
  await presenter.goto(`${server.origin}/?view=presenter&token=${server.token}`);
  await presenter.locator('.presenter-slide-number', { hasText: /^Slide 1 \/ \d+$/ }).waitFor({ timeout: 20_000 });
  await presenter.locator('.presenter-connection').waitFor({ state: 'hidden' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('the presenter screen', () => {
  it('shows the current slide, its notes, the next slide, the plan and the keys', async () => {
    expect(presenter.url()).not.toContain(server.token);
    const total = await evaluate<number>(deck, 'window.Reveal.getTotalSlides()');
    expect(await text('.presenter-slide-number')).toBe(`Slide 1 / ${total}`);
    expect(await text('.presenter-notes')).toMatch(/These are the speaker.s notes\./);
    expect(await text('.presenter-next-label')).toBe('Next: Stepped code');
    const firstRow = presenter.locator('.presenter-plan tbody tr').first();
    expect(await firstRow.getAttribute('data-state')).toBe('current');
    expect(await firstRow.locator('.presenter-plan-title').textContent()).toBe('Browser fixture');
    expect(await firstRow.locator('.presenter-plan-planned').textContent()).toBe('2:00');
    expect(await text('.presenter-clock')).toMatch(/^\d\d:\d\d$/);
    expect(await text('.presenter-legend')).toContain('rehearsal');
  });

  it('moves the talk for every window with a clicker\'s keys, step by step', async () => {
    await presenter.keyboard.press('PageDown');
    await expect.poll(frameSlideId).toBe('intro--stepped-code');
    await expect.poll(deckSlideId).toBe('intro--stepped-code');
    await expect.poll(() => text('.presenter-step')).toBe('Step 1 / 3');
    expect(await text('.presenter-notes')).toBe('No notes for this slide.');

    await presenter.keyboard.press('ArrowRight');
    await expect.poll(() => text('.presenter-step')).toBe('Step 2 / 3');
    await expect.poll(() => evaluate<number>(deck, 'window.Reveal.getIndices().f')).toBe(0);

    await presenter.keyboard.press('PageUp');
    await presenter.keyboard.press('PageUp');
    await expect.poll(frameSlideId).toBe('intro--browser-fixture-deck');
    await expect.poll(deckSlideId).toBe('intro--browser-fixture-deck');
    expect(await evaluate<string>(presenter, 'document.activeElement.tagName')).toBe('BODY');
  });

  it('runs the slide\'s demos once with r: one run, shown in the frame and in the deck window', async () => {
    await clickTo(demoSelector('hello.py'));
    await expect.poll(deckSlideId).toBe(await frameSlideId());
    const before = startingOnDeck.length;
    await presenter.keyboard.press('r');
    await waitForTerminalText(deck, 'hello.py', /⏎ exit 0/);
    await expect
      .poll(() => currentFrame().evaluate(`window.__deckTest.terminalText(${JSON.stringify(demoSelector('hello.py'))})`))
      .toContain('hello from python');
    expect(startingOnDeck.slice(before)).toHaveLength(1);
    expect(await evaluate<string>(presenter, 'document.activeElement.tagName')).toBe('BODY');
  });

  it('lists the runs going on, ticking, and stops them with .', async () => {
    await clickTo(demoSelector('forever.py'));
    await presenter.keyboard.press('r');
    const run = presenter.locator('.presenter-runs li', { hasText: 'forever.py' });
    await run.waitFor({ timeout: 10_000 });
    const first = await run.locator('.presenter-run-time').textContent();
    await expect.poll(() => run.locator('.presenter-run-time').textContent(), { timeout: 5_000 }).not.toBe(first);
    await presenter.keyboard.press('.');
    await presenter.locator('.presenter-runs').waitFor({ state: 'hidden', timeout: 10_000 });
    await waitForTerminalText(deck, 'forever.py', /■ stopped/);
  });

  it('starts a rehearsal with Shift+T, ends it with Shift+T twice and shows its report', async () => {
    await presenter.keyboard.press('Shift+T');
    await expect.poll(() => presenter.locator('.presenter-rehearsing').isVisible()).toBe(true);
    await presenter.keyboard.press('Shift+T');
    // The first press while rehearsing only asks; the rehearsal goes on.
    expect(await presenter.locator('.presenter-report').isVisible()).toBe(false);
    await presenter.keyboard.press('Shift+T');
    await expect.poll(() => presenter.locator('.presenter-report').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await text('.presenter-report-file')).toContain(path.join(root, 'rehearsals'));
    expect(await text('.presenter-report-text')).toMatch(/\S/);
    await expect.poll(() => presenter.locator('.presenter-rehearsing').isVisible()).toBe(false);
    await presenter.keyboard.press('Escape');
    expect(await presenter.locator('.presenter-report').isVisible()).toBe(false);
  });

  for (const [width, height] of [[1280, 720], [1024, 768]] as const) {
    it(`fits ${width}x${height}: the current slide about 60% wide, every panel on screen`, async () => {
      await presenter.setViewportSize({ width, height });
      await expect.poll(() => presenter.locator('.presenter-current').boundingBox().then((box) => Math.round((box?.width ?? 0) / width * 100))).toBeGreaterThanOrEqual(55);
      expect((await presenter.locator('.presenter-current').boundingBox())?.width ?? width).toBeLessThanOrEqual(width * 0.65);
      for (const selector of ['.presenter-status', '.presenter-current', '.presenter-notes', '.presenter-timers', '.presenter-next-box', '.presenter-plan-box', '.presenter-legend']) {
        const box = await presenter.locator(selector).boundingBox();
        expect(box, selector).not.toBeNull();
        if (box === null) continue;
        expect(box.x, selector).toBeGreaterThanOrEqual(0);
        expect(box.y, selector).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, selector).toBeLessThanOrEqual(width);
        expect(box.y + box.height, selector).toBeLessThanOrEqual(height);
      }
      // The preview stays a slide (reveal.js turns a narrow deck into a scrolling page).
      const preview = presenter.frames().find((frame) => new URL(frame.url()).searchParams.has('receiver'));
      expect(await preview?.evaluate('window.Reveal.isScrollView()')).toBe(false);
      await presenter.screenshot({ path: path.join(screenshotDir, `presenter-${width}x${height}.png`) });
    });
  }

  it('follows an edit of the slides: the notes and the next slide change in place', async () => {
    await presenter.keyboard.press('Home');
    await expect.poll(frameSlideId).toBe('intro--browser-fixture-deck');
    const file = path.join(root, 'slides', '01-intro.md');
    const source = await readFile(file, 'utf8');
    await writeFile(file, source.replace('These are the speaker\'s notes.', 'Notes edited during the talk.').replace('## Stepped code', '## Stepped code, renamed'));
    await expect.poll(() => text('.presenter-notes'), { timeout: 15_000 }).toContain('Notes edited during the talk.');
    await expect.poll(() => text('.presenter-next-label'), { timeout: 15_000 }).toBe('Next: Stepped code, renamed');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
