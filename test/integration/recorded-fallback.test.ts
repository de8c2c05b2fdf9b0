/**
 * The recorded fallback on stage, through the real server: a demo that cannot run live (no
 * python3, a crash its slide does not expect) plays its recording instead, on every screen,
 * and says why; the speaker can ask for the recording; a Stop, a demo meant to fail and a
 * demo without a recording stay as they were.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startDeckServer, type DeckServer } from '../../server/app.ts';
import { projectRoot } from '../../server/config.ts';
import type { Recording } from '../../server/recordings/recording.ts';
import { readRecording } from '../../server/recordings/recording-store.ts';
import { fallbackReason } from '../../server/runs/fallback-reason.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts';

const fixture = path.join(projectRoot, 'test/fixtures/recorded-fallback');
let root = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'deck-recorded-fallback-'));
  await cp(fixture, root, { recursive: true });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

async function recordingOf(demo: string): Promise<Recording> {
  const recording = await readRecording(path.join(fixture, 'recordings'), 'python', demo);
  if (recording === null) throw new Error(`the fixture has no recording of ${demo}`);
  return recording;
}

const recordedOutput = (recording: Recording): string => recording.events.map((event) => event[2]).join('');

async function open(server: { origin: string }, token: string, autoAck = true): Promise<DeckSocket> {
  const socket = await DeckSocket.open(server.origin, token, { autoAck });
  onTestFinished(() => socket.close());
  await socket.waitFor('welcome');
  return socket;
}

/** The replay that follows the run `failed` of `demo`, as `socket` sees it. */
function replayAfter(socket: DeckSocket, demo: string, failed: string) {
  return socket.waitFor('starting', (m) => m.demo === demo && m.run !== failed && m.recording !== undefined);
}

describe('with python3 unavailable (DECK_PYTHON points nowhere in the server\'s env)', () => {
  let server: SpawnedServer;
  let audienceToken = '';

  beforeAll(async () => {
    server = await spawnServer({ root, args: ['--no-watch'], env: { DECK_PYTHON: '/nonexistent/python3' } });
    audienceToken = new URL(server.audienceUrl).searchParams.get('token') ?? '';
  });
  afterAll(() => server?.stop());

  it('a Python demo falls back to its recording and says so, on every screen', async () => {
    const recording = await recordingOf('count.py');
    const presenter = await open(server, server.token);
    const audience = await open(server, audienceToken, false);
    audience.watch('python:count.py');
    presenter.watch('python:count.py');

    const live = await presenter.run('python:count.py');
    const failed = await presenter.waitFor('exit', (m) => m.run === live);
    expect(failed).toMatchObject({ reason: 'error' });
    expect(failed.message).toMatch(/\/nonexistent\/python3/);

    const starting = await replayAfter(presenter, 'python:count.py', live);
    expect(starting.recording).toEqual({ recordedAt: recording.meta.recordedAt, reason: 'python3 is not available here' });
    expect(starting).toMatchObject({ cols: recording.meta.cols, rows: recording.meta.rows });
    const exit = await presenter.waitFor('exit', (m) => m.run === starting.run);
    expect(presenter.output(starting.run)).toBe(recordedOutput(recording));
    expect(exit).toMatchObject({ code: 0, signal: null, reason: 'exit', durationMs: recording.meta.end.durationMs });

    // The audience page saw the same replay, marked the same way.
    const seen = await audience.waitFor('starting', (m) => m.run === starting.run);
    expect(seen.recording).toEqual(starting.recording);
    await audience.waitFor('exit', (m) => m.run === starting.run);
    expect(audience.output(starting.run)).toBe(recordedOutput(recording));
  });

  it('a demo without a recording fails as before', async () => {
    const presenter = await open(server, server.token);
    const live = await presenter.run('python:unrecorded.py');
    const exit = await presenter.waitFor('exit', (m) => m.run === live);
    expect(exit).toMatchObject({ reason: 'error' });
    // A fallback looked for later (and found) has played to its end by now: none came for this one.
    const later = await presenter.run('python:count.py');
    const replay = await replayAfter(presenter, 'python:count.py', later);
    await presenter.waitFor('exit', (m) => m.run === replay.run);
    expect(presenter.messages.filter((m) => m.type === 'starting' && m.demo === 'python:unrecorded.py')).toHaveLength(1);
  });
});

