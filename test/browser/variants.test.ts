/**
 * Demo variants in a real browser against the real server: a group shows as tabs opening on
 * the deck's `language:`, `l` and a click switch them (on every screen: the talk's position carries them), `r` runs the visible variant only, a
 * run of the hidden variant started elsewhere switches the tab on every page (the audience's
 * too), and a demo that needs a newer Python says so in its toolbar and, on Run, in its
 * terminal, without starting. The hosted site has the same tabs, and prints the default variant.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { buildSite } from '../../scripts/site/build-site.ts';
import { serveStatic } from '../../scripts/site/serve-static.ts';
import { demoSelector, goToSlideWith, launchBrowser, openDeckPage, terminalText, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';

const root = fileURLToPath(new URL('../fixtures/variants-deck', import.meta.url));

let server: SpawnedServer;
let browser: LaunchedBrowser;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildClient();
  server = await spawnServer({ root, args: ['--no-watch'] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  expect(pageErrors).toEqual([]);
});

/** The group's tabs as the page shows them: the selected one's label, and which demos are hidden. */
function tabsOf(page: Page): Promise<{ selected: string[]; hidden: string[]; tabs: string[] }> {
  return page.locator('.present .demo-variants').evaluate((group: HTMLElement) => ({
    tabs: Array.from(group.querySelectorAll('[role="tab"]'), (tab) => tab.textContent ?? ''),
    selected: Array.from(group.querySelectorAll('[role="tab"][aria-selected="true"]'), (tab) => tab.textContent ?? ''),
    hidden: Array.from(group.querySelectorAll<HTMLElement>(':scope > .demo')).filter((demo) => demo.hidden).map((demo) => demo.dataset['demo'] ?? ''),
  }));
}

const TYPESCRIPT = { tabs: ['Python', 'TypeScript'], selected: ['TypeScript'], hidden: ['hello.py'] };
const PYTHON = { tabs: ['Python', 'TypeScript'], selected: ['Python'], hidden: ['hello.ts'] };

describe('demo variants on stage', () => {
  let presenter: Page;
  let audience: Page;

  it('open on the deck language; l and a click on a tab switch them on every screen, the shown terminal fitted', async () => {
    presenter = await openDeckPage(browser, server.url, pageErrors);
    audience = await openDeckPage(browser, server.audienceUrl, pageErrors);
    await goToSlideWith(presenter, '.demo-variants');
    expect(await tabsOf(presenter)).toEqual(TYPESCRIPT);
    expect(await presenter.locator(`${demoSelector('hello.ts')} .xterm`).count()).toBe(1);

    await presenter.bringToFront();
    await presenter.keyboard.press('l');
    expect(await tabsOf(presenter)).toEqual(PYTHON);
    // The room follows the speaker's switch: it is part of the talk's position.
    await expect.poll(() => tabsOf(audience)).toEqual(PYTHON);
    await expect.poll(() => audience.locator(`${demoSelector('hello.py')} .xterm`).count()).toBe(1);
    // Shown, its terminal is opened and fitted to its box.
    await expect.poll(() => presenter.locator(`${demoSelector('hello.py')} .xterm`).count()).toBe(1);
    expect(await presenter.locator(`${demoSelector('hello.py')} .xterm-rows`).evaluate((rows) => rows.children.length)).toBeGreaterThan(5);

    await presenter.locator('.present .demo-tab', { hasText: 'TypeScript' }).click();
    expect(await tabsOf(presenter)).toEqual(TYPESCRIPT);
    // `l` is ours on a demo slide: it did not move to the next slide.
    expect(await presenter.evaluate(() => (globalThis as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h)).toBe(1);
    // A click on a tab moves the room too.
    await expect.poll(() => tabsOf(audience)).toEqual(TYPESCRIPT);
  });

  it('r runs only the visible variant', async () => {
    await presenter.bringToFront();
    await presenter.keyboard.press('r');
    await waitForTerminalText(presenter, 'hello.ts', /hello from typescript[\s\S]*exit 0/);
    await waitForTerminalText(audience, 'hello.ts', /hello from typescript[\s\S]*exit 0/);
    expect(await terminalText(presenter, 'hello.py')).not.toMatch(/hello from python/);
    expect(await presenter.locator(`${demoSelector('hello.py')} .demo-status`).textContent()).toBe('ready');
  });

  it('a run of the hidden variant started elsewhere switches its tab on every page', async () => {
    const other = await DeckSocket.open(server.origin, server.token);
    try {
      await other.run('python:hello.py');
      await expect.poll(() => tabsOf(presenter)).toEqual(PYTHON);
      await expect.poll(() => tabsOf(audience)).toEqual(PYTHON);
      await waitForTerminalText(presenter, 'hello.py', /hello from python[\s\S]*exit 0/);
      await waitForTerminalText(audience, 'hello.py', /hello from python[\s\S]*exit 0/);
    } finally {
      other.close();
    }
  });

  it('a demo that needs a newer Python is tagged, and Run says what it needs without starting', async () => {
    await goToSlideWith(presenter, demoSelector('future.py'));
    expect(await presenter.locator(`${demoSelector('future.py')} .demo-tag`).textContent()).toBe('Python ≥ 9.99');
    await presenter.bringToFront();
    await presenter.keyboard.press('r');
    const text = await waitForTerminalText(presenter, 'future.py', /needs Python 9\.99 or later; python3 here is\s+3\.\d+/);
    expect(text).not.toMatch(/from the future/);
  });
});

describe('demo variants on the hosted site', () => {
  it('has the tabs and the l key, and its print view draws the default variant only', async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), 'deck-variants-site-'));
    await buildSite({ root, outDir: workDir, base: '/', notes: false, singleFile: false });
    const site = await serveStatic(workDir, { base: '/' });
    try {
      const page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      await page.goto(site.url);
      await page.waitForFunction(() => (globalThis as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady() === true);
      await goToSlideWith(page, '.demo-variants');
      expect(await tabsOf(page)).toEqual(TYPESCRIPT);
      await page.keyboard.press('l');
      expect(await tabsOf(page)).toEqual(PYTHON);
      await expect.poll(() => page.locator(`${demoSelector('hello.py')} .xterm`).count()).toBe(1);

      await page.goto(`${site.url}?print-pdf`);
      await page.waitForFunction(() => {
        const { printReady, printError } = (globalThis as unknown as { document: { documentElement: HTMLElement } }).document.documentElement.dataset;
        return printReady === 'true' || printError !== undefined;
      });
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: HTMLElement } }).document.documentElement.dataset['printError'])).toBeUndefined();
      expect(await page.locator(`${demoSelector('hello.ts')} .xterm`).count()).toBe(1);
      expect(await page.locator(`${demoSelector('hello.py')} .xterm`).count()).toBe(0);
      await page.close();
    } finally {
      await site.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
