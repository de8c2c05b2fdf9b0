/**
 * On stage, in a real browser against the real server: the presenter window, the presenter
 * screen (S) and an audience page watch one run started once; a clicker drives the deck
 * while a demo runs; a page that comes late, reloads or outlives a server restart catches up;
 * a rehearsal ends in a report. Processes are counted in the process table.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { projectRoot } from '../../server/config.ts';
import { demoSelector, evaluate, openDeckPage, goToSlideWith, launchBrowser, terminalText, waitFor, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';
import { childrenOf } from '../helpers/process-table.ts';
import { freshTokenFile, spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';

const fixtureDeck = fileURLToPath(new URL('../fixtures/browser-deck', import.meta.url));
const screenshotDir = path.join(tmpdir(), 'deck-screens');

let root = '';
let tokenFile = '';
let server: SpawnedServer;
let browser: LaunchedBrowser;
const pageErrors: string[] = [];

const openPage = (url: string): Promise<Page> => openDeckPage(browser, url, pageErrors);

/** Every process of the server's tree whose working directory is the deck's demos/: the demos that run now (a waiting interpreter sits elsewhere). */
function demoProcesses(): number[] {
  const demos = path.join(root, 'demos');
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const child of childrenOf(pid)) {
      try {
        if (readlinkSync(`/proc/${child}/cwd`) === demos) found.push(child);
      } catch {
        // gone meanwhile
      }
      visit(child);
    }
  };
  visit(server.pid);
  return found;
}

const slideId = (page: Page | Frame): Promise<string> => evaluate<string>(page as Page, 'window.Reveal.getCurrentSlide().id');

async function waitForSlide(page: Page | Frame, id: string): Promise<void> {
  await page.waitForFunction((wanted) => (globalThis as unknown as { Reveal?: { getCurrentSlide(): { id: string } } }).Reveal?.getCurrentSlide().id === wanted, id, { polling: 50, timeout: 5_000 });
}

