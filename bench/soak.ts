/**
 * `--soak`: many demos back to back through the real server entry (a child process), in
 * every runtime and every way a run ends: by itself, stopped mid-run (a busy tree with
 * grandchildren), on its time limit and on its output limit. Then what the server kept:
 * processes (demo processes that outlived their run, extra processes under the server),
 * file descriptors and resident memory, each after a settle against before the soak (after
 * a warm-up round, so spare interpreters and caches the server keeps are in both).
 */
import os from 'node:os';
import type { ExitReason } from '../server/run-outcome.ts';
import type { RuntimeName } from '../server/runtimes.ts';
import { RUNTIME_DESCRIPTORS, RUNTIMES } from '../server/runtimes.ts';
import { DeckSocket } from '../test/helpers/deck-socket.ts';
import { memoryOf } from '../test/helpers/process-table.ts';
import { spawnServer } from '../test/helpers/spawn-server.ts';
import { liveRunOf, outputOrExit, startRun } from './deck-runs.ts';
import { benchFixture, helloDemo } from './fixture-deck.ts';
import { descendantsOf, descriptorCount, describeProcess, identify, isAlive, killIfAlive, Leftovers, waitUntilGone } from './process-watch.ts';
import type { ProcessId } from './process-watch.ts';
import { median } from './stats.ts';
import { busyTree, REAP_SETTLE_MS, stopBusyTree, SURVIVOR_GRACE_MS } from './stop-latency.ts';

export interface SoakOptions {
  readonly runs: number;
  /** Starts no new run past this; the result says how many ran. */
  readonly maxMinutes: number;
  /** Told after every 100th run. */
  readonly onProgress?: (line: string) => void;
}

export interface SoakResult {
  readonly planned: number;
  readonly completed: number;
  readonly seconds: number;
  /** How the runs of each kind ended, e.g. `{ "python ticker.py": { "timeout": 83 } }`. */
  readonly endings: Record<string, Partial<Record<ExitReason, number>>>;
  /** Runs that ended otherwise than their kind does. */
  readonly unplannedCount: number;
  /** The first few of them, described. */
  readonly unplanned: string[];
  /** Milliseconds from `stop` to `exit` of the stopped busy trees, per runtime. */
  readonly stop: Record<string, { medianMs: number; maxMs: number }>;
  /** Demo processes still running a second after their run's `exit` (then killed), or still in the process table after the settle. */
  readonly leftovers: string[];
  /** Processes under the server, zombies included, after the warm-up and after the soak. */
  readonly serverProcessesBefore: string[];
  readonly serverProcessesAfter: string[];
  /** Processes left: the leftovers, plus processes under the server beyond those before (leftovers not counted twice). */
  readonly processesLeft: number;
  readonly descriptorsBefore: number;
  readonly descriptorsAfter: number;
  /** Server VmRSS after the warm-up and after the soak, each after a settle; VmHWM at the end. Bytes. */
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly peakAfter: number;
  readonly loadavgAtEnd: number[];
}

interface SoakKind {
  readonly runtime: RuntimeName;
  /** The demo's key in the bench deck. */
  readonly demo: string;
  /** How a run of it ends. */
  readonly ending: 'exit' | 'stopped' | 'timeout' | 'output-limit';
}

/** The fixture's demos of a runtime end in its usual extension (`ticker.py`, `ticker.ts`). */
const extension = (runtime: RuntimeName): string => RUNTIME_DESCRIPTORS[runtime].extensions[0].slice(1);

/**
 * Ending outside, runtime inside, so consecutive runs change runtime. Twelve demos in turn,
 * each run awaited to its `exit`: the server runs a demo once at a time, and a demo's next
 * run comes eleven runs after its last one ended.
 */
const KINDS: readonly SoakKind[] = (['exit', 'stopped', 'timeout', 'output-limit'] as const).flatMap((ending) =>
  RUNTIMES.map((runtime): SoakKind => {
    const demo = {
      exit: `${runtime}:${helloDemo[runtime]}`,
      stopped: busyTree[runtime],
      timeout: `${runtime}:ticker.${extension(runtime)}`,
      'output-limit': `${runtime}:endless_output.${extension(runtime)}`,
    }[ending];
    return { runtime, demo, ending };
  }),
);

