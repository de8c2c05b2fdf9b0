import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startDeckServer, type DeckServer } from '../../server/app.ts';
import { defaultConfig } from '../../server/config.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { bytesWrittenBy, memoryOf, openFileDescriptors, processState, waitUntilGone } from '../helpers/process-table.ts';
import { projectRoot } from '../../server/config.ts';
import { spawnServer } from '../helpers/spawn-server.ts';

const root = path.join(projectRoot, 'test/fixtures/server-deck');
let server: DeckServer;

beforeAll(async () => {
  server = await startDeckServer({ root, port: 0, watch: false });
});
afterAll(() => server.close());

const open = (autoAck = true): Promise<DeckSocket> => DeckSocket.open(server.origin, server.token, { autoAck });

/** Asks to run the fixture deck's demo with this key (`runtime:path`, `~2` for its second slide), without waiting for an answer. */
function requestRun(socket: DeckSocket, key: string): void {
  socket.send({ type: 'run', demo: key, cols: 100, rows: 30 });
}

/** The pids a process-tree demo printed: its own and its children's. */
async function treePids(socket: DeckSocket, id: string): Promise<number[]> {
  await socket.waitForOutput(id, /(child \d+[\s\S]*){2}/);
  return [...socket.output(id).matchAll(/(?:parent|child) (\d+)/g)].map((m) => Number(m[1]));
}

describe('each runtime streams output and reports its exit code', () => {
  it.each([
    ['python', 'exit_code.py', /hello from python 3/, 3],
    ['worker', 'hello_worker.ts', /hello from worker thread \d+ \(main thread: false\)/, 4],
    ['process', 'hello_process.ts', /hello from process \d+/, 5],
  ] as const)('%s: %s', async (runtime, demo, pattern, code) => {
    const socket = await open();
    const id = await socket.run(`${runtime}:${demo}`);
    const started = await socket.waitFor('started', (m) => m.run === id);
    // Every runtime is a process of its own now, the worker runtime too (its host).
    expect(started.pid).toEqual(expect.any(Number));
    const exit = await socket.waitFor('exit', (m) => m.run === id);
    expect(socket.output(id)).toMatch(pattern);
    expect(exit).toMatchObject({ code, signal: null, reason: 'exit' });
    expect(exit.durationMs).toBeGreaterThan(0);
    socket.close();
  });

  it('runs several demos at once on one socket, each to its own terminal', async () => {
    const socket = await open();
    const ids = await Promise.all(['python:exit_code.py', 'worker:hello_worker.ts', 'process:hello_process.ts'].map((key) => socket.run(key)));
    expect(new Set(ids).size).toBe(3);
    const exits = await Promise.all(ids.map((id) => socket.waitFor('exit', (m) => m.run === id)));
    expect(exits.map((e) => e.code)).toEqual([3, 4, 5]);
    expect(socket.output(ids[0] ?? '')).not.toMatch(/worker|process/);
    socket.close();
  });

  it('passes keyboard input through the pty to input()', async () => {
    const socket = await open();
    const id = await socket.run('python:echo_input.py');
    await socket.waitForOutput(id, /name\? /);
    socket.send({ type: 'input', run: id, data: 'Ada\r' });
    await socket.waitFor('exit', (m) => m.run === id);
    expect(socket.output(id)).toMatch(/hello, Ada!/);
    socket.close();
  });

  it('says plainly when python3 is missing', async () => {
    const saved = process.env.DECK_PYTHON;
    process.env.DECK_PYTHON = 'python3-that-does-not-exist';
    try {
      const socket = await open();
      const id = await socket.run('python:exit_code.py');
      const exit = await socket.waitFor('exit', (m) => m.run === id);
      expect(exit.reason).toBe('error');
      expect(exit.message).toMatch(/python3-that-does-not-exist was not found/);
      socket.close();
    } finally {
      if (saved === undefined) delete process.env.DECK_PYTHON;
      else process.env.DECK_PYTHON = saved;
    }
  });
});

