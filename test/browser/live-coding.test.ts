/**
 * Live coding on stage, in a real browser against the real server: Edit (the button or `e`)
 * turns a demo's code into an editor that keeps the keys until Esc, every screen sees the edit
 * as it is typed, Run runs it, a reload keeps it, Reset forgets it, Save writes it into the
 * file (and is refused when the file changed meanwhile), and a syntax error shows at its line.
 * The server runs on a temporary copy of the browser fixture deck with the live-coding
 * fixtures added, so saves never touch the repository.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.ts';
import { evaluate, openDeckPage, goToSlideWith, launchBrowser, waitFor, waitForTerminalText } from '../helpers/browser.ts';
import type { LaunchedBrowser } from '../helpers/browser.ts';
import { freshTokenFile, spawnServer } from '../helpers/spawn-server.ts';
import type { SpawnedServer } from '../helpers/spawn-server.ts';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const screenshotDir = path.join(tmpdir(), 'deck-screens');

const GREET_PY = { key: 'python:live/greet.py#body', target: { demo: 'live/greet.py', runtime: 'python' } };
const SQUARES = { key: 'python:live/squares.py#work', target: { demo: 'live/squares.py', runtime: 'python' } };
const GREET_WORKER = { key: 'worker:live/greet.ts#body', target: { demo: 'live/greet.ts', runtime: 'worker' } };
const GREET_PROCESS = { key: 'process:live/greet.ts#body', target: { demo: 'live/greet.ts', runtime: 'process' } };
const TYPED = { key: 'python:live/typed.py#body', target: { demo: 'live/typed.py', runtime: 'python' } };
type Demo = typeof GREET_PY;

let root = '';
let tokenFile = '';
let server: SpawnedServer;
let browser: LaunchedBrowser;
let presenter: Page;
const pageErrors: string[] = [];

const sel = (demo: Demo): string => `.demo[data-demo-key=${JSON.stringify(demo.key)}]`;
const demoFile = (name: string): string => path.join(root, 'demos', 'live', name);

const openPage = (url: string): Promise<Page> => openDeckPage(browser, url, pageErrors);

/** The code the editor of `demo` shows, line by line (every line of these short demos is drawn). */
async function editorText(page: Page, demo: Demo): Promise<string> {
  return (await page.locator(`${sel(demo)} .cm-line`).allTextContents()).join('\n');
}

/** What the code pane shows: the static code or the editor, and whether it takes typing. */
async function pane(page: Page, demo: Demo): Promise<'static' | 'editing' | 'read-only'> {
  if (await page.locator(`${sel(demo)} .demo-code pre`).isVisible()) return 'static';
  const editable = await page.locator(`${sel(demo)} .cm-content`).getAttribute('contenteditable');
  return editable === 'true' ? 'editing' : 'read-only';
}

const editorHasFocus = (page: Page): Promise<boolean> => evaluate<boolean>(page, 'document.activeElement?.classList.contains("cm-content") ?? false');
const slideIndex = (page: Page): Promise<number> => evaluate<number>(page, 'window.Reveal.getIndices().h');
const storedKeys = (page: Page): Promise<string[]> => evaluate<string[]>(page, 'Object.keys(localStorage).filter((k) => k.startsWith("concurrency-deck:edit:")).sort()');
const button = (page: Page, demo: Demo, name: string) => page.locator(sel(demo)).getByRole('button', { name, exact: true });
const status = (page: Page, demo: Demo) => page.locator(`${sel(demo)} .demo-code-status`);

/** Clicks Edit and waits until the editor has the keys. */
async function startEditing(page: Page, demo: Demo): Promise<void> {
  await button(page, demo, 'Edit').click();
  await expect.poll(() => editorHasFocus(page)).toBe(true);
}