/** A page reloads now and then: a fresh socket (and server session) every this many runs. */
const RUNS_PER_SOCKET = 100;
/** Every demo the soak runs, which each of its sockets watches (only watchers hear of a run). */
const SOAK_DEMOS = [...new Set(KINDS.map((kind) => kind.demo))];
const RUN_TIMEOUT_MS = 60_000;
/** Quiet time before each snapshot of the server, for its timers and garbage collector. */
const SNAPSHOT_SETTLE_MS = 3000;
const UNPLANNED_SHOWN = 10;
/** Runs that could not be carried out (no output, no exit) before the soak gives up. */
const MAX_FAILURES = 10;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const server = await spawnServer({ root: benchFixture, args: ['--no-watch'] });
  const leftovers = new Leftovers();
  const tracked: ProcessId[] = [];
  const survivorChecks: Promise<void>[] = [];
  /** Checks, a grace after `exit`, that no process of the run still runs; kills and records any that does. */
  const watchRun = (processes: readonly ProcessId[]): void => {
    tracked.push(...processes);
    survivorChecks.push(
      sleep(SURVIVOR_GRACE_MS).then(() => {
        const survivors = processes.filter(isAlive);
        leftovers.add(survivors);
        survivors.forEach(killIfAlive);
      }),
    );
  };
  const endings: Record<string, Partial<Record<ExitReason, number>>> = {};
  const unplanned: string[] = [];
  const stopMs: Record<string, number[]> = {};
  let socket: DeckSocket | null = null;
  try {
    let failures = 0;
    /** A fresh page socket, watching every demo of the soak (a page reload: each is sent its demo's last screen). */
    const openSocket = async (): Promise<DeckSocket> => {
      const opened = await DeckSocket.open(server.origin, server.token);
      opened.watch(...SOAK_DEMOS);
      return opened;
    };
    /** `name` labels the run in what the soak reports; the server names the run itself. */
    const runOne = async (on: DeckSocket, kind: SoakKind, name: string): Promise<void> => {
      const outcome = await runKind(on, kind, server.pid).catch(async (error: unknown): Promise<Outcome> => {
        // One run that goes wrong is a finding, not the end of the soak; many mean the server is gone.
        if (++failures > MAX_FAILURES) throw error;
        // Ended before the demo's turn comes again: the server would refuse a second run of it while this one lives.
        const run = liveRunOf(on, kind.demo);
        if (run !== null) {
          on.send({ type: 'stop', run });
          await on.waitFor('exit', (m) => m.run === run, RUN_TIMEOUT_MS).catch(() => undefined);
        }
        return { reason: 'error', unplanned: error instanceof Error ? error.message : String(error), processes: [], stopMs: null };
      });
      watchRun(outcome.processes);
      if (outcome.stopMs !== null) (stopMs[kind.runtime] ??= []).push(outcome.stopMs);
      const label = `${kind.runtime} ${kind.demo.slice(kind.demo.indexOf(':') + 1)}`;
      const counts = (endings[label] ??= {});
      counts[outcome.reason] = (counts[outcome.reason] ?? 0) + 1;
      if (outcome.unplanned !== null) unplanned.push(`${name} ${label}: ${outcome.unplanned}`);
    };

    // Warm-up: one run of each kind, so what the server keeps for good is in the "before".
    socket = await openSocket();
    for (const [i, kind] of KINDS.entries()) await runOne(socket, kind, `warm${i}`);
    await Promise.all(survivorChecks.splice(0));
    await sleep(SNAPSHOT_SETTLE_MS);
    const before = snapshot(server.pid);
    unplanned.length = 0;
    for (const key of Object.keys(endings)) delete endings[key];
    for (const key of Object.keys(stopMs)) delete stopMs[key];

    const started = performance.now();
    const deadline = started + options.maxMinutes * 60_000;
    let completed = 0;
    for (; completed < options.runs && performance.now() < deadline; completed++) {
      if (completed % RUNS_PER_SOCKET === 0) {
        socket.close();
        socket = await openSocket();
      }
      await runOne(socket, KINDS[completed % KINDS.length] as SoakKind, `soak${completed}`);
      if ((completed + 1) % 100 === 0) options.onProgress?.(progressLine(completed + 1, options.runs, started, server.pid));
    }
    const seconds = (performance.now() - started) / 1000;
    socket.close();
    socket = null;

    await Promise.all(survivorChecks.splice(0));
    leftovers.add(await waitUntilGone(tracked, REAP_SETTLE_MS));
    await sleep(SNAPSHOT_SETTLE_MS);
    const after = snapshot(server.pid);
    const extraUnderServer = Math.max(0, after.processes.filter((p) => !leftovers.has(p)).length - before.processes.length);
    return {
      planned: options.runs,
      completed,
      seconds,
      endings,
      unplannedCount: unplanned.length,
      unplanned: unplanned.slice(0, UNPLANNED_SHOWN),
      stop: Object.fromEntries(Object.entries(stopMs).map(([runtime, ms]) => [runtime, { medianMs: median(ms), maxMs: Math.max(...ms) }])),
      leftovers: leftovers.list(),
      serverProcessesBefore: before.described,
      serverProcessesAfter: after.described,
      processesLeft: leftovers.count + extraUnderServer,
      descriptorsBefore: before.descriptors,
      descriptorsAfter: after.descriptors,
      rssBefore: before.rss,
      rssAfter: after.rss,
      peakAfter: after.peak,
      loadavgAtEnd: os.loadavg(),
    };
  } finally {
    socket?.close();
    // Whatever a failed soak left running is ended before the bench goes on.
    await Promise.all(survivorChecks);
    tracked.forEach(killIfAlive);
    await server.stop();
  }
}