describe('stopping', () => {
  it('Stop kills the whole process tree, grandchildren included', async () => {
    const socket = await open();
    const id = await socket.run('python:process_tree.py');
    const pids = await treePids(socket, id);
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(processState(pid)).not.toBeNull();
    socket.send({ type: 'stop', run: id });
    const exit = await socket.waitFor('exit', (m) => m.run === id);
    expect(exit.reason).toBe('stopped');
    expect(exit.durationMs).toBeLessThan(5000);
    await waitUntilGone(pids);
    socket.close();
  });

  it('a time limit stops a run with a clear message', async () => {
    const socket = await open();
    const id = await socket.run('python:forever.py~2');
    const exit = await socket.waitFor('exit', (m) => m.run === id);
    expect(exit.reason).toBe('timeout');
    expect(exit.message).toBe('time limit of 0.7 s reached');
    expect(socket.output(id)).toMatch(/tick 2/);
    socket.close();
  });

  it('an output limit stops a run and nothing past the limit is sent', async () => {
    const socket = await open();
    const id = await socket.run('python:flood.py~2');
    const exit = await socket.waitFor('exit', (m) => m.run === id);
    expect(exit.reason).toBe('output-limit');
    expect(exit.message).toBe('output limit of 97.7 kB reached');
    expect(socket.output(id).length).toBe(100_000);
    socket.close();
  });

  it('runs go on when their page reloads, and end as disconnected once no presenter page is left for the grace period', async () => {
    const graceful = await startDeckServer({ root, port: 0, watch: false, orphanGraceMs: 300 });
    onTestFinished(() => graceful.close());
    const first = await DeckSocket.open(graceful.origin, graceful.token);
    const tree = await first.run('python:process_tree.py');
    const ticks = await first.run('python:forever.py');
    const pids = await treePids(first, tree);
    // An audience page follows both runs, and sees how they end.
    const audience = await DeckSocket.open(graceful.origin, graceful.audienceToken);
    audience.watch('python:process_tree.py', 'python:forever.py');
    await audience.waitFor('screen', (m) => m.run === ticks);
    // A reload: the page's socket closes, and the page comes back with a new one.
    first.close();
    await first.closed();
    const reloaded = await DeckSocket.open(graceful.origin, graceful.token);
    reloaded.watch('python:process_tree.py', 'python:forever.py');
    const screen = await reloaded.waitFor('screen', (m) => m.run === ticks);
    expect(screen.end).toBeNull();
    // Ten more ticks (0.5 s) outlast the grace period: the runs went on.
    await reloaded.waitForOutput(ticks, /(tick \d+[\s\S]*){10}/);
    for (const pid of pids) expect(processState(pid)).not.toBeNull();
    expect(reloaded.messages.some((m) => m.type === 'exit')).toBe(false);
    // The last presenter page leaves: after the grace period, every run ends.
    reloaded.close();
    const exits = await Promise.all([tree, ticks].map((id) => audience.waitFor('exit', (m) => m.run === id)));
    expect(exits.map((e) => e.reason)).toEqual(['disconnected', 'disconnected']);
    await waitUntilGone(pids);
    audience.close();
  });

  it('stopping the server kills every run', async () => {
    const spawned = await spawnServer({ root, args: ['--no-watch'] });
    onTestFinished(() => spawned.stop().then(() => undefined));
    const socket = await DeckSocket.open(spawned.origin, spawned.token);
    const tree = await socket.run('python:process_tree.py');
    const ticks = await socket.run('python:forever.py');
    const pids = await treePids(socket, tree);
    const { pid } = await socket.waitFor('started', (m) => m.run === ticks);
    expect(await spawned.stop()).toBe(0);
    await waitUntilGone([...pids, pid ?? -1, spawned.pid]);
  });

  it('leaves no file descriptor behind after many runs', async () => {
    const socket = await open();
    const before = openFileDescriptors();
    for (let i = 0; i < 8; i++) {
      const id = await socket.run(i % 2 ? 'python:exit_code.py' : 'process:hello_process.ts');
      await socket.waitFor('exit', (m) => m.run === id);
    }
    const id = await socket.run('python:forever.py');
    await socket.waitForOutput(id, /tick 1/);
    socket.send({ type: 'stop', run: id });
    await socket.waitFor('exit', (m) => m.run === id);
    expect(openFileDescriptors()).toBe(before);
    socket.close();
  });
});