beforeAll(async () => {
  await buildClient();
  root = await mkdtemp(path.join(tmpdir(), 'deck-stage-'));
  await cp(fixtureDeck, root, { recursive: true });
  tokenFile = freshTokenFile();
  server = await spawnServer({ root, tokenFile, args: ['--no-watch'] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('one run, every screen', () => {
  let presenter: Page;
  let screen: Page;
  let frame: Frame;

  it('the presenter window and the presenter screen show the same run, started once', async () => {
    presenter = await openPage(server.url);
    await goToSlideWith(presenter, demoSelector('forever.py'));
    [screen] = await Promise.all([presenter.waitForEvent('popup'), presenter.keyboard.press('s')]);
    screen.on('pageerror', (error) => pageErrors.push(`presenter screen: ${error.message}`));
    await screen.waitForSelector('.presenter-current-frame');
    const found = screen.frames().find((f) => f.url().includes('view=frame'));
    if (found === undefined) throw new Error('the presenter screen has no current-slide frame');
    frame = found;
    await frame.waitForFunction(() => document.documentElement.dataset['socket'] === 'open', null, { timeout: 20_000 });
    await waitForSlide(frame, 'demos--runs-forever');

    // Run from the presenter screen's keyboard: the main window shows the same run.
    await screen.bringToFront();
    await screen.keyboard.press('r');
    await waitForTerminalText(presenter, 'forever.py', 'tick 3');
    await frame.waitForFunction(() => /tick 3/.test(document.querySelector('.demo[data-demo="forever.py"]')?.textContent ?? ''));
    expect(demoProcesses()).toHaveLength(1);
    // A run's status says it is alive, with the time since it started.
    await expect.poll(() => presenter.locator(demoSelector('forever.py')).getByRole('status').textContent()).toMatch(/^running · \d+\.\d\d s$/);
    await screen.setViewportSize({ width: 1280, height: 720 });
    await screen.screenshot({ path: path.join(screenshotDir, 'presenter-screen-1280.png') });
    await screen.setViewportSize({ width: 1024, height: 768 });
    await screen.screenshot({ path: path.join(screenshotDir, 'presenter-screen-1024.png') });
  });

  it('lists the stage keys in reveal.js\'s help overlay (?)', async () => {
    await presenter.bringToFront();
    await presenter.keyboard.press('Shift+Slash');
    const help = presenter.locator('.r-overlay-help');
    await expect.poll(() => help.first().textContent()).toMatch(/Run the demos on this slide[\s\S]*Stop the demos on this slide|Stop the demos on this slide[\s\S]*Run the demos on this slide/);
    expect(await help.first().textContent()).toMatch(/Presenter screen/);
    await presenter.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
  });

  it('a page opened after the run started shows its screen, then the live stream', async () => {
    await presenter.bringToFront();
    await goToSlideWith(presenter, demoSelector('ask.py'));
    // `input` on its demo line: Run gives this terminal the keys.
    await presenter.keyboard.press('r');
    await waitForTerminalText(presenter, 'ask.py', 'your name?');
    const late = await openPage(server.audienceUrl);
    await waitForSlide(late, 'demos--asks-a-question');
    // What ran before the page opened is on its screen (from the server's snapshot)…
    await waitForTerminalText(late, 'ask.py', 'your name?', 5_000);
    // …and the run goes on in it.
    await presenter.keyboard.type('Ada');
    await presenter.keyboard.press('Enter');
    await waitForTerminalText(late, 'ask.py', /hello, Ada![\s\S]*⏎ exit 0/);
    await late.close();
    // The keys are back with the deck once the run is over.
    await presenter.keyboard.press('PageUp');
    await waitForSlide(presenter, 'demos--runs-forever');
    // The first run went on meanwhile, alone.
    expect(demoProcesses()).toHaveLength(1);
  });

  it('a clicker moves the deck during a run; keys reach the demo only after a click into its terminal', async () => {
    // The speaker's window is in front (closing the late page may have left another one there, and a hidden page watches nothing).
    await presenter.bringToFront();
    await presenter.keyboard.press('PageDown');
    await waitForSlide(presenter, 'demos--asks-a-question');
    await waitForSlide(frame, 'demos--asks-a-question');
    // A run still going elsewhere is visible.
    await expect.poll(() => presenter.locator('.run-badge').textContent()).toMatch(/running on slide \d+: forever\.py/);
    await presenter.keyboard.press('PageUp');
    await waitForSlide(presenter, 'demos--runs-forever');
    // Nothing typed while the deck had the keys went into the demo.
    expect(await terminalText(presenter, 'forever.py')).not.toMatch(/\^\[|~/);
    // A click into the terminal gives it the keys (the arrows too); Esc gives them back without opening reveal's overview.
    await presenter.locator(`${demoSelector('forever.py')} .xterm`).click();
    await expect.poll(() => evaluate<string>(presenter, `(document.activeElement?.className ?? '') + ' in ' + (document.activeElement?.closest('.demo')?.dataset.demo ?? 'no demo')`)).toBe('xterm-helper-textarea in forever.py');
    // Typed once the page draws the run live again (its fresh screen has come since it came back to the slide).
    const shownTick = Number(/tick (\d+)\s*$/.exec((await terminalText(presenter, 'forever.py')).trim())?.[1] ?? -1);
    await waitForTerminalText(presenter, 'forever.py', `tick ${shownTick + 2}`);
    // (Each is looked for on its own: a tick may come between them, and the screen holds 2.6 s of ticks.)
    await presenter.keyboard.type('zz');
    await waitForTerminalText(presenter, 'forever.py', 'zz');
    await presenter.keyboard.press('ArrowRight');
    await waitForTerminalText(presenter, 'forever.py', '^[[C');
    expect(await slideId(presenter)).toBe('demos--runs-forever');
    await presenter.keyboard.press('Escape');
    expect(await evaluate<boolean>(presenter, 'document.querySelector(".reveal").classList.contains("overview")')).toBe(false);
    await presenter.keyboard.press('ArrowRight');
    await waitForSlide(presenter, 'demos--asks-a-question');
    await presenter.keyboard.press('ArrowLeft');
    await waitForSlide(presenter, 'demos--runs-forever');
    // A clicker's key always moves the talk, even from inside a terminal (which then lets go of the keys).
    await presenter.locator(`${demoSelector('forever.py')} .xterm`).click();
    await presenter.keyboard.press('PageDown');
    await waitForSlide(presenter, 'demos--asks-a-question');
    await presenter.keyboard.press('PageUp');
    await waitForSlide(presenter, 'demos--runs-forever');
    expect(await terminalText(presenter, 'forever.py')).not.toMatch(/\^\[\[[56]~/);
    await presenter.keyboard.press('.');
    await waitForTerminalText(presenter, 'forever.py', /■ stopped/);
    await frame.waitForFunction(() => /■ stopped/.test(document.querySelector('.demo[data-demo="forever.py"]')?.textContent ?? ''));
    await expect.poll(() => demoProcesses().length).toBe(0);
  });

  it('an audience page follows the slide and step, and cannot run', async () => {
    const audience = await openPage(server.audienceUrl);
    expect(await evaluate<string | undefined>(audience, 'document.documentElement.dataset.role')).toBe('audience');
    await presenter.bringToFront();
    await goToSlideWith(presenter, 'pre[data-line-steps]');
    await waitForSlide(audience, 'intro--stepped-code');
    await evaluate(presenter, 'window.Reveal.nextFragment()');
    await audience.waitForFunction(() => (globalThis as unknown as { Reveal: { getIndices(): { f?: number } } }).Reveal.getIndices().f === 0, null, { timeout: 2_000 });
    await goToSlideWith(presenter, demoSelector('hello.py'));
    await waitForSlide(audience, 'demos--hello-from-python');
    // No Run button, and its keys do nothing.
    expect(await audience.locator(demoSelector('hello.py')).getByRole('button', { name: /^Run / }).count()).toBe(0);
    await audience.bringToFront();
    await audience.keyboard.press('r');
    await audience.keyboard.press('ArrowRight');
    expect(await slideId(audience)).toBe('demos--hello-from-python');
    expect(await slideId(presenter)).toBe('demos--hello-from-python');
    expect(demoProcesses()).toHaveLength(0);
    // The socket refuses a run from it (as a hostile script in the page would send it).
    const refusal = await audience.evaluate(async () => {
      const token = sessionStorage.getItem('concurrency-deck:token') ?? '';
      const socket = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
      return new Promise<string>((resolve) => {
        socket.addEventListener('message', (event: MessageEvent<string>) => {
          const message = JSON.parse(event.data) as { type: string; message?: string };
          if (message.type === 'welcome') socket.send(JSON.stringify({ type: 'run', demo: 'python:hello.py', cols: 80, rows: 24 }));
          if (message.type === 'error') resolve(message.message ?? '');
        });
      });
    });
    expect(refusal).toMatch(/audience page cannot run/);
    await audience.setViewportSize({ width: 1024, height: 768 });
    await audience.screenshot({ path: path.join(screenshotDir, 'audience-1024.png') });
    await audience.close();
  });

  it('a reload keeps the slide, by its id', async () => {
    await presenter.bringToFront();
    await goToSlideWith(presenter, demoSelector('ask.py'));
    await presenter.reload();
    await waitFor(presenter, 'isReady', []);
    expect(await slideId(presenter)).toBe('demos--asks-a-question');
    await screen.close();
  });

  it('a hidden page watches nothing (so it paces nothing) and catches up when shown again', async () => {
    await presenter.bringToFront();
    await goToSlideWith(presenter, demoSelector('forever.py'));
    await presenter.keyboard.press('r');
    await waitForTerminalText(presenter, 'forever.py', /tick 2\b/);
    const setHidden = (hidden: boolean): Promise<void> =>
      presenter.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    const lastTick = async (page: Page): Promise<number> => Number(/tick (\d+)\s*$/.exec((await terminalText(page, 'forever.py')).trim())?.[1] ?? -1);
    await setHidden(true);
    const audience = await openPage(server.audienceUrl);
    const hiddenAt = await lastTick(presenter);
    await waitForTerminalText(audience, 'forever.py', `tick ${hiddenAt + 8}`);
    // The hidden page got (almost) nothing since: at most what was on its way.
    expect(await lastTick(presenter)).toBeLessThanOrEqual(hiddenAt + 1);
    await setHidden(false);
    await waitForTerminalText(presenter, 'forever.py', `tick ${hiddenAt + 8}`, 5_000);
    await presenter.keyboard.press('.');
    await waitForTerminalText(presenter, 'forever.py', /■ stopped/);
    await audience.close();
    await goToSlideWith(presenter, demoSelector('ask.py'));
  });

  it('a restart with the kept token reconnects; one with a new token says so and stops retrying', async () => {
    const port = server.port;
    await server.stop();
    await waitFor(presenter, 'socketIsNot', ['open']);
    // A change made while the server was down (no watcher saw it) reaches the page when it reconnects.
    const intro = path.join(root, 'slides', '01-intro.md');
    await writeFile(intro, (await readFile(intro, 'utf8')).replace('The first slide of the fixture deck.', 'Edited while the server was down.'));
    server = await spawnServer({ root, tokenFile, port, args: ['--no-watch'] });
    await waitFor(presenter, 'isReady', [], 30_000);
    await waitFor(presenter, 'slidesInclude', ['Edited while the server was down.']);
    expect(await slideId(presenter)).toBe('demos--asks-a-question');
    await goToSlideWith(presenter, demoSelector('hello.py'));
    await presenter.keyboard.press('r');
    await waitForTerminalText(presenter, 'hello.py', /⏎ exit 0/);

    await server.stop();
    server = await spawnServer({ root, tokenFile, port, args: ['--no-watch', '--new-token'] });
    await presenter.waitForFunction(() => document.documentElement.dataset['socket'] === 'refused', null, { timeout: 30_000 });
    await expect.poll(() => presenter.locator('.connection-banner').textContent()).toMatch(/not valid on the server any more[\s\S]*Open the URL the server printed/);
    await presenter.screenshot({ path: path.join(screenshotDir, 'token-refused-1280.png') });
  });
});

describe('rehearsal', () => {
  it('records the time on each slide and each run, and writes a report when it ends', async () => {
    await server.stop();
    const rehearsals = path.join(root, 'rehearsals');
    server = await spawnServer({ root, tokenFile, args: ['--no-watch', '--rehearse'] });
    const page = await openPage(server.url);
    await goToSlideWith(page, demoSelector('hello.py'));
    await page.keyboard.press('r');
    await waitForTerminalText(page, 'hello.py', /⏎ exit 0/);
    await goToSlideWith(page, demoSelector('ask.py'));
    await page.close();
    expect(await server.stop()).toBe(0);
    expect(server.stdout()).toMatch(/Rehearsal saved to .*rehearsals\/.*\.json/);
    expect(server.stdout()).toMatch(/total/i);
    const files = (await readdir(rehearsals)).filter((name) => name.endsWith('.json'));
    expect(files).toHaveLength(1);
    const record = JSON.parse(await readFile(path.join(rehearsals, files[0] ?? ''), 'utf8')) as { totalMs: number; sections: { slides: { id: string; ms: number }[] }[]; runs: { demo: string; durationMs: number }[] };
    const slides = record.sections.flatMap((section) => section.slides);
    expect(slides.find((slide) => slide.id === 'demos--hello-from-python')?.ms).toBeGreaterThan(0);
    expect(record.runs.map((run) => run.demo)).toContain('python:hello.py');
    expect(record.totalMs).toBeGreaterThan(0);
    // `npm run rehearse -- --report` compares the rehearsals so far.
    const report = execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/main.ts'), '--report', '--root', root], { cwd: projectRoot, encoding: 'utf8' });
    expect(report).toMatch(/^\s*section\s+plan/m);
    expect(report).toMatch(/^\s*total\s/m);
    expect(report).toMatch(/one rehearsal so far/);
  });

  it('throws no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
