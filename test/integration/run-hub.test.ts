/**
 * Runs belong to the server: one run fans out to every page watching its demo, a page that
 * comes late draws the run's screen first, the audience follows without steering or slowing
 * anything, and the talk's position goes to every page. Real server, real processes.
 */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startDeckServer, type DeckServer } from '../../server/app.ts';
import { projectRoot } from '../../server/config.ts';
import type { RehearsalRecord } from '../../server/talk/rehearsal.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { childrenOf, waitUntilGone, workingDirectory } from '../helpers/process-table.ts';

const root = path.join(projectRoot, 'test/fixtures/server-deck');
const demosDir = path.join(root, 'demos');
/** Small, so that a stalled audience page falls behind well within a flood. */
const audienceMaxBacklog = 256 * 1024;
let server: DeckServer;
let slides: string[];

beforeAll(async () => {
  server = await startDeckServer({ root, port: 0, watch: false, audienceMaxBacklog });
  slides = await slideIdsOf(server);
});
afterAll(() => server.close());

/** The slide ids as the deck renders them (`<section id="…">`), in deck order. */
async function slideIdsOf(deckServer: DeckServer): Promise<string[]> {
  const { html } = (await (await fetch(`${deckServer.origin}/deck`)).json()) as { html: string };
  return [...html.matchAll(/<section id="([^"]+)"/g)].map((match) => match[1] ?? '');
}

async function presenter(on: DeckServer = server): Promise<DeckSocket> {
  const socket = await DeckSocket.open(on.origin, on.token);
  onTestFinished(() => socket.close());
  await socket.waitFor('welcome');
  return socket;
}

/** An audience page: it never acknowledges (it may not). */
async function audience(): Promise<DeckSocket> {
  const socket = await DeckSocket.open(server.origin, server.audienceToken, { autoAck: false });
  onTestFinished(() => socket.close());
  await socket.waitFor('welcome');
  return socket;
}

/**
 * Resolves once the server has handled everything `socket` sent so far: a socket's frames are
 * handled in order, so the answer to a frame that is not JSON comes after all of them.
 */
async function settled(socket: DeckSocket): Promise<void> {
  const before = new Set(socket.messages);
  socket.sendRaw('settled?');
  await socket.waitFor('error', (m) => !before.has(m) && /not JSON/.test(m.message));
}

/** This test process's children that run a demo of the fixture deck (a demo runs in its own folder; a waiting interpreter does not). */
function demoProcesses(): number[] {
  return childrenOf(process.pid).filter((pid) => workingDirectory(pid) === demosDir);
}