describe('a page cannot steer a run', () => {
  it('a stop sent as soon as the run is accepted ends it, even while it is still starting', async () => {
    const socket = await open();
    // `starting` comes before the runner has started the process: the stop may well be handled before `started`.
    const id = await socket.run('python:forever.py');
    socket.send({ type: 'stop', run: id });
    const exit = await socket.waitFor('exit', (m) => m.run === id);
    expect(exit.reason).toBe('stopped');
    expect(socket.messages.filter((m) => m.type === 'error')).toEqual([]);
    socket.close();
  });

  it('caps the runs of one page and of the whole server', async () => {
    const small = await startDeckServer({ root, port: 0, watch: false, maxRunsPerPage: 2, maxRuns: 3 });
    onTestFinished(() => small.close());
    const first = await DeckSocket.open(small.origin, small.token);
    const second = await DeckSocket.open(small.origin, small.token);
    // A demo runs once at a time, so each of these is a demo of its own that runs until stopped.
    const ticks = await first.run('python:forever.py');
    await first.run('python:process_tree.py');
    requestRun(first, 'python:echo_input.py');
    expect((await first.waitFor('error', (m) => m.demo === 'python:echo_input.py')).message).toMatch(/a page may have 2 at once/);
    await second.run('python:echo_input.py');
    requestRun(second, 'python:exit_code.py');
    expect((await second.waitFor('error', (m) => m.demo === 'python:exit_code.py')).message).toMatch(/the server runs at most 3 at once/);
    await first.waitForOutput(ticks, /tick 1/);
    first.send({ type: 'stop', run: ticks });
    await first.waitFor('exit', (m) => m.run === ticks);
    const again = await second.run('python:forever.py');
    await second.waitForOutput(again, /tick 1/);
    expect(first.messages.some((m) => m.type === 'starting' && m.demo === 'python:echo_input.py')).toBe(false);
    first.close();
    second.close();
  });

  it('a page that acknowledges output it never reads does not make output pile up in the server', async () => {
    const spawned = await spawnServer({ root, args: ['--no-watch'] });
    onTestFinished(() => spawned.stop().then(() => undefined));
    const socket = await DeckSocket.open(spawned.origin, spawned.token, { autoAck: false });
    const liar = await socket.run('python:flood.py');
    const { pid } = await socket.waitFor('started', (m) => m.run === liar);
    const baseline = memoryOf(spawned.pid).peak;
    // Stop reading the socket, and claim to have drawn everything, again and again.
    (socket.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 40; i++) {
      socket.acknowledge(liar, Number.MAX_SAFE_INTEGER);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Unpaused, the demo writes its 50 MB within these 2 s; paused, it is held to what fits the socket's buffers.
    const written = bytesWrittenBy(pid ?? -1);
    const growth = memoryOf(spawned.pid).peak - baseline;
    expect(written, `the demo wrote ${(written / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(10 * 1024 * 1024);
    expect(growth, `server peak RSS growth ${(growth / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(48 * 1024 * 1024);
    socket.ws.terminate();
  });
});

describe('flow control', () => {
  it.each([
    ['python', 'flood.py', 'flood done', 50 * 1024 * 1024 - ((50 * 1024 * 1024) % 100_000)],
    ['worker', 'flood_worker.ts', 'worker flood done', 50_000_000],
  ] as const)('holds back a flooding %s demo while the page does not acknowledge, and completes once it does', async (runtime, demo, last, floodBytes) => {
    const socket = await open(false);
    const flood = await socket.run(`${runtime}:${demo}`);
    await socket.waitForOutput(flood, new RegExp(`^[\\s\\S]{${defaultConfig.highWatermark},}`));
    // Give an unpaused run room to race ahead, then check it did not.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const received = socket.output(flood).length;
    expect(received).toBeLessThan(defaultConfig.highWatermark + defaultConfig.maxBatchBytes + 256 * 1024);
    socket.acknowledge(flood, received);
    let acked = received;
    socket.ws.on('message', () => {
      const total = socket.output(flood).length;
      if (total > acked) socket.acknowledge(flood, total - acked);
      acked = total;
    });
    const exit = await socket.waitFor('exit', (m) => m.run === flood, 60_000);
    expect(exit.code).toBe(0);
    const text = socket.output(flood).replace(/\r/g, '');
    expect(text.endsWith(`${last}\n`)).toBe(true);
    expect(text.length).toBe(floodBytes + last.length + 1);
    socket.close();
  });

  it('streams 50 MB from a pty and from a worker while the server grows by less than 64 MB', async () => {
    const spawned = await spawnServer({ root, args: ['--no-watch'] });
    onTestFinished(() => spawned.stop().then(() => undefined));
    const socket = await DeckSocket.open(spawned.origin, spawned.token);
    const warm = await socket.run('worker:hello_worker.ts');
    await socket.waitFor('exit', (m) => m.run === warm);
    const baseline = memoryOf(spawned.pid).peak;
    const pty = await socket.run('python:flood.py');
    const wrk = await socket.run('worker:flood_worker.ts');
    const exits = await Promise.all([socket.waitFor('exit', (m) => m.run === pty, 60_000), socket.waitFor('exit', (m) => m.run === wrk, 60_000)]);
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    expect(socket.output(wrk)).toMatch(/worker flood done/);
    expect(socket.output(pty).length).toBeGreaterThan(50 * 1024 * 1024);
    const growth = memoryOf(spawned.pid).peak - baseline;
    console.log(`server peak RSS growth while streaming 2 × 50 MB: ${(growth / 1024 / 1024).toFixed(1)} MB`);
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    socket.close();
  });
});
