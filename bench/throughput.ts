/**
 * 20 MiB of demo output through the whole path (demo → server → WebSocket → page →
 * xterm.js) against the same bytes written straight into an xterm.js in the same page.
 * The server is the real entry in a child process, so its peak memory (VmHWM) is its own.
 * Direct and deck runs alternate; each flood gets a fresh server so its memory growth
 * is not hidden under an earlier flood's peak.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RuntimeName } from '../server/runtimes.ts';
import { demoSelector, goToSlideWith, launchBrowser, waitFor } from '../test/helpers/browser.ts';
import type { DemoTarget } from '../test/helpers/browser.ts';
import { memoryOf } from '../test/helpers/process-table.ts';
import { projectRoot } from '../server/config.ts';
import { spawnServer } from '../test/helpers/spawn-server.ts';
import { benchFixture, flood } from './fixture-deck.ts';
import { median } from './stats.ts';
import { terminalOptions } from '../client/terminal-options.ts';

export interface ThroughputOptions {
  /** Measured runs per path and demo, after one warm-up of each. */
  readonly runs: number;
  /** Runtimes whose flood to measure (python, worker). */
  readonly runtimes: readonly RuntimeName[];
}

export interface ThroughputResult {
  readonly demo: string;
  readonly runtime: RuntimeName;
  readonly payloadBytes: number;
  /** Characters written per direct write; the server's batch size. */
  readonly chunkChars: number;
  readonly cols: number;
  readonly rows: number;
  readonly directMs: number[];
  readonly deckMs: number[];
  readonly directMedianMs: number;
  readonly deckMedianMs: number;
  readonly directMBps: number;
  readonly deckMBps: number;
  /** direct median time / deck median time: 1 means the deck adds nothing. */
  readonly ratio: number;
  /** Server VmHWM before the first deck run and after the last, bytes. */
  readonly serverPeakBefore: number;
  readonly serverPeakAfter: number;
  readonly serverPeakGrowth: number;
}

/** The server's batch size (config.maxBatchBytes), so direct writes come in the same chunks. */
const CHUNK_CHARS = 64 * 1024;
const EXIT_LINE = '⏎ exit 0';
const RUN_TIMEOUT_MS = 300_000;

export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult[]> {
  const xtermSource = await readFile(path.join(projectRoot, 'node_modules/@xterm/xterm/lib/xterm.js'), 'utf8');
  const browser = await launchBrowser();
  const results: ThroughputResult[] = [];
  try {
    for (const target of flood.demos.filter((d) => options.runtimes.includes(d.runtime))) {
      const server = await spawnServer({ root: benchFixture, args: ['--no-watch'] });
      const page = await browser.newPage();
      try {
        results.push(await measureOne(page, server.url, server.pid, target, xtermSource, options.runs));
      } finally {
        await page.close();
        await server.stop();
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}

async function measureOne(page: Page, url: string, serverPid: number, target: { demo: string; runtime: RuntimeName }, xtermSource: string, runs: number): Promise<ThroughputResult> {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The size the deck's terminal asks the server for is the size the direct terminal gets.
  let size: { cols: number; rows: number } | null = null;
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes('"type":"run"')) return;
      const request = JSON.parse(payload) as { cols: number; rows: number };
      size = { cols: request.cols, rows: request.rows };
    }),
  );
  await page.goto(url);
  await waitFor(page, 'isReady', []);
  await injectXterm(page, xtermSource);
  const selector = demoSelector(target);
  await goToSlideWith(page, selector);
  await page.waitForSelector(`${selector} .xterm`, { timeout: 20_000 });

  const directMs: number[] = [];
  const deckMs: number[] = [];
  const serverPeakBefore = memoryOf(serverPid).peak;
  for (let i = 0; i <= runs; i++) {
    const deck = await runDeck(page, target);
    if (size === null) throw new Error('the page sent no run request');
    const box = await page.locator(`${selector} .demo-xterm`).boundingBox();
    const direct = await runDirect(page, size, box ?? { width: 1000, height: 400 });
    // Run 0 is the warm-up of both paths (JIT, fonts, glyph caches).
    if (i > 0) {
      deckMs.push(deck);
      directMs.push(direct);
    }
  }
  const serverPeakAfter = memoryOf(serverPid).peak;
  if (pageErrors.length > 0) throw new Error(`the page reported errors: ${pageErrors.join('; ')}`);

  const directMedianMs = median(directMs);
  const deckMedianMs = median(deckMs);
  const mbps = (ms: number): number => flood.bytes / 1024 / 1024 / (ms / 1000);
  const { cols, rows } = size ?? { cols: 0, rows: 0 };
  return {
    ...target,
    payloadBytes: flood.bytes,
    chunkChars: CHUNK_CHARS,
    cols,
    rows,
    directMs,
    deckMs,
    directMedianMs,
    deckMedianMs,
    directMBps: mbps(directMedianMs),
    deckMBps: mbps(deckMedianMs),
    ratio: directMedianMs / deckMedianMs,
    serverPeakBefore,
    serverPeakAfter,
    serverPeakGrowth: serverPeakAfter - serverPeakBefore,
  };
}