describe('with python3 at hand', () => {
  let server: DeckServer;

  beforeAll(async () => {
    server = await startDeckServer({ root, port: 0, watch: false });
  });
  afterAll(() => server?.close());

  it('a crash its slide does not expect gives way to the recording', async () => {
    const recording = await recordingOf('crash.py');
    const presenter = await open(server, server.token);
    const live = await presenter.run('python:crash.py');
    const crashed = await presenter.waitFor('exit', (m) => m.run === live);
    expect(crashed).toMatchObject({ code: 1, reason: 'exit' });
    expect(presenter.output(live)).toMatch(/connecting…/);

    const starting = await replayAfter(presenter, 'python:crash.py', live);
    expect(starting.recording).toEqual({ recordedAt: recording.meta.recordedAt, reason: 'the live run crashed (exit 1)' });
    const exit = await presenter.waitFor('exit', (m) => m.run === starting.run);
    expect(presenter.output(starting.run)).toBe('connecting…\r\nconnected: 3 rows\r\n');
    expect(exit).toMatchObject({ code: 0, reason: 'exit' });
  });

  it('a Stop, and a demo meant to fail, do not fall back', async () => {
    const presenter = await open(server, server.token);
    const forever = await presenter.run('python:forever.py');
    await presenter.waitForOutput(forever, /tick 2/);
    presenter.send({ type: 'stop', run: forever });
    expect(await presenter.waitFor('exit', (m) => m.run === forever)).toMatchObject({ reason: 'stopped' });
    const fails = await presenter.run('python:fails.py');
    expect(await presenter.waitFor('exit', (m) => m.run === fails)).toMatchObject({ code: 1, reason: 'exit' });

    // A replay asked for after both has played to its end: no fallback of either came before it.
    presenter.watch('python:count.py');
    presenter.send({ type: 'run', demo: 'python:count.py', cols: 80, rows: 16, recording: true });
    const replay = await presenter.waitFor('starting', (m) => m.demo === 'python:count.py' && m.recording !== undefined);
    await presenter.waitFor('exit', (m) => m.run === replay.run);
    const startings = presenter.messages.filter((m) => m.type === 'starting' && (m.demo === 'python:forever.py' || m.demo === 'python:fails.py'));
    expect(startings).toHaveLength(2);
  });

  it('plays the recording when the speaker asks, to every screen, late joiners too', async () => {
    const recording = await recordingOf('count.py');
    const presenter = await open(server, server.token);
    const audience = await open(server, server.audienceToken, false);
    audience.watch('python:count.py');
    presenter.watch('python:count.py');
    presenter.send({ type: 'run', demo: 'python:count.py', cols: 120, rows: 40, recording: true });
    const starting = await presenter.waitFor('starting', (m) => m.demo === 'python:count.py' && m.recording !== undefined);
    expect(starting).toMatchObject({ cols: 80, rows: 16, recording: { recordedAt: recording.meta.recordedAt, reason: null } });
    expect((await presenter.waitFor('started', (m) => m.run === starting.run)).pid).toBeNull();
    await presenter.waitForOutput(starting.run, /count 1/);

    const late = await open(server, server.audienceToken, false);
    late.watch('python:count.py');
    const screen = await late.waitFor('screen', (m) => m.run === starting.run);
    expect(screen.recording).toEqual(starting.recording);

    const exit = await presenter.waitFor('exit', (m) => m.run === starting.run);
    expect(exit).toMatchObject({ code: 0, signal: null, reason: 'exit', durationMs: recording.meta.end.durationMs });
    expect(presenter.output(starting.run)).toBe(recordedOutput(recording));
    await audience.waitFor('exit', (m) => m.run === starting.run);
    expect(audience.output(starting.run)).toBe(recordedOutput(recording));

    // A Run later runs it live again.
    presenter.send({ type: 'run', demo: 'python:count.py', cols: 80, rows: 16 });
    const live = await presenter.waitFor('starting', (m) => m.demo === 'python:count.py' && m.run !== starting.run);
    expect(live).not.toHaveProperty('recording');
    expect(await presenter.waitFor('exit', (m) => m.run === live.run)).toMatchObject({ code: 0, reason: 'exit' });
    expect(presenter.output(live.run)).toMatch(/counted to three/);
  });

  it('a replay can be stopped like a run', async () => {
    const presenter = await open(server, server.token);
    presenter.watch('python:forever.py');
    presenter.send({ type: 'run', demo: 'python:forever.py', cols: 80, rows: 16, recording: true });
    const starting = await presenter.waitFor('starting', (m) => m.demo === 'python:forever.py' && m.recording !== undefined);
    await presenter.waitForOutput(starting.run, /tick 0/);
    presenter.send({ type: 'stop', run: starting.run });
    expect(await presenter.waitFor('exit', (m) => m.run === starting.run)).toMatchObject({ reason: 'stopped' });
    expect(presenter.output(starting.run)).not.toMatch(/tick 7/);
  });

  it('says so when a demo has no recording, and names the file of a broken one', async () => {
    const presenter = await open(server, server.token);
    presenter.watch('python:unrecorded.py', 'python:fails.py');
    presenter.send({ type: 'run', demo: 'python:unrecorded.py', cols: 80, rows: 16, recording: true });
    const missing = await presenter.waitFor('error', (m) => m.demo === 'python:unrecorded.py');
    expect(missing.message).toMatch(/unrecorded\.py has no recording.*npm run record/);

    const cast = path.join(root, 'recordings', 'fails.py.python.cast');
    await writeFile(cast, '{"version":2,"width":80,"height":16}\nnot json\n');
    presenter.send({ type: 'run', demo: 'python:fails.py', cols: 80, rows: 16, recording: true });
    const broken = await presenter.waitFor('error', (m) => m.demo === 'python:fails.py');
    expect(broken.message).toContain(cast);
    expect(broken.message).toMatch(/line 2: not JSON/);
  });

  it('refuses a recording flag that is not a boolean', async () => {
    const presenter = await open(server, server.token);
    presenter.send({ type: 'run', demo: 'python:count.py', cols: 80, rows: 16, recording: 'yes' });
    const refused = await presenter.waitFor('error', (m) => /recording/.test(m.message));
    expect(refused.message).toMatch(/invalid message: recording/);
  });
});

