/**
 * Run-to-first-output per runtime, through the real server (in this process, on a free
 * port, one WebSocket as the page opens it), against the bare cost of the same runtime
 * started by hand on the same tiny demo. Bare and deck samples alternate so a busy
 * machine slows both alike; compile time is kept out of both by warming the cache first.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { spawn as spawnPty } from 'node-pty';
import { startDeckServer } from '../server/app.ts';
import type { DeckConfig } from '../server/config.ts';
import type { RuntimeName } from '../server/runtimes.ts';
import { RUNTIMES } from '../server/runtimes.ts';
import { compileDemo } from '../server/runners/compile-demo.ts';
import { pythonName, resolvePython } from '../server/runners/python-interpreter.ts';
import { DeckSocket } from '../test/helpers/deck-socket.ts';
import { startRun } from './deck-runs.ts';
import { benchFixture, fixtureDemos, helloDemo } from './fixture-deck.ts';
import { median } from './stats.ts';

export interface LatencyOptions {
  readonly samples: number;
  readonly warmups: number;
  /** Server settings to try other than the defaults (e.g. `batchIntervalMs`). */
  readonly server?: Partial<DeckConfig>;
}

export interface LatencyResult {
  readonly runtime: RuntimeName;
  /** Milliseconds to the first output, warm-ups left out. */
  readonly bareMs: number[];
  readonly deckMs: number[];
  /** Deck: milliseconds to the `started` message (the runner has spawned; compile check and spawn are behind). */
  readonly deckStartedMs: number[];
  /** The same command started in a pty by hand (node-pty, as the deck does), for the pty runtimes. */
  readonly ptyMs: number[];
  readonly bareMedianMs: number;
  readonly deckMedianMs: number;
  readonly deckStartedMedianMs: number;
  readonly ptyMedianMs: number | null;
  /** deck median / bare median. */
  readonly ratio: number;
}

/** What the runtime costs with nothing of ours in between: start it, wait for its first stdout bytes. */
type BareStart = () => Promise<number>;

export async function measureLatency(options: LatencyOptions): Promise<LatencyResult[]> {
  const ts = path.join(fixtureDemos, helloDemo.worker);
  // The server's runners use the same default cache, so this compile serves both sides.
  const compiled = await compileDemo(ts);
  const pythonFile = path.join(fixtureDemos, helloDemo.python);
  // The interpreter itself, as the deck runs it: a version manager's shim would make bare Python look slow.
  const python = await resolvePython(pythonName());
  const bare: Record<RuntimeName, BareStart> = {
    worker: () => bareWorker(compiled),
    process: () => bareSpawn(process.execPath, [compiled]),
    python: () => bareSpawn(python, ['-u', pythonFile]),
  };
  // Not part of the ratio: tells how much of the deck's overhead is the pty itself.
  const inPty: Partial<Record<RuntimeName, BareStart>> = {
    process: () => barePty(process.execPath, [compiled]),
    python: () => barePty(python, ['-u', pythonFile]),
  };

  const server = await startDeckServer({ ...options.server, root: benchFixture, port: 0, watch: false });
  const socket = await DeckSocket.open(server.origin, server.token);
  // As a page on the slide does: it watches the demos it shows (only watchers hear of a run), then runs them.
  socket.watch(...RUNTIMES.map(helloKey));
  const results: LatencyResult[] = [];
  try {
    for (const runtime of RUNTIMES) {
      const bareMs: number[] = [];
      const deckMs: number[] = [];
      const deckStartedMs: number[] = [];
      const ptyMs: number[] = [];
      const pty = inPty[runtime];
      for (let i = 0; i < options.warmups + options.samples; i++) {
        const b = await bare[runtime]();
        const d = await deckFirstOutput(socket, runtime);
        // A runtime starts its next interpreter when a run ends; a speaker's next Run comes
        // seconds later, so it finds one waiting. Here the next samples wait for it too, so
        // that its boot is measured in neither the deck's next run nor the bare runtime's.
        await new Promise((resolve) => setTimeout(resolve, PRESENTER_PAUSE_MS));
        const p = pty ? await pty() : null;
        if (i >= options.warmups) {
          bareMs.push(b);
          deckMs.push(d.firstOutputMs);
          deckStartedMs.push(d.startedMs);
          if (p !== null) ptyMs.push(p);
        }
      }
      const bareMedianMs = median(bareMs);
      const deckMedianMs = median(deckMs);
      results.push({
        runtime,
        bareMs,
        deckMs,
        deckStartedMs,
        ptyMs,
        bareMedianMs,
        deckMedianMs,
        deckStartedMedianMs: median(deckStartedMs),
        ptyMedianMs: ptyMs.length > 0 ? median(ptyMs) : null,
        ratio: deckMedianMs / bareMedianMs,
      });
    }
  } finally {
    socket.close();
    await server.close();
  }
  return results;
}

