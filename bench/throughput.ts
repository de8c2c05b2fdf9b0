/**
 * 20 MiB of demo output through the whole path (demo → server → WebSocket → page →
 * xterm.js) against the same bytes written straight into an xterm.js in the same page.
 * The page is driven over a bare DevTools connection (bare-page.ts), as a viewer's browser
 * runs it. The server is the real entry in a child process, so its peak memory (VmHWM) is
 * its own. Direct and deck runs alternate; each flood gets a fresh server so its memory
 * growth is not hidden under an earlier flood's peak.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeName } from '../server/runtimes.ts';
import { demoSelector } from '../test/helpers/browser.ts';
import type { DemoTarget } from '../test/helpers/browser.ts';
import { memoryOf } from '../test/helpers/process-table.ts';
import { projectRoot } from '../server/config.ts';
import { spawnServer } from '../test/helpers/spawn-server.ts';
import { launchBarePage } from './bare-page.ts';
import type { BarePage } from './bare-page.ts';
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
  const results: ThroughputResult[] = [];
  for (const target of flood.demos.filter((d) => options.runtimes.includes(d.runtime))) {
    const server = await spawnServer({ root: benchFixture, args: ['--no-watch'] });
    try {
      const page = await launchBarePage();
      try {
        results.push(await measureOne(page, server.url, server.pid, target, xtermSource, options.runs));
      } finally {
        await page.close();
      }
    } finally {
      await server.stop();
    }
  }
  return results;
}

async function measureOne(page: BarePage, url: string, serverPid: number, target: { demo: string; runtime: RuntimeName }, xtermSource: string, runs: number): Promise<ThroughputResult> {
  await page.openDeck(url);
  // xterm.js's UMD build, as the page's global `Terminal` (code sent over DevTools is not bound by the page's CSP).
  await page.evaluate(xtermSource);
  if (!(await page.evaluate<boolean>(`typeof Terminal === 'function'`))) throw new Error('could not load xterm.js into the page');
  await page.evaluate(RUN_SIZE_PROBE);
  const selector = demoSelector(target);
  await page.goToDemo(selector);

  const directMs: number[] = [];
  const deckMs: number[] = [];
  const serverPeakBefore = memoryOf(serverPid).peak;
  let size: { cols: number; rows: number } | null = null;
  for (let i = 0; i <= runs; i++) {
    const deck = await runDeck(page, target);
    // The size the deck's terminal asked the server for is the size the direct terminal gets.
    size ??= await page.evaluate<{ cols: number; rows: number } | null>('window.__benchRunSize ?? null');
    if (size === null) throw new Error('the page sent no run request');
    const box = await page.evaluate<{ width: number; height: number }>(
      `(() => { const r = document.querySelector(${JSON.stringify(`${selector} .demo-xterm`)}).getBoundingClientRect(); return { width: r.width, height: r.height }; })()`,
    );
    const direct = await runDirect(page, size, box);
    // Run 0 is the warm-up of both paths (JIT, fonts, glyph caches).
    if (i > 0) {
      deckMs.push(deck);
      directMs.push(direct);
    }
  }
  const serverPeakAfter = memoryOf(serverPid).peak;
  if (page.errors.length > 0) throw new Error(`the page reported errors: ${page.errors.join('; ')}`);

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

/** Keeps the cols and rows of the last `run` the page sends, as `window.__benchRunSize`. */
const RUN_SIZE_PROBE = `(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"type":"run"')) {
      const request = JSON.parse(data);
      window.__benchRunSize = { cols: request.cols, rows: request.rows };
    }
    return send.call(this, data);
  };
})()`;

/**
 * Clicks Run on the flood's slide; milliseconds (the page's clock) until its terminal shows
 * the exit line. It reads the rows xterm draws, every animation frame: xterm refreshes its
 * accessibility tree (what the tests read) at most once a second, which would add up to a
 * second to every deck run. The previous run's exit line stays until xterm draws the reset.
 */
export async function runDeck(page: BarePage, target: DemoTarget): Promise<number> {
  const selector = demoSelector(target);
  await page.waitUntil(`!document.querySelector(${JSON.stringify(`${selector} .demo-run`)}).disabled`, `Run of ${selector} to be enabled`);
  const ms = await page.evaluate<number | null>(`new Promise((resolve) => {
    const demo = document.querySelector(${JSON.stringify(selector)});
    const shows = () => (demo.querySelector('.xterm-rows')?.textContent ?? '').replaceAll('\\u00a0', ' ').includes(${JSON.stringify(EXIT_LINE)});
    const started = performance.now();
    let cleared = false;
    const check = () => {
      cleared ||= !shows();
      if (cleared && shows()) resolve(performance.now() - started);
      else if (performance.now() - started > ${RUN_TIMEOUT_MS}) resolve(null);
      else requestAnimationFrame(check);
    };
    demo.querySelector('.demo-run').click();
    requestAnimationFrame(check);
  })`);
  if (ms === null) throw new Error(`${selector} showed no "${EXIT_LINE}" within ${RUN_TIMEOUT_MS} ms`);
  return ms;
}

/**
 * Writes the flood's bytes, as the deck terminal receives them (each line ends in \r\n,
 * as the pty and the worker runner turn \n into), into a new xterm of the deck terminal's
 * size and options, in chunks of the server's batch size; milliseconds to the last
 * write's callback. The div is on screen (xterm stops rendering a terminal its
 * IntersectionObserver sees off screen) but almost transparent.
 */
async function runDirect(page: BarePage, size: { cols: number; rows: number }, box: { width: number; height: number }): Promise<number> {
  const given = { ...size, ...box, options: terminalOptions, lines: flood.lines, fill: flood.fill, chunkChars: CHUNK_CHARS };
  return page.evaluate<number>(`(async ({ cols, rows, width, height, options, lines, fill, chunkChars }) => {
    const div = document.createElement('div');
    div.style.cssText = 'position:fixed;left:0;top:0;width:' + width + 'px;height:' + height + 'px;opacity:0.01;pointer-events:none;z-index:1000';
    document.body.append(div);
    const term = new Terminal({ ...options, cols, rows });
    term.open(div);
    const chunks = [];
    let chunk = '';
    for (let i = 0; i < lines; i++) {
      chunk += String(i).padStart(8, '0') + ' ' + fill + '\\r\\n';
      if (chunk.length >= chunkChars) {
        chunks.push(chunk);
        chunk = '';
      }
    }
    if (chunk !== '') chunks.push(chunk);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const started = performance.now();
    await new Promise((resolve) => chunks.forEach((c, i) => term.write(c, i === chunks.length - 1 ? resolve : undefined)));
    const ms = performance.now() - started;
    term.dispose();
    div.remove();
    return ms;
  })(${JSON.stringify(given)})`);
}
