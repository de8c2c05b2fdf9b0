/**
 * The timeline in a real Chromium against the real server and the real Python tracer, on a
 * fixture deck (test/fixtures/timeline-deck): a lane per thread with its name; for a traced
 * deadlock, the caption naming its cycle while the demo still hangs; the download as trace
 * JSON that Perfetto opens; the `i` key showing the timeline of a demo whose line has none,
 * and tracing its next run, which then shows the timeline on the room's screen too; each terminal at its layout's size with the timeline beside it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { TIMELINE_TERMINAL_SIZE } from '../../server/deck/demo-layout.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';
import { evaluate, goToSlideWith, launchBrowser, openDeckPage, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';

const fixtureDeck = fileURLToPath(new URL('../fixtures/timeline-deck', import.meta.url));

let server: SpawnedServer;
let browser: LaunchedBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildClient();
  server = await spawnServer({ root: fixtureDeck, args: ['--no-watch'] });
  browser = await launchBrowser();
  page = await openDeckPage(browser, server.url, pageErrors);
  await evaluate(page, `window.Reveal.configure({ transition: 'none', backgroundTransition: 'none' })`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The lane names the shown demo's timeline draws, top to bottom. */
async function laneNames(demo: string): Promise<string[]> {
  return evaluate<string[]>(page, `[...document.querySelectorAll(${JSON.stringify(`${demo} .timeline-lane`)})].map((lane) => lane.dataset.lane)`);
}

async function waitForLanes(demo: string, names: readonly string[]): Promise<void> {
  await page.waitForFunction(
    ({ selector, wanted }) => {
      const drawn = Array.from(document.querySelectorAll<HTMLElement>(`${selector} .timeline-lane`), (lane) => lane.dataset['lane']);
      return wanted.every((name) => drawn.includes(name));
    },
    { selector: demo, wanted: [...names] },
    { timeout: 20_000, polling: 50 },
  );
}

/** The terminal's size as drawn, in columns and rows. */
async function terminalSize(demo: string): Promise<{ cols: number; rows: number }> {
  return evaluate(page, `(() => {
    const demo = document.querySelector(${JSON.stringify(demo)});
    const measure = demo.querySelector('.xterm-char-measure-element');
    const cell = measure.getBoundingClientRect().width / measure.textContent.length;
    return { cols: Math.round(demo.querySelector('.xterm-screen').getBoundingClientRect().width / cell), rows: demo.querySelector('.xterm-rows').children.length };
  })()`);
}

/** What is wrong with `event` as trace-event JSON (the fields its phase requires), or null. */
function traceEventProblem(event: Record<string, unknown>): string | null {
  const { ph, ts, pid, tid, name, dur, id, args } = event;
  if (typeof ph !== 'string' || !'MBEXbeisf'.includes(ph) || ph.length !== 1) return `ph ${String(ph)}`;
  if (typeof name !== 'string') return 'no name';
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'no ts';
  if (!Number.isInteger(pid) || !Number.isInteger(tid)) return 'no pid/tid';
  if (ph === 'X' && typeof dur !== 'number') return 'X without dur';
  if ('besf'.includes(ph) && (typeof id !== 'string' || id === '')) return `${ph} without id`;
  if (ph === 'M' && typeof (args as { name?: unknown } | undefined)?.name !== 'string') return 'M without args.name';
  return null;
}