/** Replaces the whole code in the editor (as a paste: no auto-indent in between). */
async function replaceCode(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

beforeAll(async () => {
  await buildClient();
  root = await mkdtemp(path.join(tmpdir(), 'deck-live-'));
  await cp(path.join(fixtures, 'browser-deck'), root, { recursive: true });
  for (const part of ['slides', 'demos']) await cp(path.join(fixtures, 'live-coding', part), path.join(root, part), { recursive: true });
  tokenFile = freshTokenFile();
  server = await spawnServer({ root, tokenFile, args: ['--no-watch'] });
  browser = await launchBrowser();
  presenter = await openPage(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root !== '') await rm(root, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

describe('editing in the slide', () => {
  it('Edit turns the code into an editor that keeps the keys; Esc gives them back', async () => {
    const index = await goToSlideWith(presenter, sel(GREET_WORKER));
    expect(await pane(presenter, GREET_WORKER)).toBe('static');
    await startEditing(presenter, GREET_WORKER);
    expect(await pane(presenter, GREET_WORKER)).toBe('editing');
    // The region's own line numbers in the file.
    expect(await presenter.locator(`${sel(GREET_WORKER)} .cm-lineNumbers .cm-gutterElement`).allTextContents()).toContain('5');

    const pages = browser.context.pages().length;
    await presenter.keyboard.press('Control+End');
    await presenter.keyboard.type('\nconst keys = "');
    // Each of these drives reveal.js outside an editor: fullscreen, presenter screen, overview, pause, next.
    for (const key of ['f', 's', 'o', 'b', 'Space', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) await presenter.keyboard.press(key);
    await presenter.keyboard.type('";');
    expect(await editorText(presenter, GREET_WORKER)).toContain('const keys = "fsob ";');
    expect(await slideIndex(presenter)).toBe(index);
    expect(await evaluate<boolean>(presenter, 'window.Reveal.isOverview() || window.Reveal.isPaused()')).toBe(false);
    expect(browser.context.pages().length).toBe(pages);

    await presenter.setViewportSize({ width: 1280, height: 720 });
    await presenter.screenshot({ path: path.join(screenshotDir, 'live-coding-edit-1280.png') });
    await presenter.setViewportSize({ width: 1024, height: 768 });
    await presenter.screenshot({ path: path.join(screenshotDir, 'live-coding-edit-1024.png') });
    await presenter.setViewportSize({ width: 1280, height: 720 });

    // Esc leaves the editor and goes no further (reveal.js would open its overview).
    await presenter.keyboard.press('Escape');
    expect(await editorHasFocus(presenter)).toBe(false);
    expect(await evaluate<boolean>(presenter, 'window.Reveal.isOverview()')).toBe(false);
    expect(await pane(presenter, GREET_WORKER)).toBe('read-only');
    expect(await editorText(presenter, GREET_WORKER)).toContain('const keys = "fsob ";');
    // The deck has its keys back.
    await presenter.keyboard.press('ArrowRight');
    await expect.poll(() => slideIndex(presenter)).toBe(index + 1);
    await presenter.keyboard.press('ArrowLeft');
    await expect.poll(() => slideIndex(presenter)).toBe(index);

    // Run runs the edit in a real worker thread, its sibling import resolved as the file's.
    await presenter.keyboard.press('r');
    await waitForTerminalText(presenter, GREET_WORKER.target, /HELLO, WORLD![\s\S]*main thread: false[\s\S]*⏎ exit 0/);

    // A clicker is not for editing: PageDown leaves the editor and moves the deck.
    await startEditing(presenter, GREET_WORKER);
    await presenter.keyboard.press('PageDown');
    await expect.poll(() => slideIndex(presenter)).toBe(index + 1);
    expect(await pane(presenter, GREET_WORKER)).toBe('read-only');
    await goToSlideWith(presenter, sel(GREET_WORKER));
    await button(presenter, GREET_WORKER, 'Reset').click();
    expect(await pane(presenter, GREET_WORKER)).toBe('static');
  });

  it('`e` edits the slide\'s first demo; Run runs the edit; an audience page sees it as typed, read-only, without Run', async () => {
    await goToSlideWith(presenter, sel(GREET_PY));
    await presenter.keyboard.press('e');
    await expect.poll(() => editorHasFocus(presenter)).toBe(true);
    // The `e` that opened the editor is not in it.
    expect(await editorText(presenter, GREET_PY)).toBe('name = "world"\nprint(shout(f"hello, {name}"))');
    await replaceCode(presenter, 'name = "live coding"\nprint(shout(f"hello, {name}"))');
    await presenter.keyboard.press('Escape');
    await presenter.locator(sel(GREET_PY)).getByRole('button', { name: /^Run / }).click();
    await waitForTerminalText(presenter, GREET_PY.target, /HELLO, LIVE CODING![\s\S]*⏎ exit 0/);

    const audience = await openPage(server.audienceUrl);
    await expect.poll(() => slideIndex(audience)).toBe(await slideIndex(presenter));
    await expect.poll(() => editorText(audience, GREET_PY)).toBe('name = "live coding"\nprint(shout(f"hello, {name}"))');
    expect(await pane(audience, GREET_PY)).toBe('read-only');
    expect(await audience.locator(sel(GREET_PY)).getByRole('button').count()).toBe(0);
    await waitForTerminalText(audience, GREET_PY.target, 'HELLO, LIVE CODING!');

    // Typed on the presenter page, seen on the audience page as it is typed.
    await startEditing(presenter, GREET_PY);
    await presenter.keyboard.press('Control+End');
    await presenter.keyboard.type('\nprint("typed live")');
    await expect.poll(() => editorText(audience, GREET_PY)).toContain('print("typed live")');
    await presenter.keyboard.press('Escape');
    await audience.screenshot({ path: path.join(screenshotDir, 'live-coding-audience-1280.png') });
    await audience.close();
  });

  it('a reload keeps the edit, and Reset brings back the file\'s code and forgets it', async () => {
    expect(await storedKeys(presenter)).toEqual([expect.stringMatching(/^concurrency-deck:edit:python:live\/greet\.py#body:.+/)]);
    await presenter.reload();
    await waitFor(presenter, 'isReady', []);
    await goToSlideWith(presenter, sel(GREET_PY));
    await expect.poll(() => editorText(presenter, GREET_PY)).toContain('print("typed live")');
    expect(await pane(presenter, GREET_PY)).toBe('read-only');

    await button(presenter, GREET_PY, 'Reset').click();
    expect(await pane(presenter, GREET_PY)).toBe('static');
    expect(await storedKeys(presenter)).toEqual([]);
    await presenter.reload();
    await waitFor(presenter, 'isReady', []);
    await goToSlideWith(presenter, sel(GREET_PY));
    expect(await pane(presenter, GREET_PY)).toBe('static');
  });
});

describe('keeping an edit', () => {
  it('Save writes the edit into the file at its region; the rest of the file stays byte for byte', async () => {
    const before = await readFile(demoFile('squares.py'), 'utf8');
    await goToSlideWith(presenter, sel(SQUARES));
    await startEditing(presenter, SQUARES);
    await replaceCode(presenter, 'def work(n):\n    return n * n * n');
    await presenter.keyboard.press('Escape');
    await button(presenter, SQUARES, 'Save').click();
    await expect.poll(() => status(presenter, SQUARES).textContent()).toBe('saved');
    expect(await readFile(demoFile('squares.py'), 'utf8')).toBe(before.replace('    return n * n\n', '    return n * n * n\n'));
    expect(await storedKeys(presenter)).toEqual([]);
  });

  it('a save after the file changed elsewhere is refused, and the edit is kept', async () => {
    await goToSlideWith(presenter, sel(GREET_WORKER));
    await startEditing(presenter, GREET_WORKER);
    await replaceCode(presenter, "const name: string = 'edited';\nconsole.log(shout(`hello, ${name}`));");
    await presenter.keyboard.press('Escape');
    const outside = (await readFile(demoFile('greet.ts'), 'utf8')).replace('main thread', 'main thread (changed elsewhere)');
    await writeFile(demoFile('greet.ts'), outside);
    await button(presenter, GREET_WORKER, 'Save').click();
    await expect.poll(() => status(presenter, GREET_WORKER).textContent()).toMatch(/^not saved: /);
    expect(await status(presenter, GREET_WORKER).getAttribute('class')).toMatch(/is-error/);
    expect(await readFile(demoFile('greet.ts'), 'utf8')).toBe(outside);
    expect(await editorText(presenter, GREET_WORKER)).toContain("'edited'");
    expect(await storedKeys(presenter)).toEqual([expect.stringMatching(/^concurrency-deck:edit:worker:live\/greet\.ts#body:/)]);
    await button(presenter, GREET_WORKER, 'Reset').click();
  });
});

describe('a server restart', () => {
  it('loses no edit: the page tells the new server, which shows it to every screen and runs it', async () => {
    await goToSlideWith(presenter, sel(GREET_PY));
    await startEditing(presenter, GREET_PY);
    await replaceCode(presenter, 'name = "a restart"\nprint(shout(f"hello, {name}"))');
    await presenter.keyboard.press('Escape');
    const port = server.port;
    await server.stop();
    await waitFor(presenter, 'socketIsNot', ['open']);
    server = await spawnServer({ root, tokenFile, port, args: ['--no-watch'] });
    await waitFor(presenter, 'isReady', [], 30_000);
    expect(await editorText(presenter, GREET_PY)).toBe('name = "a restart"\nprint(shout(f"hello, {name}"))');
    // (A new server knows no position yet: the audience page is shown the slide here.)
    const audience = await openPage(server.audienceUrl);
    await goToSlideWith(audience, sel(GREET_PY));
    await expect.poll(() => editorText(audience, GREET_PY)).toBe('name = "a restart"\nprint(shout(f"hello, {name}"))');
    await audience.close();
    await presenter.locator(sel(GREET_PY)).getByRole('button', { name: /^Run / }).click();
    await waitForTerminalText(presenter, GREET_PY.target, /HELLO, A RESTART![\s\S]*⏎ exit 0/);
    await button(presenter, GREET_PY, 'Reset').click();
  });
});

describe('diagnostics', () => {
  it('a TypeScript syntax error shows at its line in the editor when Run checks the edit', async () => {
    await goToSlideWith(presenter, sel(GREET_PROCESS));
    await startEditing(presenter, GREET_PROCESS);
    await replaceCode(presenter, "const name: string = 'world';\nconst broken = ;\nconsole.log(name);");
    await presenter.keyboard.press('Escape');
    // Run checks the edit first: it does not start, and the error is marked at its line.
    await presenter.locator(sel(GREET_PROCESS)).getByRole('button', { name: /^Run / }).click();
    // The message wraps in the slide's 44-column terminal: its start names the shown line.
    await waitForTerminalText(presenter, GREET_PROCESS.target, /:6:\d+ \(line 2 of the/);
    const marked = presenter.locator(`${sel(GREET_PROCESS)} .cm-line`).nth(1).locator('.cm-lintRange-error');
    await expect.poll(() => marked.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await presenter.locator(`${sel(GREET_PROCESS)} .cm-line .cm-lintRange-error`).count()).toBe(1);
    expect(await presenter.locator(`${sel(GREET_PROCESS)} .cm-lint-marker-error`).count()).toBe(1);
    await presenter.screenshot({ path: path.join(screenshotDir, 'live-coding-diagnostic-1280.png') });
    expect(await status(presenter, GREET_PROCESS).textContent()).toMatch(/^line 6: /);
    // Fixed, it runs, and the marks go.
    await startEditing(presenter, GREET_PROCESS);
    await replaceCode(presenter, "const name: string = 'world';\nconsole.log(`fixed ${name}`);");
    await presenter.keyboard.press('Escape');
    await presenter.locator(sel(GREET_PROCESS)).getByRole('button', { name: /^Run / }).click();
    await waitForTerminalText(presenter, GREET_PROCESS.target, /fixed world[\s\S]*⏎ exit 0/);
    expect(await presenter.locator(`${sel(GREET_PROCESS)} .cm-lintRange-error`).count()).toBe(0);
    expect(await status(presenter, GREET_PROCESS).textContent()).toBe('');
    await button(presenter, GREET_PROCESS, 'Reset').click();
  });
});

describe('prepared typing', () => {
  it('`t` types the slide\'s target into the editor without a typo, again faster; Run runs it', async () => {
    await goToSlideWith(presenter, sel(TYPED));
    const target = 'print("before typing")\nprint("typed without a typo")';
    await presenter.keyboard.press('t');
    // It types at a speaker's pace: part of the new line first, with the lines it keeps untouched.
    await expect.poll(() => editorText(presenter, TYPED)).toMatch(/^print\("before typing"\)\np/);
    expect(await editorText(presenter, TYPED)).not.toBe(target);
    const audience = await openPage(server.audienceUrl);
    await presenter.bringToFront();
    await presenter.keyboard.press('t');
    await expect.poll(() => editorText(presenter, TYPED)).toBe(target);
    // Every screen saw it typed.
    await expect.poll(() => editorText(audience, TYPED)).toBe(target);
    // The keys stayed with the deck all along: `r` runs what was typed.
    expect(await editorHasFocus(presenter)).toBe(false);
    await presenter.keyboard.press('r');
    await waitForTerminalText(presenter, TYPED.target, /before typing\s+typed without a typo[\s\S]*⏎ exit 0/);
    // Nothing more to type.
    await presenter.keyboard.press('t');
    await expect.poll(() => status(presenter, TYPED).textContent()).toMatch(/all the prepared code is typed/);
    await audience.close();
  });
});