/** Time between a deck run's end and the next sample: less than a speaker leaves between two Runs. */
const PRESENTER_PAUSE_MS = 1000;

/** The hello demo's key in the bench deck. */
const helloKey = (runtime: RuntimeName): string => `${runtime}:${helloDemo[runtime]}`;

/** A deck run that prints nothing, or never starts, fails the bench rather than hanging it. */
const DECK_RUN_TIMEOUT_MS = 20_000;

/**
 * Sends `run` (the demo is watched) and learns the server's id for it from `starting`; once
 * the run has exited, resolves with the times from sending `run` to `started` and to the
 * first `output`.
 */
async function deckFirstOutput(socket: DeckSocket, runtime: RuntimeName): Promise<{ startedMs: number; firstOutputMs: number }> {
  const t0 = performance.now();
  let startedMs = NaN;
  const run = await startRun(socket, helloKey(runtime), DECK_RUN_TIMEOUT_MS);
  const started = socket.waitFor('started', (m) => m.run === run, DECK_RUN_TIMEOUT_MS).then(() => {
    startedMs = performance.now() - t0;
  });
  await socket.waitForOutput(run, /[^]/, DECK_RUN_TIMEOUT_MS);
  const firstOutputMs = performance.now() - t0;
  const exit = await socket.waitFor('exit', (m) => m.run === run, DECK_RUN_TIMEOUT_MS);
  await started;
  if (exit.reason !== 'exit' || exit.code !== 0) throw new Error(`deck run of ${helloDemo[runtime]} (${runtime}) ended with ${JSON.stringify(exit)}`);
  return { startedMs, firstOutputMs };
}

function bareWorker(compiled: string): Promise<number> {
  const started = performance.now();
  // execArgv: [] because a worker inherits this process's `--import tsx` otherwise, which
  // the deck's worker runner does not load either; the bare cost would include tsx's.
  const worker = new Worker(compiled, { stdout: true, execArgv: [] });
  return firstDataThenExit(worker.stdout, new Promise((resolve) => worker.once('exit', resolve)), started, 'worker');
}

function bareSpawn(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<unknown>((resolve, reject) => {
    child.once('exit', resolve);
    child.once('error', reject);
  });
  return firstDataThenExit(child.stdout, exited, started, command);
}

function barePty(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const pty = spawnPty(command, args, { name: 'xterm-256color', cols: 80, rows: 24, cwd: fixtureDemos, env: stringEnv(), encoding: 'utf8' });
  return new Promise((resolve, reject) => {
    let first: number | null = null;
    const data = pty.onData(() => {
      first ??= performance.now() - started;
    });
    const exit = pty.onExit(() => {
      data.dispose();
      exit.dispose();
      if (first === null) reject(new Error(`bare pty ${command} printed nothing`));
      else resolve(first);
    });
  });
}

function stringEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function firstDataThenExit(stream: NodeJS.ReadableStream, exited: Promise<unknown>, started: number, what: string): Promise<number> {
  let first: number | null = null;
  stream.on('data', () => {
    first ??= performance.now() - started;
  });
  await Promise.all([exited, new Promise((resolve) => stream.once('end', resolve))]);
  if (first === null) throw new Error(`bare ${what} printed nothing`);
  return first;
}
