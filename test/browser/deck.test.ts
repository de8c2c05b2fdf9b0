/**
 * The deck in a real browser against the real server: a temp copy of the fixture deck,
 * `server/main.ts` on a free port, headless chromium. Demos really run (CPython, a worker
 * thread, a child process), and their output is read from the terminals' accessibility tree.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';
import {
  demoSelector,
  evaluate,
  goToSlideWith,
  launchBrowser,
  terminalText,
  waitFor,
  waitForTerminalText,
} from '../helpers/browser.ts';
import type { DemoTarget, LaunchedBrowser } from '../helpers/browser.ts';

const fixtureDeck = fileURLToPath(new URL('../fixtures/browser-deck', import.meta.url));
const screenshotDir = path.join(tmpdir(), 'deck-screens');

let root = '';
let server: SpawnedServer;
let browser: LaunchedBrowser;
let page: Page;
const requested: string[] = [];
const pageErrors: string[] = [];

async function runButton(target: DemoTarget): Promise<ReturnType<Page['locator']>> {
  return page.locator(demoSelector(target)).getByRole('button', { name: /^Run / });
}

async function run(target: DemoTarget): Promise<void> {
  await goToSlideWith(page, demoSelector(target));
  await (await runButton(target)).click();
}

beforeAll(async () => {
  await buildClient();
  root = await mkdtemp(path.join(tmpdir(), 'deck-browser-'));
  await cp(fixtureDeck, root, { recursive: true });
  server = await spawnServer({ root });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (request) => requested.push(request.url()));
  page.on('websocket', (socket) => requested.push(socket.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}#/1`);
  await waitFor(page, 'isReady', []);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('the deck in a browser', () => {
  it('takes the token out of the address bar and keeps the slide, by its id, in the hash', async () => {
    const url = new URL(page.url());
    expect(url.searchParams.has('token')).toBe(false);
    expect(page.url()).not.toContain(server.token);
    expect(url.hash).toBe('#/intro--stepped-code');
    expect(await evaluate<number>(page, 'window.Reveal.getIndices().h')).toBe(1);
    expect(await evaluate<string | null>(page, `sessionStorage.getItem('concurrency-deck:token')`)).toBe(server.token);
  });

  it('steps through highlighted code lines with fragments', async () => {
    await goToSlideWith(page, 'pre[data-line-steps]');
    const classes = (): Promise<string[]> =>
      evaluate<string[]>(page, `[...document.querySelectorAll('pre[data-line-steps] .line')].map((l) => l.className.replace(/\\s+/g, ' ').trim())`);
    expect(await classes()).toEqual(['line highlighted', 'line dimmed', 'line dimmed']);
    await evaluate(page, 'window.Reveal.nextFragment()');
    expect(await classes()).toEqual(['line dimmed', 'line highlighted', 'line highlighted']);
    await evaluate(page, 'window.Reveal.nextFragment()');
    expect(await classes()).toEqual(['line', 'line', 'line']);
    await evaluate(page, 'window.Reveal.prevFragment()');
    expect(await classes()).toEqual(['line dimmed', 'line highlighted', 'line highlighted']);
  });

  it('runs a Python demo and shows its output and exit line', async () => {
    await run('hello.py');
    const text = await waitForTerminalText(page, 'hello.py', /⏎ exit 0 · \d+\.\d\d s/);
    expect(text).toMatch(/hello from python\s+running 3\.\d+/);
    await expect.poll(() => page.locator(demoSelector('hello.py')).getByRole('status').textContent()).toBe('exit 0');
    await expect.poll(() => runButtonEnabled('hello.py')).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'hello-py-1280.png') });
  });

  it('runs a TypeScript demo in a worker thread and in a child process', async () => {
    const worker = { demo: 'hello.ts', runtime: 'worker' };
    await run(worker);
    await waitForTerminalText(page, worker, /hello from a worker[\s\S]*⏎ exit 0/);
    const child = { demo: 'hello.ts', runtime: 'process' };
    await run(child);
    await waitForTerminalText(page, child, /hello from a process[\s\S]*⏎ exit 0/, 40_000);
  });

  it('acknowledges output, so a flood larger than the high watermark runs to its end', async () => {
    await run('flood.py');
    const text = await waitForTerminalText(page, 'flood.py', /⏎ exit 0 · /, 45_000);
    expect(text).toContain('line  99999 of a flood');
    // 100,000 lines later the terminal still sits inside its slide, scrolled, not spilled.
    const box = async (selector: string): Promise<{ x: number; y: number; width: number; height: number }> => {
      const found = await page.locator(selector).first().boundingBox();
      if (!found) throw new Error(`${selector} is not on screen`);
      return found;
    };
    const slide = await box('.reveal .slides > section.present');
    const terminal = await box(`${demoSelector('flood.py')} .xterm`);
    expect(terminal.x).toBeGreaterThanOrEqual(slide.x - 1);
    expect(terminal.y).toBeGreaterThanOrEqual(slide.y - 1);
    expect(terminal.x + terminal.width).toBeLessThanOrEqual(slide.x + slide.width + 1);
    expect(terminal.y + terminal.height).toBeLessThanOrEqual(slide.y + slide.height + 1);
  });

  it('stops a demo that runs forever', async () => {
    await run('forever.py');
    await waitForTerminalText(page, 'forever.py', 'tick 3');
    const stop = page.locator(demoSelector('forever.py')).getByRole('button', { name: /^Stop / });
    expect(await stop.isEnabled()).toBe(true);
    await stop.click();
    const text = await waitForTerminalText(page, 'forever.py', /■ stopped( \(SIG[A-Z]+\))? · \d/);
    expect(text).not.toMatch(/exit 0/);
    // The stop line is the last thing the terminal shows: no tick came after the end.
    const lines = (await terminalText(page, 'forever.py')).split('\n').filter((line) => line.trim() !== '');
    expect(lines.at(-1)).toMatch(/■ stopped/);
    expect(await stop.isEnabled()).toBe(false);
    expect(await runButtonEnabled('forever.py')).toBe(true);
  });

  it('sends keyboard input to a Python input() demo', async () => {
    await run('ask.py');
    await waitForTerminalText(page, 'ask.py', 'your name?');
    await page.keyboard.type('Ada');
    await page.keyboard.press('Enter');
    await waitForTerminalText(page, 'ask.py', /hello, Ada![\s\S]*⏎ exit 0/);
  });

  it('shows a broken slide as an error with file and line, and renders the others', async () => {
    const error = page.locator('section[data-file="03-broken.md"] .slide-error');
    await goToSlideWith(page, 'section[data-file="03-broken.md"] .slide-error');
    await expect.poll(() => error.first().isVisible()).toBe(true);
    expect(await error.first().textContent()).toMatch(/03-broken\.md:3\b.*missing\.py/);
    expect(await error.first().getAttribute('role')).toBe('alert');
    await goToSlideWith(page, 'section[data-file="03-broken.md"]:not(:has(.slide-error))');
    await expect.poll(() => page.locator('.reveal .slides').getByText('This slide still renders.').isVisible()).toBe(true);
    expect(await page.locator('.demo').count()).toBe(6);
  });

  it('reloads an edited slide in the open page and stays on the same slide', async () => {
    const index = await goToSlideWith(page, demoSelector('hello.py'));
    const file = path.join(root, 'slides', '01-intro.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('The first slide of the fixture deck.', 'An edited first slide.'));
    await waitFor(page, 'slidesInclude', ['An edited first slide.']);
    expect(await evaluate<number>(page, 'window.Reveal.getIndices().h')).toBe(index);
    await expect.poll(() => page.locator('.deck-notice').textContent()).toBe('1 slide reloaded');
    // The remounted demo has exactly one toolbar and a working terminal.
    expect(await page.locator(`${demoSelector('hello.py')} .demo-toolbar`).count()).toBe(1);
    await (await runButton('hello.py')).click();
    await waitForTerminalText(page, 'hello.py', /hello from python[\s\S]*⏎ exit 0/);
  });

  it('keeps a running demo, its terminal and its output through an edit of another slide', async () => {
    await run('forever.py');
    await waitForTerminalText(page, 'forever.py', 'tick 2');
    await evaluate(page, `document.querySelector(${JSON.stringify(`${demoSelector('forever.py')} .xterm`)}).dataset.marked = 'before-edit'`);
    const file = path.join(root, 'slides', '01-intro.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('An edited first slide.', 'A slide edited while a demo runs.'));
    await waitFor(page, 'slidesInclude', ['A slide edited while a demo runs.']);
    // The same terminal element, still on screen, and the run still going in it.
    expect(await evaluate<string | undefined>(page, `document.querySelector(${JSON.stringify(`${demoSelector('forever.py')} .xterm`)})?.dataset.marked`)).toBe('before-edit');
    const ticks = (await terminalText(page, 'forever.py')).match(/tick (\d+)/g) ?? [];
    const last = Number(ticks.at(-1)?.slice(5) ?? -1);
    await waitForTerminalText(page, 'forever.py', `tick ${last + 2}`);
    await page.locator(demoSelector('forever.py')).getByRole('button', { name: /^Stop / }).click();
    await waitForTerminalText(page, 'forever.py', /■ stopped/);
  });

  it('reloads an edited demo: the slide shows the new code and Run runs it', async () => {
    await goToSlideWith(page, demoSelector('hello.py'));
    const file = path.join(root, 'demos', 'hello.py');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('print("hello from python")', 'print("hello from an edited demo")'));
    await waitFor(page, 'slidesInclude', ['hello from an edited demo']);
    await (await runButton('hello.py')).click();
    await waitForTerminalText(page, 'hello.py', /hello from an edited demo[\s\S]*⏎ exit 0/);
  });

  it('tells a running demo when the server goes away', async () => {
    await run('forever.py');
    await waitForTerminalText(page, 'forever.py', 'tick 2');
    await server.stop();
    await waitForTerminalText(page, 'forever.py', /server shutting down|disconnected/);
    expect(await runButtonEnabled('forever.py')).toBe(true);
    await waitFor(page, 'socketIsNot', ['open']);
  });

  it('loads nothing from outside 127.0.0.1 and throws no page errors', () => {
    expect(requested.length).toBeGreaterThan(2);
    const outside = requested.filter((url) => !/^(https?|wss?):\/\/127\.0\.0\.1:\d+\//.test(url) && !url.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

async function runButtonEnabled(target: DemoTarget): Promise<boolean> {
  return (await runButton(target)).isEnabled();
}
