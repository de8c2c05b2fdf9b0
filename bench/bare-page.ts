/**
 * A deck page in Debian's headless chromium, driven over a bare DevTools connection
 * (chrome-remote-interface): only the Page, Runtime and Emulation domains, never Network.
 * playwright-core enables Network on every page it drives, and Chromium then copies each
 * WebSocket frame's payload to the driver: 20 MiB of output through the page's socket cost
 * the page's own thread that copy, so a playwright page measured the copy along with the
 * deck (0.65 against 0.86 for the same runs here). What a viewer's browser does is measured
 * this way; the tests keep playwright.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import CDP from 'chrome-remote-interface';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/launch-chromium.ts';
import { PAGE_HELPERS } from '../test/helpers/browser.ts';

export interface BarePage {
  /** Loads the deck at `url` and waits until it is ready (reveal.js up, socket open). */
  openDeck(url: string): Promise<void>;
  /** The value of `expression` (JS text; a promise is awaited), or its error. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` every animation frame until it is true. */
  waitUntil(expression: string, what: string, timeoutMs?: number): Promise<void>;
  /** Shows the top-level slide that holds the demo `selector` and waits for its terminal. */
  goToDemo(selector: string): Promise<void>;
  /** Uncaught errors of the page, as they came. */
  readonly errors: readonly string[];
  close(): Promise<void>;
}

const LAUNCH_TIMEOUT_MS = 20_000;
const WAIT_TIMEOUT_MS = 20_000;

export async function launchBarePage(viewport: { width: number; height: number } = { width: 1280, height: 720 }): Promise<BarePage> {
  const profile = await mkdtemp(path.join(tmpdir(), 'deck-bench-chromium-'));
  const browser = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--window-size=${viewport.width},${viewport.height}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const closeBrowser = async (): Promise<void> => {
    if (browser.exitCode === null && browser.signalCode === null) {
      browser.kill('SIGTERM');
      await once(browser, 'exit');
    }
    await rm(profile, { recursive: true, force: true });
  };
  try {
    const port = await devToolsPort(browser);
    const client = await CDP({ port, local: true, target: (targets) => targets.findIndex((t) => t.type === 'page') });
    const errors: string[] = [];
    client.Runtime.exceptionThrown(({ exceptionDetails }) => errors.push(exceptionDetails.exception?.description ?? exceptionDetails.text));
    await Promise.all([client.Runtime.enable(), client.Page.enable()]);
    await client.Emulation.setDeviceMetricsOverride({ width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false });
    await client.Page.addScriptToEvaluateOnNewDocument({ source: PAGE_HELPERS });

    const evaluate = async <T>(expression: string): Promise<T> => {
      const { result, exceptionDetails } = await client.Runtime.evaluate({ expression, awaitPromise: true, returnByValue: true });
      if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value as T;
    };
    const waitUntil = async (expression: string, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> => {
      const waited = await evaluate<boolean>(`new Promise((resolve) => {
        const started = performance.now();
        const check = () => {
          if (${expression}) resolve(true);
          else if (performance.now() - started > ${timeoutMs}) resolve(false);
          else requestAnimationFrame(check);
        };
        check();
      })`);
      if (!waited) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    };
    return {
      errors,
      evaluate,
      waitUntil,
      async openDeck(url) {
        const loaded = client.Page.loadEventFired();
        const { errorText } = await client.Page.navigate({ url });
        if (errorText !== undefined) throw new Error(`could not load ${url}: ${errorText}`);
        await loaded;
        await waitUntil('window.__deckTest !== undefined && window.__deckTest.isReady()', 'the deck to be ready');
      },
      async goToDemo(selector) {
        const index = await evaluate<number>(`window.__deckTest.slideIndexOf(${JSON.stringify(selector)})`);
        if (index < 0) throw new Error(`no slide holds ${selector}`);
        await evaluate(`window.Reveal.slide(${index}, 0, -1)`);
        await waitUntil(`window.__deckTest.currentSlide() === ${index}`, `slide ${index}`);
        await waitUntil(`document.querySelector(${JSON.stringify(`${selector} .xterm`)}) !== null`, `the terminal of ${selector}`);
      },
      async close() {
        try {
          await client.close();
        } finally {
          await closeBrowser();
        }
      },
    };
  } catch (error) {
    await closeBrowser();
    throw new Error(`could not drive chromium at ${CHROMIUM_PATH} over DevTools: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The port chromium says it listens on ("DevTools listening on ws://127.0.0.1:PORT/…" on stderr). */
async function devToolsPort(browser: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => done(new Error(`no DevTools port within ${LAUNCH_TIMEOUT_MS} ms: ${said}`)), LAUNCH_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      said += chunk.toString('utf8');
      const match = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(said);
      if (match) done(null, Number(match[1]));
    };
    const onExit = (code: number | null): void => done(new Error(`chromium exited (${code}) before it listened: ${said}`));
    const done = (error: Error | null, port?: number): void => {
      clearTimeout(timer);
      browser.stderr?.off('data', onData);
      browser.off('exit', onExit);
      // Chromium keeps writing to stderr; it must not block on a full pipe.
      browser.stderr?.resume();
      if (error) reject(error);
      else resolve(port ?? 0);
    };
    browser.stderr?.on('data', onData);
    browser.once('exit', onExit);
  });
}