interface Outcome {
  readonly reason: ExitReason;
  /** Why the ending is not the kind's, or null. */
  readonly unplanned: string | null;
  /** The run's processes as far as they could be seen: its own, and those the demo printed. */
  readonly processes: ProcessId[];
  readonly stopMs: number | null;
}

/** One run of `kind`, its demo watched by `socket`; resolves once the run has exited. A run the server refuses throws. */
async function runKind(socket: DeckSocket, kind: SoakKind, serverPid: number): Promise<Outcome> {
  if (kind.ending === 'stopped') {
    const stopped = await stopBusyTree(socket, kind.runtime, serverPid);
    return { reason: 'stopped', unplanned: null, processes: stopped.tree, stopMs: stopped.stopMs };
  }
  const run = await startRun(socket, kind.demo, RUN_TIMEOUT_MS);
  const pids: number[] = [];
  // A run whose process cannot start gets its `exit` and no `started`; the loser of the race is caught.
  const started = await Promise.race([
    socket.waitFor('started', (m) => m.run === run, RUN_TIMEOUT_MS).catch(() => null),
    socket.waitFor('exit', (m) => m.run === run, RUN_TIMEOUT_MS).then(() => null, () => null),
  ]);
  if (started !== null && started.pid !== null) pids.push(started.pid);
  // Identified while they run, so a pid the kernel hands on later is never mistaken for them.
  const processes = pids.map(identify).filter((p): p is ProcessId => p !== null);
  if (kind.ending !== 'exit' && started !== null) {
    const printed = await outputOrExit(socket, run, /pid (\d+)\r?\n/, RUN_TIMEOUT_MS);
    const own = identify(Number(printed[1]));
    if (own !== null && own.pid !== serverPid) processes.push(own);
  }
  const exit = await socket.waitFor('exit', (m) => m.run === run, RUN_TIMEOUT_MS);
  const planned = exit.reason === kind.ending && (kind.ending !== 'exit' || exit.code === 0);
  return { reason: exit.reason, unplanned: planned ? null : JSON.stringify(exit), processes, stopMs: null };
}

function snapshot(serverPid: number): { processes: ProcessId[]; described: string[]; descriptors: number; rss: number; peak: number } {
  const memory = memoryOf(serverPid);
  const processes = descendantsOf(serverPid);
  return { processes, described: processes.map(describeProcess), descriptors: descriptorCount(serverPid), rss: memory.rss, peak: memory.peak };
}

function progressLine(done: number, planned: number, started: number, serverPid: number): string {
  const { rss } = memoryOf(serverPid);
  return [
    `soak: ${done}/${planned} runs`,
    `${((performance.now() - started) / 1000).toFixed(0)} s`,
    `server RSS ${(rss / 1024 / 1024).toFixed(1)} MiB`,
    `${descriptorCount(serverPid)} descriptors`,
    `${descendantsOf(serverPid).length} processes under it`,
    `load ${os.loadavg()[0]?.toFixed(2)}`,
  ].join(', ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
