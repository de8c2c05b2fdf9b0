/**
 * The print mode of the site page (`?print-pdf`, what `npm run pdf` opens in Chromium):
 * reveal.js's print view lays every slide out as a page of its own, and this draws on the
 * pages what paper needs: each demo's code and its recorded final screen, each step page
 * with its own highlight, numbers as on screen, notes on pages of their own.
 *
 * client/site.ts wires it: reveal's config from `printRevealConfig`, the code steps mounted
 * on every slide before `deck.initialize()` (reveal clones a slide's step pages from its
 * fragments, the step markers among them), no replay controllers, then `startPrint`.
 * `npm run pdf` waits for `<html data-print-ready="true">` (or `data-print-error`).
 */
import type { Recording } from '../../server/recordings/recording.ts';
import { markPageSteps, numberPages, pdfPages, placeNotePages, whenPdfPagesLaidOut } from './pdf-pages.ts';
import { drawRecording } from './print-terminal.ts';
import { drawTimeline } from './print-timeline.ts';
import { injectPrintStyles } from './print-styles.ts';

/** The query flags of print mode: `?print-pdf[&steps][&notes]`. */
export interface PrintOptions {
  /** One page per step (each with its own highlight) instead of one per slide. */
  readonly steps: boolean;
  /** The speaker's notes, each on a page of its own after its slide. */
  readonly notes: boolean;
}

export function printOptions(url: URL): PrintOptions {
  return { steps: url.searchParams.has('steps'), notes: url.searchParams.has('notes') };
}

/** reveal.js's config for print mode; it overrides the site's own. */
export function printRevealConfig(url: URL): Record<string, unknown> {
  const { steps, notes } = printOptions(url);
  return {
    view: 'print',
    // Pages of exactly the slide's size: 1280x720, no margin round it.
    width: 1280,
    height: 720,
    margin: 0,
    center: false,
    hash: false,
    controls: false,
    progress: false,
    transition: 'none',
    slideNumber: 'c/t',
    showSlideNumber: 'all',
    pdfSeparateFragments: steps,
    // A slide is cut at its box on screen, so it is one page on paper however tall its content.
    pdfMaxPagesPerSlide: 1,
    showNotes: notes ? 'separate-page' : false,
  };
}

type RecordingLookup = (demo: HTMLElement) => Promise<Recording | null>;

/**
 * Draws the print pages once reveal.js has laid them out, then marks the document ready.
 * A failure is marked too (`data-print-error`), so the PDF script need not wait for a timeout.
 */
export async function startPrint(root: HTMLElement, recordingFor: RecordingLookup): Promise<void> {
  try {
    await whenPdfPagesLaidOut(root);
    injectPrintStyles();
    const { steps } = printOptions(new URL(window.location.href));
    const pages = pdfPages(root);
    numberPages(pages);
    placeNotePages(root);
    for (const page of pages) markPageSteps(page, steps);
    // xterm measures its cells with the page's fonts: they must be in before a terminal opens.
    await document.fonts.ready;
    const lookup = sharedLookup(recordingFor);
    // A group of variants prints its default one (the deck's language); the others stay hidden and undrawn.
    const demos = pages.flatMap((page) => [...page.querySelectorAll<HTMLElement>('.demo')].filter((demo) => !demo.hidden));
    // The timelines first: beside one, the terminal's box is smaller.
    const recordings = await Promise.all(demos.map((demo) => lookup(demo)));
    demos.forEach((demo, index) => drawTimeline(demo, recordings[index] ?? null));
    const terminals = await Promise.all(demos.map((demo, index) => drawRecording(demo, recordings[index] ?? null)));
    // xterm draws on animation frames and only what is in the viewport: each terminal in view, one after another.
    // The window scrolls, not the slide: scrollIntoView would also scroll the slide's own
    // (overflow: hidden) box and print its content shifted.
    for (const [index, terminal] of terminals.entries()) {
      const demo = demos[index];
      if (demo !== undefined) window.scrollTo(0, window.scrollY + demo.getBoundingClientRect().top);
      await terminal.paint();
    }
    window.scrollTo(0, 0);
    // The timelines draw on the next frame (and again once their boxes have their size).
    await nextFrame();
    await nextFrame();
    document.documentElement.dataset['printReady'] = 'true';
  } catch (error) {
    document.documentElement.dataset['printError'] = error instanceof Error ? error.message : String(error);
    throw error;
  }
}

/** One lookup per demo and runtime: step pages are copies of a slide, and its demos with it. */
function sharedLookup(recordingFor: RecordingLookup): RecordingLookup {
  const found = new Map<string, Promise<Recording | null>>();
  return (demo) => {
    const key = `${demo.dataset['runtime'] ?? ''}:${demo.dataset['demo'] ?? ''}`;
    let recording = found.get(key);
    if (recording === undefined) found.set(key, (recording = recordingFor(demo)));
    return recording;
  };
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
