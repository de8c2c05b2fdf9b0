/**
 * The talk as a PDF: the hosted site built into a temporary folder, served on a loopback
 * port, opened in print mode (`?print-pdf`, client/print/print-deck.ts) in Debian's
 * chromium, and printed once the page says it has drawn everything. The build, the server,
 * the browser and the folder are all gone afterwards, also when something fails.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildSite } from '../site/build-site.ts';
import { serveStatic } from '../site/serve-static.ts';
import { launchChromium } from '../launch-chromium.ts';
import { countPdfPages } from './count-pdf-pages.ts';

export interface PrintPdfOptions {
  /** The folder with `slides/`, `demos/` and `recordings/`. */
  readonly root: string;
  /** Where the PDF goes. */
  readonly out: string;
  /** One page per step, each with its own highlight (else one per slide). */
  readonly steps: boolean;
  /** The speaker's notes, each on a page after its slide. */
  readonly notes: boolean;
  /** How long the page may take to draw itself (default 60 s). */
  readonly timeoutMs?: number;
}

export interface PrintedPdf {
  readonly out: string;
  readonly pages: number;
  readonly bytes: number;
  /** `<runtime> <demo>` of each demo shown without a recording: its terminal says "no recording". */
  readonly missingRecordings: readonly string[];
}

/** Slides are 1280x720, and so are the pages. */
const PAGE = { width: 1280, height: 720 } as const;

export async function printPdf(options: PrintPdfOptions): Promise<PrintedPdf> {
  const work = await mkdtemp(path.join(tmpdir(), 'deck-pdf-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(work, { recursive: true, force: true })];
  try {
    const site = await buildSite({ root: options.root, outDir: path.join(work, 'site'), base: '/', notes: options.notes, singleFile: false });
    const server = await serveStatic(path.dirname(site.entry), { base: '/' });
    cleanups.unshift(() => server.close());
    const browser = await launchChromium(PAGE);
    cleanups.unshift(() => browser.close());
    // The page needs nothing but the site: anything else is refused, not fetched.
    await browser.context.route('**/*', (route) => (route.request().url().startsWith(`${server.origin}/`) ? route.continue() : route.abort()));
    const page = await browser.context.newPage();
    const pdf = await printPage(page, printUrl(server.url, options), options.timeoutMs ?? 60_000);
    await mkdir(path.dirname(options.out), { recursive: true });
    await writeFile(options.out, pdf);
    return { out: options.out, pages: countPdfPages(pdf), bytes: pdf.length, missingRecordings: site.missingRecordings };
  } finally {
    // Every cleanup runs, in reverse order of setup; the first failure among them is reported.
    const failures: unknown[] = [];
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }
}

/** `<site>?print-pdf[&steps][&notes]` */
export function printUrl(siteUrl: string, options: Pick<PrintPdfOptions, 'steps' | 'notes'>): string {
  const flags = ['print-pdf', ...(options.steps ? ['steps'] : []), ...(options.notes ? ['notes'] : [])];
  return `${siteUrl}?${flags.join('&')}`;
}

async function printPage(page: Page, url: string, timeoutMs: number): Promise<Buffer> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(url);
  try {
    await page.waitForFunction(
      () => {
        // Runs in the page: it reads <html>'s data attributes (this Node-side project has no DOM types).
        const { printReady, printError } = (globalThis as unknown as PageGlobals).document.documentElement.dataset;
        return printReady === 'true' || printError !== undefined;
      },
      undefined,
      { timeout: timeoutMs, polling: 100 },
    );
  } catch (error) {
    throw new Error(`the page at ${url} did not finish drawing its print pages in ${timeoutMs / 1000} s${describe(problems)}`, { cause: error });
  }
  const failed = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.dataset['printError'] ?? null);
  if (failed !== null) throw new Error(`the page at ${url} could not draw its print pages: ${failed}${describe(problems)}`);
  return page.pdf({ width: `${PAGE.width}px`, height: `${PAGE.height}px`, printBackground: true, preferCSSPageSize: true });
}

/** What the page functions above read of the page's globals. */
interface PageGlobals {
  readonly document: { readonly documentElement: { readonly dataset: Readonly<Record<string, string | undefined>> } };
}

function describe(problems: readonly string[]): string {
  return problems.length === 0 ? '' : `; the page said:\n  ${problems.join('\n  ')}`;
}
