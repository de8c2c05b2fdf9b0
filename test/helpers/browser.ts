/**
 * Headless Debian chromium through playwright-core, with a fresh profile per launch, and
 * helpers to read what a demo terminal shows. Waits are `waitForFunction`, never sleeps.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/launch-chromium.ts';

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(options: { width?: number; height?: number } = {}): Promise<LaunchedBrowser> {
  const { context, close } = await launchChromium({ width: options.width ?? 1280, height: options.height ?? 720 });
  await context.addInitScript({ content: PAGE_HELPERS });
  return { context, newPage: () => context.newPage(), close };
}

/**
 * Page-side helpers, installed before the page's own scripts. They are plain JS text so
 * this Node-side project needs no DOM types, and CDP-injected code is not bound by the
 * page's Content-Security-Policy (which forbids eval).
 */
export const PAGE_HELPERS = `
window.__deckTest = {
  terminalText(selector) {
    const demo = document.querySelector(selector);
    // The rows xterm.js draws: what the room sees (its accessibility tree can lag behind a terminal that scrolls all the time).
    const rows = demo && (demo.querySelector('.xterm-rows') || demo.querySelector('.xterm-accessibility-tree'));
    if (!rows) return '';
    return [...rows.children].map((row) => (row.textContent || '').replace(/\\u00a0/g, ' ').trimEnd()).join('\\n');
  },
  terminalMatches(selector, source, flags) {
    return new RegExp(source, flags).test(this.terminalText(selector));
  },
  isReady() {
    return window.Reveal !== undefined && window.Reveal.isReady() && document.documentElement.dataset.socket === 'open';
  },
  socketIsNot(state) {
    return document.documentElement.dataset.socket !== state;
  },
  currentSlide() {
    return window.Reveal.getIndices().h;
  },
  slidesInclude(text) {
    return (document.querySelector('.reveal .slides')?.textContent ?? '').includes(text);
  },
  slideIndexOf(selector) {
    const slides = [...document.querySelectorAll('.reveal .slides > section')];
    return slides.findIndex((slide) => slide.matches(selector) || slide.querySelector(selector) !== null);
  },
};
`;

/** Runs `expression` (JS text) in the page and returns its value. */
export async function evaluate<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

/** What `PAGE_HELPERS` defines, as seen from Node. */
export interface PageHelpers {
  terminalText(selector: string): string;
  terminalMatches(selector: string, source: string, flags: string): boolean;
  /** reveal.js is ready and the socket is open. */
  isReady(): boolean;
  currentSlide(): number;
  /** The page's socket is in another state than `state` (open, connecting, closed). */
  socketIsNot(state: string): boolean;
  slidesInclude(text: string): boolean;
  slideIndexOf(selector: string): number;
}

/**
 * Waits until the page helper `name` returns something truthy. A function predicate (not
 * JS text) because the page's CSP forbids the eval a text predicate would need.
 */
export async function waitFor<K extends keyof PageHelpers>(page: Page, name: K, args: Parameters<PageHelpers[K]>, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(
    ({ name: helper, args: values }) => {
      const helpers = (globalThis as unknown as { __deckTest: Record<string, (...a: unknown[]) => unknown> }).__deckTest;
      return helpers[helper]?.(...values);
    },
    { name: name as string, args: args as unknown[] },
    { timeout: timeoutMs, polling: 50 },
  );
}

/** A demo by its path under `demos/`, and its runtime when one file runs in several. */
export type DemoTarget = string | { readonly demo: string; readonly runtime: string };

/** CSS selector of the `.demo` element of `target`. */
export function demoSelector(target: DemoTarget): string {
  const { demo, runtime } = typeof target === 'string' ? { demo: target, runtime: null } : target;
  const quote = (value: string): string => JSON.stringify(value);
  return `.demo[data-demo=${quote(demo)}]${runtime === null ? '' : `[data-runtime=${quote(runtime)}]`}`;
}

/** The text a demo's terminal shows, as assistive tech reads it. */
export async function terminalText(page: Page, demo: DemoTarget): Promise<string> {
  return evaluate<string>(page, `window.__deckTest.terminalText(${JSON.stringify(demoSelector(demo))})`);
}

/** Waits until the demo's terminal text matches `expected`; returns that text. */
export async function waitForTerminalText(page: Page, demo: DemoTarget, expected: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const pattern = typeof expected === 'string' ? new RegExp(escapeRegExp(expected)) : expected;
  try {
    await waitFor(page, 'terminalMatches', [demoSelector(demo), pattern.source, pattern.flags], timeoutMs);
  } catch (error) {
    const text = await terminalText(page, demo).catch(() => '<unreadable>');
    throw new Error(`terminal of ${demoSelector(demo)} never matched ${String(expected)}; it shows:\n${text}`, { cause: error });
  }
  return terminalText(page, demo);
}

/** Index of the top-level slide that holds (or is) `selector`. */
export async function slideIndexOf(page: Page, selector: string): Promise<number> {
  const index = await evaluate<number>(page, `window.__deckTest.slideIndexOf(${JSON.stringify(selector)})`);
  if (index < 0) throw new Error(`no slide holds ${selector}`);
  return index;
}

/** Shows the slide holding `selector` and waits until reveal.js made it the current one. */
export async function goToSlideWith(page: Page, selector: string): Promise<number> {
  const index = await slideIndexOf(page, selector);
  await evaluate(page, `window.Reveal.slide(${index}, 0, -1)`);
  await page.waitForFunction(
    (i) => (globalThis as unknown as { __deckTest: PageHelpers }).__deckTest.currentSlide() === i,
    index,
    { polling: 50 },
  );
  return index;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens `url` in a new page of `browser`, keeps its page errors in `errors`, and waits until the deck is ready. */
export async function openDeckPage(browser: LaunchedBrowser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  await page.goto(url);
  await waitFor(page, 'isReady', []);
  return page;
}