describe('one run, every page', () => {
  it('fans one run out to every presenter page watching its demo: one id, one process, the same output', async () => {
    const demo = 'python:forever.py';
    const first = await presenter();
    const second = await presenter();
    second.watch(demo);
    await settled(second);
    const id = await first.run(demo);
    const starting = await second.waitFor('starting', (m) => m.demo === demo);
    expect(starting.run).toBe(id);
    const [startedFirst, startedSecond] = await Promise.all([first.waitFor('started', (m) => m.run === id), second.waitFor('started', (m) => m.run === id)]);
    expect(startedSecond.pid).toBe(startedFirst.pid);
    await Promise.all([first.waitForOutput(id, /tick 3/), second.waitForOutput(id, /tick 3/)]);
    expect(demoProcesses()).toEqual([startedFirst.pid]);
    // Either page may stop it.
    second.send({ type: 'stop', run: id });
    const exits = await Promise.all([first.waitFor('exit', (m) => m.run === id), second.waitFor('exit', (m) => m.run === id)]);
    expect(exits.map((exit) => exit.reason)).toEqual(['stopped', 'stopped']);
    expect(second.output(id)).toBe(first.output(id));
    await waitUntilGone([startedFirst.pid ?? -1]);
  });

  it('refuses a second run of a demo while its run is going on', async () => {
    const demo = 'python:process_tree.py';
    const first = await presenter();
    const second = await presenter();
    const id = await first.run(demo);
    second.send({ type: 'run', demo, cols: 80, rows: 24 });
    expect((await second.waitFor('error', (m) => m.demo === demo)).message).toMatch(/already running/);
    first.send({ type: 'stop', run: id });
    await first.waitFor('exit', (m) => m.run === id);
    expect(second.messages.some((m) => m.type === 'starting')).toBe(false);
  });

  it('warns, on every screen of the run, when a timing-sensitive demo starts while another run is busy', async () => {
    const timed = 'worker:hello_worker.ts';
    const page = await presenter();
    const watcher = await presenter();
    watcher.watch(timed);
    const alone = await page.run(timed);
    expect((await page.waitFor('starting', (m) => m.run === alone)).warning).toBeUndefined();
    await page.waitFor('exit', (m) => m.run === alone);
    const busy = await page.run('python:forever.py');
    const crowded = await page.run(timed);
    const starting = await watcher.waitFor('starting', (m) => m.run === crowded);
    expect(starting.warning).toBe('python:forever.py is still running: timings may be off');
    await watcher.waitForOutput(crowded, /⚠ python:forever\.py is still running: timings may be off/);
    expect(page.output(alone)).not.toContain('⚠');
    page.send({ type: 'stop', run: busy });
    await page.waitFor('exit', (m) => m.run === busy);
  });

  it('gives a page that starts watching a live run its screen first, then the live stream; after the run, the final screen', async () => {
    const demo = 'python:echo_input.py';
    const runner = await presenter();
    const id = await runner.run(demo);
    await runner.waitForOutput(id, /name\? /);
    const late = await presenter();
    late.watch(demo);
    const screen = await late.waitFor('screen', (m) => m.demo === demo);
    expect(screen).toMatchObject({ run: id, end: null, cols: 100, rows: 30 });
    expect(screen.data).toContain('name? ');
    expect(late.output(id)).toBe('');
    runner.send({ type: 'input', run: id, data: 'Ada\r' });
    expect(await late.waitFor('exit', (m) => m.run === id)).toMatchObject({ code: 0, reason: 'exit' });
    expect(late.output(id)).toMatch(/hello, Ada!/);
    expect(late.output(id)).not.toContain('name? ');

    const after = await presenter();
    after.watch(demo);
    const final = await after.waitFor('screen', (m) => m.demo === demo);
    expect(final.run).toBe(id);
    expect(final.end).toMatchObject({ code: 0, reason: 'exit' });
    expect(final.data).toContain('name? ');
    expect(final.data).toMatch(/hello, Ada!/);
  });

  it('lets only the page that started a run size it, and tells every watcher', async () => {
    const demo = 'python:echo_input.py';
    const runner = await presenter();
    const other = await presenter();
    other.watch(demo);
    await settled(other);
    const id = await runner.run(demo);
    other.send({ type: 'resize', run: id, cols: 40, rows: 10 });
    await settled(other);
    runner.send({ type: 'resize', run: id, cols: 60, rows: 12 });
    expect(await other.waitFor('resized', (m) => m.run === id)).toMatchObject({ cols: 60, rows: 12 });
    expect(other.messages.filter((m) => m.type === 'resized')).toHaveLength(1);
    runner.send({ type: 'stop', run: id });
    await runner.waitFor('exit', (m) => m.run === id);
  });
});

