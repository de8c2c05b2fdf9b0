/**
 * The hosted read-only site in a real browser: the fixture deck built with `buildSite`
 * under a base path into a temp folder, served by the plain static file server on a free
 * loopback port, opened in headless chromium. Run replays the recording; nothing connects
 * anywhere but the site. The single file is opened from file://.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../scripts/site/build-site.ts';
import type { SiteBuild } from '../../scripts/site/build-site.ts';
import { serveStatic } from '../../scripts/site/serve-static.ts';
import type { StaticServer } from '../../scripts/site/serve-static.ts';
import { demoSelector, evaluate, goToSlideWith, launchBrowser, terminalText, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';

const fixtureDeck = fileURLToPath(new URL('../fixtures/site-deck', import.meta.url));
const screenshotDir = path.join(tmpdir(), 'site-screens');
const BASE = '/talks/concurrency/';
const RECORDED = 'hello.py';
const UNRECORDED = 'count.ts';
const TRACED = 'deadlock.py';
const NOTE = 'only a build with --notes publishes';

let workDir = '';
let site: SiteBuild;
let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
const requested: string[] = [];
const websockets: string[] = [];
const pageErrors: string[] = [];

function build(outDir: string, options: { notes?: boolean; singleFile?: boolean; base?: string; budgetGzipBytes?: number } = {}): Promise<SiteBuild> {
  return buildSite({ root: fixtureDeck, outDir, base: options.base ?? BASE, notes: options.notes ?? false, singleFile: options.singleFile ?? false, budgetGzipBytes: options.budgetGzipBytes });
}

/** Opens a site page and waits until reveal.js is ready, keeping what it requests and its errors. */
async function openSite(url: string): Promise<Page> {
  const opened = await browser.newPage();
  opened.on('request', (request) => requested.push(request.url()));
  opened.on('websocket', (socket) => websockets.push(socket.url()));
  opened.on('pageerror', (error) => pageErrors.push(error.message));
  // A Content-Security-Policy violation is reported on the console only.
  opened.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await opened.goto(url);
  await opened.waitForFunction(() => (globalThis as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady() === true, null, { polling: 50 });
  return opened;
}

/** Waits until reveal.js's transition is over: only the current slide is visible. */
async function settle(target: Page): Promise<void> {
  await target.waitForFunction(
    () => Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides > section')).every((slide) => getComputedStyle(slide).opacity === (slide.classList.contains('present') ? '1' : '0') || getComputedStyle(slide).display === 'none'),
    null,
    { polling: 50 },
  );
}

function status(target: Page, demo: string): Promise<string> {
  return target.locator(`${demoSelector(demo)} .demo-status`).innerText();
}

async function waitForStatus(target: Page, demo: string, pattern: RegExp): Promise<void> {
  await target.waitForFunction(
    ({ selector, source }) => new RegExp(source).test(document.querySelector(`${selector} .demo-status`)?.textContent ?? ''),
    { selector: demoSelector(demo), source: pattern.source },
    { polling: 50 },
  );
}

/** The raw path, as sent: no URL normalisation on the way. */
function getStatus(origin: string, rawPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}/`, { path: rawPath }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'deck-site-'));
  await mkdir(screenshotDir, { recursive: true });
  site = await build(path.join(workDir, 'site'));
  server = await serveStatic(path.join(workDir, 'site'), { base: BASE });
  browser = await launchBrowser();
  page = await openSite(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir !== '') await rm(workDir, { recursive: true, force: true });
});

describe('the hosted site', () => {
  it('writes the page, hashed assets, woff2 fonts and the recordings, every URL under the base', async () => {
    const files = site.files.map((file) => path.relative(path.join(workDir, 'site'), file).split(path.sep).join('/'));
    expect(files).toContain('index.html');
    expect(files.filter((file) => /^assets\/site-[A-Z0-9]+\.js$/.test(file))).toHaveLength(1);
    expect(files.filter((file) => /^assets\/site-[A-Z0-9]+\.css$/.test(file))).toHaveLength(1);
    expect(files.some((file) => /^assets\/fonts\/.+\.woff2$/.test(file))).toBe(true);
    expect(files.filter((file) => file.startsWith('recordings/')).sort()).toEqual([expect.stringMatching(/^recordings\/deadlock\.py\.python-[0-9a-f]+\.json$/), expect.stringMatching(/^recordings\/hello\.py\.python-[0-9a-f]+\.json$/)]);
    const html = await readFile(site.entry, 'utf8');
    const urls = [...html.matchAll(/(?:src|href|data-recording)="([^"]+)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    expect(urls.filter((url) => url !== 'data:,' && !url?.startsWith(BASE))).toEqual([]);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="[^"]*connect-src &#39;self&#39;;/);
    expect(html).not.toMatch(/ws:|token/);
    expect(site.sizes.jsGzip + site.sizes.cssGzip).toBeLessThanOrEqual(300_000);
    expect(site.missingRecordings).toEqual([`worker ${UNRECORDED}`]);
    expect(site.staleRecordings).toEqual([]);
  });

  it('carries no WebSocket code, and the page opens none and asks nothing of any other origin', async () => {
    const script = site.files.find((file) => file.endsWith('.js'));
    expect(script).toBeDefined();
    expect(await readFile(script ?? '', 'utf8')).not.toContain('WebSocket');
    await goToSlideWith(page, demoSelector(RECORDED));
    expect(websockets).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${server.origin}${BASE}`) && !url.startsWith('data:'))).toEqual([]);
  });

  it('steps through the highlighted lines with the arrow keys', async () => {
    await evaluate(page, 'window.Reveal.slide(0, 0, -1)');
    await page.keyboard.press('ArrowRight');
    const classes = (): Promise<string[]> => evaluate<string[]>(page, `[...document.querySelectorAll('pre[data-line-steps] .line')].map((l) => l.className.replace(/\\s+/g, ' ').trim())`);
    await page.waitForFunction(() => (globalThis as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h === 1, null, { polling: 50 });
    expect(await classes()).toEqual(['line highlighted', 'line dimmed', 'line dimmed']);
    await page.keyboard.press('ArrowRight');
    expect(await classes()).toEqual(['line dimmed', 'line highlighted', 'line highlighted']);
    await page.keyboard.press('ArrowRight');
    expect(await classes()).toEqual(['line', 'line', 'line']);
    await page.keyboard.press('ArrowLeft');
    expect(await classes()).toEqual(['line dimmed', 'line highlighted', 'line highlighted']);
    expect(await page.locator('.slide-number').innerText()).toMatch(/^2\s*\/\s*5$/);
    await page.keyboard.press('o');
    expect(await evaluate<boolean>(page, 'window.Reveal.isOverview()')).toBe(true);
    await page.keyboard.press('o');
    expect(await evaluate<boolean>(page, 'window.Reveal.isOverview()')).toBe(false);
  });

  it('marks a recorded demo as a recording with its date, and says so where a demo has none (no Run)', async () => {
    await goToSlideWith(page, demoSelector(RECORDED));
    expect(await page.locator(`${demoSelector(RECORDED)} .demo-recording-badge`).innerText()).toBe('recording · 20 Nov 2026');
    await goToSlideWith(page, demoSelector(UNRECORDED));
    await waitForTerminalText(page, UNRECORDED, 'No recording of this demo');
    expect(await page.locator(`${demoSelector(UNRECORDED)} button`).count()).toBe(0);
    expect(await status(page, UNRECORDED)).toBe('no recording');
    await settle(page);
    await page.screenshot({ path: path.join(screenshotDir, 'unrecorded-1280.png') });
  });

  it("replays a traced recording's timeline with its output: the lanes, and the deadlock named while the replay hangs", async () => {
    await goToSlideWith(page, demoSelector(TRACED));
    const timeline = page.locator(`${demoSelector(TRACED)} .demo-timeline`);
    expect(await timeline.isVisible()).toBe(true);
    await page.keyboard.press('r');
    await page.waitForFunction((selector) => document.querySelector(selector)?.textContent?.includes('A holds lock1 and waits for lock2; B holds lock2 and waits for lock1') === true, `${demoSelector(TRACED)} .timeline-caption`, { timeout: 15_000 });
    // Named while it hangs: the run's exit (0.5 s later in the recording) has not been replayed yet.
    expect(await terminalText(page, TRACED)).not.toContain('stuck');
    // The label's own text, not its tooltip (<title>).
    const lanes = await timeline.locator('.lane-label').evaluateAll((labels) => labels.map((label) => label.firstChild?.textContent ?? ''));
    expect(lanes.map((label) => label.replace(/^⚠\s*/, ''))).toEqual(expect.arrayContaining(['MainProcess', 'A', 'B']));
    await waitForTerminalText(page, TRACED, 'stuck');
    await page.keyboard.press('i');
    expect(await timeline.isVisible()).toBe(false);
    await page.keyboard.press('i');
    expect(await timeline.isVisible()).toBe(true);
  });

  it('replays the recording on Run at its pace, pauses on ., goes on with r, and Skip to end writes the rest and the exit line', async () => {
    await goToSlideWith(page, demoSelector(RECORDED));
    await page.setViewportSize({ width: 1280, height: 720 });
    await settle(page);
    await page.screenshot({ path: path.join(screenshotDir, 'demo-1280-before.png') });
    await page.locator(demoSelector(RECORDED)).getByRole('button', { name: /^Run / }).click();
    const first = await waitForTerminalText(page, RECORDED, 'hello from the recording');
    // The last line is recorded 4 s after the first: played at its pace, it is not there yet.
    expect(first).not.toContain('all done');
    await page.keyboard.press('.');
    await waitForStatus(page, RECORDED, /^paused/);
    expect(await terminalText(page, RECORDED)).not.toContain('all done');
    await page.keyboard.press('r');
    await waitForStatus(page, RECORDED, /^playing/);
    await page.locator(demoSelector(RECORDED)).getByRole('button', { name: /^Skip to the end/ }).click();
    const text = await waitForTerminalText(page, RECORDED, /all done\n⏎ exit 0 · 4\.10 s/);
    expect(text).toMatch(/^hello from the recording\ncounting: 1\ncounting: 2\nall done\n⏎ exit 0 · 4\.10 s/);
    expect(await status(page, RECORDED)).toBe('exit 0');
    await page.screenshot({ path: path.join(screenshotDir, 'demo-1280-after.png') });
  });

  it('replays from the start again on a second Run, also at 1024x768', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await goToSlideWith(page, demoSelector(RECORDED));
    await settle(page);
    await page.screenshot({ path: path.join(screenshotDir, 'demo-1024-before.png') });
    await page.locator(demoSelector(RECORDED)).getByRole('button', { name: /^Run / }).click();
    await waitForStatus(page, RECORDED, /^playing/);
    await page.screenshot({ path: path.join(screenshotDir, 'demo-1024-playing.png') });
    await page.locator(demoSelector(RECORDED)).getByRole('button', { name: /^Skip to the end/ }).click();
    const text = await waitForTerminalText(page, RECORDED, /⏎ exit 0/);
    expect(text.match(/hello from the recording/g)).toHaveLength(1);
    await page.screenshot({ path: path.join(screenshotDir, 'demo-1024-after.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(pageErrors).toEqual([]);
  });

  it('lays each kind of slide out in print mode (the PDF) as on screen', async () => {
    // Where a slide's heading and demo sit inside it, in the slide's own 1280×720 pixels.
    const layoutOf = (target: Page, slideSelector: string): Promise<Record<string, number[]>> =>
      evaluate(target, `(() => {
        const slide = document.querySelector(${JSON.stringify(slideSelector)});
        const box = slide.getBoundingClientRect();
        const scale = box.width / 1280;
        const place = (el) => { if (!el) return []; const r = el.getBoundingClientRect(); return [r.left - box.left, r.top - box.top, r.width, r.height].map((n) => Math.round(n / scale)); };
        return { heading: place(slide.querySelector('h1, h2')), demo: place(slide.querySelector('.demo:not([hidden]) .demo-code')) };
      })()`);
    const slides = await evaluate<string[]>(page, `Array.from(document.querySelectorAll('.reveal .slides > section'), (s) => s.id).filter((id) => id !== '')`);
    const printed = await openSite(`${server.url}?print-pdf`);
    await printed.waitForFunction(() => document.documentElement.dataset['printReady'] === 'true', null, { polling: 100 });
    try {
      for (const id of slides) {
        await page.evaluate((slideId) => {
          const reveal = (globalThis as unknown as { Reveal: { getIndices(s: Element): { h: number }; slide(h: number): void } }).Reveal;
          const slide = document.getElementById(slideId);
          if (slide !== null) reveal.slide(reveal.getIndices(slide).h);
        }, id);
        await settle(page);
        const onScreen = await layoutOf(page, `#${id}`);
        const onPaper = await layoutOf(printed, `.pdf-page > #${id}`);
        for (const part of ['heading', 'demo'] as const) {
          (onScreen[part] ?? []).forEach((n, i) => expect(Math.abs(n - (onPaper[part]?.[i] ?? NaN)), `${id} ${part}: screen ${String(onScreen[part])}, print ${String(onPaper[part])}`).toBeLessThanOrEqual(2));
        }
      }
    } finally {
      await printed.close();
    }
  });

  it('built with relative URLs (the default base), works from any path', async () => {
    await build(path.join(workDir, 'relative'), { base: './' });
    const elsewhere = await serveStatic(path.join(workDir, 'relative'), { base: '/some/other/place/' });
    try {
      const before = requested.length;
      const other = await openSite(`${elsewhere.url}#/demos--a-recorded-demo`);
      await other.locator(demoSelector(RECORDED)).getByRole('button', { name: /^Skip to the end/ }).click();
      await waitForTerminalText(other, RECORDED, /all done\n⏎ exit 0 · 4\.10 s/);
      const fetched = requested.slice(before);
      expect(fetched.some((url) => url.startsWith(`${elsewhere.url}recordings/hello.py.python-`))).toBe(true);
      expect(fetched.filter((url) => !url.startsWith(elsewhere.url) && !url.startsWith('data:'))).toEqual([]);
      await other.close();
    } finally {
      await elsewhere.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('leaves the speaker notes out unless built with notes', async () => {
    expect(await readFile(site.entry, 'utf8')).not.toContain(NOTE);
    const withNotes = await build(path.join(workDir, 'with-notes'), { notes: true });
    const html = await readFile(withNotes.entry, 'utf8');
    expect(html).toContain('<aside class="notes">');
    expect(html).toContain(NOTE);
  });

  it('writes one self-contained file that plays a recording opened from file://', async () => {
    const single = await build(path.join(workDir, 'single'), { singleFile: true, base: './' });
    expect(single.files).toEqual([single.entry]);
    expect(path.basename(single.entry)).toBe('site-fixture.html');
    const before = requested.length;
    const filePage = await openSite(pathToFileURL(single.entry).href);
    await goToSlideWith(filePage, demoSelector(RECORDED));
    await filePage.locator(demoSelector(RECORDED)).getByRole('button', { name: /^Run / }).click();
    await waitForTerminalText(filePage, RECORDED, 'hello from the recording');
    await filePage.locator(demoSelector(RECORDED)).getByRole('button', { name: /^Skip to the end/ }).click();
    await waitForTerminalText(filePage, RECORDED, /all done\n⏎ exit 0 · 4\.10 s/);
    expect(requested.slice(before).filter((url) => !url.startsWith('file://') && !url.startsWith('data:'))).toEqual([]);
    expect(requested.slice(before).filter((url) => url.startsWith('file://'))).toEqual([pathToFileURL(single.entry).href]);
    expect(pageErrors).toEqual([]);
    await filePage.close();
  });

  it('fails the build past its budget, on a base that is not a path, and on a deck error, writing nothing; publishes a stale recording with a warning', async () => {
    await expect(build(path.join(workDir, 'over-budget'), { budgetGzipBytes: 50_000 })).rejects.toThrow(/over its budget of 50\.0 kB/);
    await expect(build(path.join(workDir, 'bad-base'), { base: 'talks' })).rejects.toThrow(/--base must be a path/);
    const broken = path.join(workDir, 'broken-deck');
    await cp(fixtureDeck, broken, { recursive: true });
    await writeFile(path.join(broken, 'demos', RECORDED), `${await readFile(path.join(broken, 'demos', RECORDED), 'utf8')}print("edited")\n`);
    const edited = await buildSite({ root: broken, outDir: path.join(workDir, 'edited-site'), base: BASE, notes: false, singleFile: false });
    expect(edited.staleRecordings).toEqual([expect.stringMatching(/^python hello\.py: recorded 2026-11-20 from another version of hello\.py/)]);
    await writeFile(path.join(broken, 'slides', '03-broken.md'), '## Broken\n\n<<< python missing.py\n');
    const failed = buildSite({ root: broken, outDir: path.join(workDir, 'broken-site'), base: BASE, notes: false, singleFile: false });
    await expect(failed).rejects.toThrow(/the deck has 1 error\(s\)[^]*03-broken\.md:3 .*missing\.py/);
    await expect(readdir(workDir)).resolves.not.toContain('broken-site');
    await expect(readdir(workDir)).resolves.not.toContain('over-budget');
  });
});

describe('the static file server', () => {
  it('serves the site under its base with its content types, and nothing outside it', async () => {
    const index = await fetch(server.url);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const font = site.files.find((file) => file.endsWith('.woff2')) ?? '';
    const fontUrl = `${server.url}${path.relative(path.join(workDir, 'site'), font).split(path.sep).join('/')}`;
    expect((await fetch(fontUrl)).headers.get('content-type')).toBe('font/woff2');
    expect(await getStatus(server.origin, '/talks/concurrency')).toBe(301);
    expect(await getStatus(server.origin, '/index.html')).toBe(404);
    expect(await getStatus(server.origin, `${BASE}missing.js`)).toBe(404);
    expect(await getStatus(server.origin, `${BASE}../../../../etc/passwd`)).toBe(404);
    expect(await getStatus(server.origin, `${BASE}%2e%2e/%2e%2e/%2e%2e/etc/passwd`)).toBe(404);
    expect(await getStatus(server.origin, `${BASE}assets`)).toBe(404);
  });
});