describe('fallbackReason', () => {
  const end = { durationMs: 10 };
  it('replaces a crash of an expect=ok demo, a run that could not start, nothing else', () => {
    const ok = { runtime: 'python', expect: 'ok' } as const;
    expect(fallbackReason(ok, { ...end, code: 1, signal: null, reason: 'exit' })).toBe('the live run crashed (exit 1)');
    expect(fallbackReason(ok, { ...end, code: null, signal: 'SIGSEGV', reason: 'exit' })).toBe('the live run crashed (SIGSEGV)');
    expect(fallbackReason(ok, { ...end, code: null, signal: null, reason: 'error', message: 'x.ts:1:1: ERROR: Expected ";"\nmore' })).toBe('the live run could not start: x.ts:1:1: ERROR: Expected ";"');
    expect(fallbackReason(ok, { ...end, code: 0, signal: null, reason: 'exit' })).toBeNull();
    for (const reason of ['stopped', 'timeout', 'output-limit', 'memory-limit', 'disconnected', 'shutdown'] as const) {
      expect(fallbackReason(ok, { ...end, code: null, signal: 'SIGTERM', reason })).toBeNull();
    }
    expect(fallbackReason({ runtime: 'python', expect: 'fail' }, { ...end, code: 1, signal: null, reason: 'exit' })).toBeNull();
  });
});