describe('the timeline', () => {
  const deadlock = '.demo[data-demo="deadlock.py"]';

  it('names the deadlock\'s cycle while the demo still hangs, a lane per thread', async () => {
    await goToSlideWith(page, deadlock);
    expect(await evaluate<boolean>(page, `document.querySelector(${JSON.stringify(`${deadlock} .demo-timeline`)}).hidden`)).toBe(false);
    await page.keyboard.press('r');
    const seen = await page.waitForFunction(
      (selector) => {
        const demo = document.querySelector(selector);
        const caption = demo?.querySelector('.timeline-caption');
        if (caption === null || caption === undefined || caption.textContent === '') return null;
        return { caption: caption.textContent, running: demo?.classList.contains('is-running') ?? false };
      },
      deadlock,
      { timeout: 20_000, polling: 50 },
    );
    const { caption, running } = (await seen.jsonValue()) as { caption: string; running: boolean };
    expect(caption).toContain('A holds lock1 and waits for lock2; B holds lock2 and waits for lock1');
    expect(running).toBe(true);
    await waitForLanes(deadlock, ['A', 'B']);
    expect(await laneNames(deadlock)).toEqual(['MainProcess', 'A', 'B']);
    // The cycle's lanes are marked beyond colour: an outline each.
    expect(await evaluate<number>(page, `document.querySelectorAll(${JSON.stringify(`${deadlock} .timeline-lane.is-deadlocked .lane-outline`)}).length`)).toBe(2);
    expect(await terminalSize(deadlock)).toEqual(TIMELINE_TERMINAL_SIZE.side);
    await page.keyboard.press('.');
    await waitForTerminalText(page, 'deadlock.py', /exit|stopped|killed/);
  });

  it('downloads the run\'s trace as trace-event JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${deadlock} .timeline-download`)]);
    expect(download.suggestedFilename()).toBe('deadlock.py.trace.json');
    const file = JSON.parse(await readFile(await download.path(), 'utf8')) as { traceEvents?: unknown };
    expect(Array.isArray(file.traceEvents)).toBe(true);
    const events = file.traceEvents as Record<string, unknown>[];
    expect(events.length).toBeGreaterThan(5);
    expect(events.map(traceEventProblem).filter((problem) => problem !== null)).toEqual([]);
    expect(events.some((event) => event['ph'] === 'B' && event['cat'] === 'wait')).toBe(true);
  });

  it('shows a lane per worker thread, stacked beside the terminal', async () => {
    const workers = '.demo[data-demo="workers.py"][data-timeline]';
    await goToSlideWith(page, workers);
    await page.keyboard.press('r');
    await waitForTerminalText(page, 'workers.py', 'total 30');
    await waitForLanes(workers, ['worker-1', 'worker-2', 'worker-3']);
    expect(await terminalSize(workers)).toEqual(TIMELINE_TERMINAL_SIZE.stacked);
    // The lock passed from worker to worker: the arrows say so.
    await page.waitForFunction((selector) => document.querySelectorAll(`${selector} .arrow-handoff`).length > 0, workers, { timeout: 10_000, polling: 50 });
  });

  it('shows the timeline of a demo without one on `i`, traces its next run, and that run shows it on every screen', async () => {
    const plain = '.demo[data-demo="workers.py"]:not([data-timeline])';
    await goToSlideWith(page, plain);
    // The room's screen follows the talk to the same slide.
    const room = await openDeckPage(browser, server.audienceUrl, pageErrors);
    const hiddenOn = (on: Page): Promise<boolean> => evaluate<boolean>(on, `document.querySelector(${JSON.stringify(`${plain} .demo-timeline`)}).hidden`);
    await room.waitForFunction((selector) => document.querySelector(selector)?.closest('section')?.classList.contains('present') === true, plain, { timeout: 10_000 });
    expect(await hiddenOn(page)).toBe(true);
    expect(await hiddenOn(room)).toBe(true);
    await page.keyboard.press('i');
    expect(await hiddenOn(page)).toBe(false);
    // Nothing was traced yet: the toggle is the speaker's page's alone.
    expect(await hiddenOn(room)).toBe(true);
    await page.keyboard.press('r');
    await waitForLanes(plain, ['worker-1', 'worker-2', 'worker-3']);
    await room.waitForFunction((selector) => document.querySelectorAll(`${selector} .timeline-lane[data-lane="worker-3"]`).length === 1, plain, { timeout: 10_000, polling: 50 });
    expect(await hiddenOn(room)).toBe(false);
    await room.close();
    await page.keyboard.press('i');
    expect(await hiddenOn(page)).toBe(true);
  });

  it('threw no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
