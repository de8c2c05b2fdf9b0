/**
 * Plan B on stage, in a real browser against the real server: Shift+R plays the recordings
 * of the slide's demos, marked plainly (a badge with the date, a first line saying why, an
 * exit line saying it was recorded) on the presenter's and the audience's pages; a demo that
 * crashes where its slide expects none gives way to its recording by itself; the presenter
 * screen has a "Play recording" button beside Run and Stop; `r` runs live again.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { demoSelector, evaluate, goToSlideWith, launchBrowser, openDeckPage, terminalText, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';

const fixtureDeck = fileURLToPath(new URL('../fixtures/recorded-fallback', import.meta.url));
const RECORDED_AT = '2026-11-28T10:30:00.000Z';

let root = '';
let server: SpawnedServer;
let browser: LaunchedBrowser;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildClient();
  root = await mkdtemp(path.join(tmpdir(), 'deck-recorded-fallback-'));
  await cp(fixtureDeck, root, { recursive: true });
  server = await spawnServer({ root, args: ['--no-watch'] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root !== '') await rm(root, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

/** The recording's date as the page's locale writes it, short. */
function recordedOn(page: Page): Promise<string> {
  return evaluate<string>(page, `new Date(${JSON.stringify(RECORDED_AT)}).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })`);
}

/** The badge of a demo's toolbar: its text, or null while hidden. */
function badgeOf(page: Page | Frame, demo: string): Promise<string | null> {
  return page.locator(`${demoSelector(demo)} .demo-recording-badge`).evaluate((badge: HTMLElement) => (badge.hidden ? null : badge.textContent));
}

describe('the recorded fallback on stage', () => {
  let presenter: Page;
  let audience: Page;

  it('Shift+R plays the recording, marked as one, on the presenter and the audience pages; r runs live again', async () => {
    presenter = await openDeckPage(browser, server.url, pageErrors);
    audience = await openDeckPage(browser, server.audienceUrl, pageErrors);
    await goToSlideWith(presenter, demoSelector('count.py'));
    const date = await recordedOn(presenter);
    await presenter.bringToFront();
    await presenter.keyboard.press('Shift+R');

    const shown = await waitForTerminalText(presenter, 'count.py', /counted to three[\s\S]*⏎ exit 0 · 0\.68 s · recorded/);
    expect(shown.split('\n')[0]).toBe(`▶ recording of ${date}`);
    expect(await badgeOf(presenter, 'count.py')).toBe(`recording · ${date}`);
    expect(await presenter.locator(`${demoSelector('count.py')}.is-recording`).count()).toBe(1);
    // The audience follows to the slide and sees the same replay, marked the same way.
    await waitForTerminalText(audience, 'count.py', /▶ recording of[\s\S]*counted to three[\s\S]*recorded/);
    expect(await badgeOf(audience, 'count.py')).toBe(`recording · ${date}`);

    await presenter.bringToFront();
    await presenter.keyboard.press('r');
    // A live run: its own exit line, no mark.
    const live = await waitForTerminalText(presenter, 'count.py', /counted to three\s*\n⏎ exit 0 · \d+\.\d\d s$/m);
    expect(live).not.toMatch(/recording|recorded/);
    expect(await badgeOf(presenter, 'count.py')).toBeNull();
    expect(await presenter.locator(`${demoSelector('count.py')}.is-recording`).count()).toBe(0);
    await expect.poll(() => badgeOf(audience, 'count.py')).toBeNull();
  });

  it('lists Shift+R in reveal.js\'s help overlay (?)', async () => {
    await presenter.bringToFront();
    await presenter.keyboard.press('Shift+Slash');
    const help = presenter.locator('.r-overlay-help');
    await expect.poll(() => help.first().textContent()).toMatch(/⇧ R\s*Play the recordings of the demos on this slide/);
    await presenter.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
  });

  it('a crash the slide does not expect gives way to the recording, saying why', async () => {
    await goToSlideWith(presenter, demoSelector('crash.py'));
    await presenter.keyboard.press('r');
    const shown = await waitForTerminalText(presenter, 'crash.py', /connected: 3 rows[\s\S]*· recorded/);
    expect(shown.split('\n')[0]).toBe(`▶ recording of ${await recordedOn(presenter)} — the live run crashed (exit 1)`);
    expect(await badgeOf(presenter, 'crash.py')).toMatch(/^recording · /);
    await waitForTerminalText(audience, 'crash.py', /the live run crashed \(exit 1\)[\s\S]*connected: 3 rows/);
  });

  it('the presenter screen has a Play recording button beside Run and Stop, reached by the keyboard, and Shift+R as on the deck; the projected deck has no button', async () => {
    await goToSlideWith(presenter, demoSelector('count.py'));
    expect(await presenter.getByRole('button', { name: /^Play the recording of/ }).count()).toBe(0);
    const [screen] = await Promise.all([presenter.waitForEvent('popup'), presenter.keyboard.press('s')]);
    screen.on('pageerror', (error) => pageErrors.push(`presenter screen: ${error.message}`));
    await screen.waitForSelector('.presenter-current-frame');
    const frame = screen.frames().find((f) => f.url().includes('view=frame'));
    if (frame === undefined) throw new Error('the presenter screen has no current-slide frame');
    await frame.waitForFunction(() => document.documentElement.dataset['socket'] === 'open', null, { timeout: 20_000 });
    await frame.waitForFunction(() => (globalThis as unknown as { Reveal?: { getCurrentSlide(): Element } }).Reveal?.getCurrentSlide().querySelector('[data-demo="count.py"]') != null, null, { timeout: 5_000 });

    const button = frame.locator(demoSelector('count.py')).getByRole('button', { name: 'Play the recording of count.py instead of running it' });
    expect(await button.textContent()).toBe('Play recording');
    // Beside Run and Stop, in that order.
    const toolbar = await frame.locator(`${demoSelector('count.py')} .demo-toolbar button`).allTextContents();
    expect(toolbar.slice(0, 3)).toEqual(['Run', 'Stop', 'Play recording']);
    await screen.bringToFront();
    await button.focus();
    await screen.keyboard.press('Enter');
    await waitForTerminalText(presenter, 'count.py', /▶ recording of[\s\S]*counted to three[\s\S]*· recorded/);
    await frame.waitForFunction(() => /recorded/.test(document.querySelector('.demo[data-demo="count.py"] .xterm-rows')?.textContent ?? ''));
    expect(await badgeOf(frame, 'count.py')).toMatch(/^recording · /);
    expect(await terminalText(presenter, 'count.py')).toMatch(/^▶ recording of/);

    // The screen's keys: r runs live (the mark goes), Shift+R plays the recording again, as on the deck.
    await screen.keyboard.press('r');
    await expect.poll(() => badgeOf(frame, 'count.py')).toBeNull();
    await frame.waitForFunction(() => /^(?!▶)[\s\S]*exit 0/.test(document.querySelector('.demo[data-demo="count.py"] .xterm-rows')?.textContent ?? ''));
    await screen.keyboard.press('Shift+R');
    await expect.poll(() => badgeOf(frame, 'count.py')).toMatch(/^recording · /);
    await waitForTerminalText(presenter, 'count.py', /^▶ recording of[\s\S]*· recorded/);
    await screen.close();
  });
});