describe('the audience', () => {
  it('follows a run it watches: starting, output, exit', async () => {
    const demo = 'process:hello_process.ts';
    const follower = await audience();
    follower.watch(demo);
    await settled(follower);
    const speaker = await presenter();
    const id = await speaker.run(demo);
    expect((await follower.waitFor('starting', (m) => m.demo === demo)).run).toBe(id);
    expect(await follower.waitFor('exit', (m) => m.run === id)).toMatchObject({ code: 5, reason: 'exit' });
    expect(follower.output(id)).toMatch(/hello from process \d+/);
    expect(follower.output(id)).toBe(speaker.output(id));
  });

  it('is refused run, stop, input, resize, goto and ack, each with an error, and starts nothing', async () => {
    const demo = 'python:forever.py~2';
    const speaker = await presenter();
    speaker.watch(demo);
    await settled(speaker);
    const follower = await audience();
    const welcome = await follower.waitFor('welcome');
    expect(welcome).toMatchObject({ role: 'audience', pacing: null });
    follower.watch(demo);
    const refused = [
      { type: 'run', demo, cols: 80, rows: 24 },
      { type: 'stop', run: 'any' },
      { type: 'input', run: 'any', data: 'rm -rf /\r' },
      { type: 'resize', run: 'any', cols: 80, rows: 24 },
      { type: 'goto', slide: slides[1] ?? '', fragment: 0 },
      { type: 'ack', run: 'any', bytes: 1 },
    ] as const;
    for (const message of refused) follower.send(message);
    await settled(follower);
    const errors = follower.messages.filter((m) => m.type === 'error' && !/not JSON/.test(m.message));
    expect(errors.map((e) => (e.type === 'error' ? e.message : ''))).toEqual(refused.map((m) => expect.stringMatching(new RegExp(`an audience page cannot ${m.type}`))));
    await settled(speaker);
    for (const socket of [follower, speaker]) expect(socket.messages.some((m) => m.type === 'starting' || m.type === 'position')).toBe(false);
    expect(demoProcesses()).toEqual([]);
  });

  it('never slows a run: a stalled audience page falls behind, and once it reads again gets a fresh screen instead of the backlog', async () => {
    const demo = 'python:flood.py';
    const follower = await audience();
    follower.watch(demo);
    await settled(follower);
    const speaker = await presenter();
    const id = await speaker.run(demo);
    await follower.waitFor('starting', (m) => m.run === id);
    // The audience page stops reading its socket: what the server sends piles up in front of it.
    const stalled = (follower.ws as unknown as { _socket: Socket })._socket;
    stalled.pause();
    const exit = await speaker.waitFor('exit', (m) => m.run === id, 60_000);
    expect(exit).toMatchObject({ code: 0, reason: 'exit' });
    expect(speaker.output(id)).toMatch(/flood done\r?\n$/);
    const flood = speaker.output(id).length;
    expect(flood).toBeGreaterThan(50 * 1024 * 1024);
    // The run is over while the audience page still reads nothing.
    expect(follower.messages.some((m) => m.type === 'exit')).toBe(false);
    stalled.resume();
    // Once it reads again it learns the run's end: from a final screen, or from the exit after a fresh screen.
    await follower.until(() => (follower.messages.some((m) => (m.type === 'exit' && m.run === id) || (m.type === 'screen' && m.run === id && m.end !== null)) ? true : undefined), 'the end of the run', 60_000);
    const screens = follower.messages.filter((m) => m.type === 'screen' && m.run === id);
    expect(screens.length).toBeGreaterThan(0);
    const shown = screens.some((m) => m.type === 'screen' && m.data.includes('flood done')) || follower.output(id).includes('flood done');
    expect(shown).toBe(true);
    const received = follower.output(id).length;
    expect(received, `the audience page received ${(received / 1024 / 1024).toFixed(1)} MB of ${(flood / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(flood / 2);
  });
});

describe('the talk position', () => {
  it('broadcasts a presenter’s goto as position to every other page, audience too; a new page is welcomed with it; a repeat is not sent again', async () => {
    const [slide = '', other = ''] = [slides[3], slides[4]];
    const speaker = await presenter();
    const second = await presenter();
    const follower = await audience();
    speaker.send({ type: 'goto', slide, fragment: 0 });
    for (const socket of [second, follower]) expect(await socket.waitFor('position', (m) => m.slide === slide)).toMatchObject({ slide, fragment: 0 });
    const late = await audience();
    expect((await late.waitFor('welcome')).position).toEqual({ slide, fragment: 0 });
    // The same position again, then a step: the step arrives, the repeat never did.
    speaker.send({ type: 'goto', slide, fragment: 0 });
    speaker.send({ type: 'goto', slide, fragment: 1 });
    for (const socket of [second, follower, late]) await socket.waitFor('position', (m) => m.slide === slide && m.fragment === 1);
    const positions = (socket: DeckSocket): string[] => socket.messages.flatMap((m) => (m.type === 'position' ? [`${m.slide}#${m.fragment}`] : []));
    for (const socket of [second, follower]) expect(positions(socket)).toEqual([`${slide}#0`, `${slide}#1`]);
    expect(positions(late)).toEqual([`${slide}#1`]);
    // The page that moved is never told where it went: an echo after its next step would pull it back.
    expect(positions(speaker)).toEqual([]);
    speaker.send({ type: 'goto', slide: other, fragment: 0 });
    await follower.waitFor('position', (m) => m.slide === other);
    // Presenter pages get the pacing with each move; audience pages never do.
    expect(second.messages.some((m) => m.type === 'pacing')).toBe(true);
    expect(follower.messages.some((m) => m.type === 'pacing')).toBe(false);
  });

  it('carries the variant each group of the slide shows: a switch alone moves every other page, and a late page is welcomed with it', async () => {
    const slide = slides[2] ?? '';
    const speaker = await presenter();
    const follower = await audience();
    speaker.send({ type: 'goto', slide, fragment: 0 });
    await follower.waitFor('position', (m) => m.slide === slide && m.variants === undefined);
    speaker.send({ type: 'goto', slide, fragment: 0, variants: [1] });
    expect(await follower.waitFor('position', (m) => m.slide === slide && m.variants !== undefined)).toMatchObject({ slide, fragment: 0, variants: [1] });
    const late = await audience();
    expect((await late.waitFor('welcome')).position).toEqual({ slide, fragment: 0, variants: [1] });
    // A variant index past what a page may watch is refused.
    speaker.send({ type: 'goto', slide, fragment: 0, variants: [1000] });
    expect((await speaker.waitFor('error')).message).toMatch(/variants/);
  });
});

describe('rehearsal', () => {
  it('records the time on each slide shown and the runs, and writes it to the rehearsals folder', async () => {
    const rehearsalsDir = await mkdtemp(path.join(tmpdir(), 'deck-rehearsals-'));
    const rehearsing = await startDeckServer({ root, port: 0, watch: false, rehearse: true, rehearsalsDir });
    onTestFinished(() => rehearsing.close());
    const [first = '', second = ''] = await slideIdsOf(rehearsing);
    const speaker = await presenter(rehearsing);
    expect((await speaker.waitFor('welcome')).pacing).toMatchObject({ rehearsing: true, elapsedMs: null });
    // A run on each slide: the talk spends time there, measured by the run's own events.
    speaker.send({ type: 'goto', slide: first, fragment: 0 });
    const one = await speaker.run('python:exit_code.py');
    await speaker.waitFor('exit', (m) => m.run === one);
    speaker.send({ type: 'goto', slide: second, fragment: 0 });
    const two = await speaker.run('worker:hello_worker.ts');
    await speaker.waitFor('exit', (m) => m.run === two);

    const saved = await rehearsing.saveRehearsal();
    expect(saved).not.toBeNull();
    expect(path.dirname(saved?.file ?? '')).toBe(rehearsalsDir);
    expect(await readdir(rehearsalsDir)).toEqual([path.basename(saved?.file ?? '')]);
    const record = JSON.parse(await readFile(saved?.file ?? '', 'utf8')) as RehearsalRecord;
    const spent = new Map(record.sections.flatMap((section) => section.slides.map((s) => [s.id, s.ms] as const)));
    expect(spent.get(first)).toBeGreaterThan(0);
    expect(spent.get(second)).toBeGreaterThan(0);
    expect(record.totalMs).toBeGreaterThanOrEqual((spent.get(first) ?? 0) + (spent.get(second) ?? 0));
    expect(record.runs.map((run) => [run.demo, run.reason])).toEqual([
      ['python:exit_code.py', 'exit'],
      ['worker:hello_worker.ts', 'exit'],
    ]);
    expect(saved?.report).toMatch(/Server fixture/);
    // Saved once: the rehearsal is over.
    expect(await rehearsing.saveRehearsal()).toBeNull();
  });

  it('is started and ended from a presenter page; every presenter page is told where it went', async () => {
    const rehearsalsDir = await mkdtemp(path.join(tmpdir(), 'deck-rehearsals-'));
    const deck = await startDeckServer({ root, port: 0, watch: false, rehearsalsDir });
    onTestFinished(() => deck.close());
    const [first = ''] = await slideIdsOf(deck);
    const speaker = await presenter(deck);
    const screen = await presenter(deck);
    speaker.send({ type: 'rehearsal', action: 'end' });
    expect((await speaker.waitFor('error')).message).toMatch(/no rehearsal is being recorded/);
    speaker.send({ type: 'goto', slide: first, fragment: 0 });
    speaker.send({ type: 'rehearsal', action: 'start' });
    await screen.waitFor('pacing', (m) => m.rehearsing);
    const run = await speaker.run('python:exit_code.py');
    await speaker.waitFor('exit', (m) => m.run === run);
    speaker.send({ type: 'rehearsal', action: 'end' });
    const [saved, seen] = await Promise.all([speaker.waitFor('rehearsal-saved'), screen.waitFor('rehearsal-saved')]);
    expect(seen).toEqual(saved);
    expect(await readdir(rehearsalsDir)).toEqual([path.basename(saved.file)]);
    const record = JSON.parse(await readFile(saved.file, 'utf8')) as RehearsalRecord;
    expect(record.sections.flatMap((section) => section.slides).find((s) => s.id === first)?.ms).toBeGreaterThan(0);
    // The pacing that says the rehearsal is over came first.
    expect(screen.messages.filter((m) => m.type === 'pacing').at(-1)).toMatchObject({ rehearsing: false });
  });
});