/**
 * xterm.js's UMD build, as the page's own global `Terminal`. addScriptTag inserts an
 * inline script, which the deck's CSP (script-src 'self') refuses; code sent over the
 * DevTools protocol is not bound by the CSP, so that is the fallback.
 */
async function injectXterm(page: Page, source: string): Promise<void> {
  const hasTerminal = (): Promise<boolean> => page.evaluate(() => typeof (globalThis as { Terminal?: unknown }).Terminal === 'function');
  await page.addScriptTag({ content: source }).catch(() => undefined);
  if (await hasTerminal()) return;
  await page.evaluate(source);
  if (!(await hasTerminal())) throw new Error('could not load xterm.js into the page');
}

/** Clicks Run on the flood's slide; milliseconds until its terminal shows the exit line. */
export async function runDeck(page: Page, target: DemoTarget): Promise<number> {
  const selector = demoSelector(target);
  const run = page.locator(selector).getByRole('button', { name: /^Run\b/ });
  await run.waitFor({ state: 'visible' });
  const started = performance.now();
  await run.click();
  // The previous run's exit line stays in the accessibility tree until xterm renders the reset.
  await waitForExitLine(page, selector, false);
  await waitForExitLine(page, selector, true);
  return performance.now() - started;
}

/**
 * Waits until the terminal in `selector` does (or no longer does) show the exit line. It
 * reads the rows xterm draws, checked every animation frame: xterm refreshes its
 * accessibility tree (what the tests read) at most once a second, which would add up to a
 * second to every deck run.
 */
async function waitForExitLine(page: Page, selector: string, shown: boolean): Promise<void> {
  // A function, not JS text: the page's CSP forbids the eval a text predicate needs.
  await page.waitForFunction(
    ({ sel, line, want }) => ((globalThis as unknown as PageGlobals).document.querySelector(`${sel} .xterm-rows`)?.textContent ?? '').replaceAll('\u00a0', ' ').includes(line) === want,
    { sel: selector, line: EXIT_LINE, want: shown },
    { polling: 'raf', timeout: RUN_TIMEOUT_MS },
  );
}

/** The little of the page's globals the page-side functions below use (this project has no DOM types). */
interface PageGlobals {
  readonly Terminal: new (options: object) => PageTerminal;
  readonly document: {
    createElement(tag: 'div'): PageElement;
    querySelector(selector: string): { readonly textContent: string | null } | null;
    readonly body: { append(element: PageElement): void };
  };
  requestAnimationFrame(callback: () => void): number;
}
interface PageElement {
  readonly style: { cssText: string };
  remove(): void;
}
interface PageTerminal {
  open(element: PageElement): void;
  write(data: string, done?: () => void): void;
  dispose(): void;
}

/**
 * Writes the flood's bytes, as the deck terminal receives them (each line ends in \r\n,
 * as the pty and the worker runner turn \n into), into a new xterm of the deck terminal's
 * size and options, in chunks of the server's batch size; milliseconds to the last
 * write's callback. The div is on screen (xterm stops rendering a terminal its
 * IntersectionObserver sees off screen) but almost transparent.
 */
async function runDirect(page: Page, size: { cols: number; rows: number }, box: { width: number; height: number }): Promise<number> {
  return page.evaluate(
    async ({ cols, rows, width, height, options, lines, fill, chunkChars }) => {
      const win = globalThis as unknown as PageGlobals;
      const div = win.document.createElement('div');
      div.style.cssText = `position:fixed;left:0;top:0;width:${width}px;height:${height}px;opacity:0.01;pointer-events:none;z-index:1000`;
      win.document.body.append(div);
      const term = new win.Terminal({ ...options, cols, rows });
      term.open(div);
      const chunks: string[] = [];
      let chunk = '';
      for (let i = 0; i < lines; i++) {
        chunk += `${String(i).padStart(8, '0')} ${fill}\r\n`;
        if (chunk.length >= chunkChars) {
          chunks.push(chunk);
          chunk = '';
        }
      }
      if (chunk !== '') chunks.push(chunk);
      await new Promise<void>((resolve) => win.requestAnimationFrame(() => resolve()));
      const started = performance.now();
      await new Promise<void>((resolve) => chunks.forEach((c, i) => term.write(c, i === chunks.length - 1 ? resolve : undefined)));
      const ms = performance.now() - started;
      term.dispose();
      div.remove();
      return ms;
    },
    { ...size, ...box, options: terminalOptions, lines: flood.lines, fill: flood.fill, chunkChars: CHUNK_CHARS },
  );
}
