/**
 * Stop latency per runtime: from `stop` sent on a page's socket to the server's `exit`, on
 * a busy tree (the demo, two children, two grandchildren, every one spinning the CPU),
 * through the real server entry in a child process. Then every pid of the tree has to leave
 * the process table: one still running a second after `exit` is a survivor (the bench
 * kills it, so it does not slow what follows), one still in the table after the settle is
 * left over too.
 */
import type { RuntimeName } from '../server/runtimes.ts';
import { RUNTIMES } from '../server/runtimes.ts';
import { DeckSocket } from '../test/helpers/deck-socket.ts';
import { spawnServer } from '../test/helpers/spawn-server.ts';
import { outputOrExit, startRun } from './deck-runs.ts';
import { benchFixture } from './fixture-deck.ts';
import { identify, isAlive, killIfAlive, Leftovers, waitUntilDead, waitUntilGone } from './process-watch.ts';
import type { ProcessId } from './process-watch.ts';
import { median } from './stats.ts';

export interface StopOptions {
  /** Measured stops per runtime, after `warmups`. */
  readonly samples: number;
  readonly warmups: number;
}

export interface StopResult {
  readonly runtime: RuntimeName;
  /** Milliseconds from sending `stop` to receiving `exit`, warm-ups left out. */
  readonly stopMs: number[];
  readonly medianMs: number;
  readonly maxMs: number;
  /** Processes in each measured tree (in the worker runtime the root is a thread: its host process counts if it has its own). */
  readonly treeSizes: number[];
  /** Over all measured stops: processes of the tree still running (not even a zombie) when `exit` arrived. */
  readonly aliveAtExit: number;
  /** Processes of the measured trees that outlived their run, as `pid (state) command`. */
  readonly leftovers: string[];
}

/** The busy tree, by its demo key in the bench deck, per runtime. */
export const busyTree: Record<RuntimeName, string> = {
  worker: 'worker:busy_tree.ts',
  process: 'process:busy_tree.ts',
  python: 'python:busy_tree.py',
};

/** How long a process of a stopped run may still run after `exit` before it counts as a survivor. */
export const SURVIVOR_GRACE_MS = 1000;
/** How long the processes of stopped runs get to leave the process table (an orphan is reaped by init, here every 2 s or so). */
export const REAP_SETTLE_MS = 5000;
/** A busy tree of five on two cores takes a while to come up. */
const TREE_TIMEOUT_MS = 60_000;

export async function measureStopLatency(options: StopOptions): Promise<StopResult[]> {
  const server = await spawnServer({ root: benchFixture, args: ['--no-watch'] });
  const results: StopResult[] = [];
  try {
    const socket = await DeckSocket.open(server.origin, server.token);
    // Only the pages watching a demo hear of its runs.
    socket.watch(...RUNTIMES.map((runtime) => busyTree[runtime]));
    try {
      for (const runtime of RUNTIMES) {
        const stopMs: number[] = [];
        const treeSizes: number[] = [];
        const trees: ProcessId[] = [];
        const leftovers = new Leftovers();
        let aliveAtExit = 0;
        for (let i = 0; i < options.warmups + options.samples; i++) {
          const sample = await stopBusyTree(socket, runtime, server.pid);
          const survivors = await waitUntilDead(sample.tree, SURVIVOR_GRACE_MS);
          if (i < options.warmups) {
            survivors.forEach(killIfAlive);
            continue;
          }
          leftovers.add(survivors);
          survivors.forEach(killIfAlive);
          stopMs.push(sample.stopMs);
          treeSizes.push(sample.tree.length);
          trees.push(...sample.tree);
          aliveAtExit += sample.aliveAtExit;
        }
        leftovers.add(await waitUntilGone(trees, REAP_SETTLE_MS));
        results.push({ runtime, stopMs, medianMs: median(stopMs), maxMs: Math.max(...stopMs), treeSizes, aliveAtExit, leftovers: leftovers.list() });
      }
    } finally {
      socket.close();
    }
  } finally {
    await server.stop();
  }
  return results;
}

export interface StoppedTree {
  readonly stopMs: number;
  /** The tree's processes: those the demo printed and the run's own (the server's pid left out). */
  readonly tree: ProcessId[];
  readonly aliveAtExit: number;
}

/**
 * Runs the busy tree (its demo watched by `socket`), waits until all of it spins, sends
 * `stop` and times the `exit`. Resolves once the run has exited, so its demo can run again.
 */
export async function stopBusyTree(socket: DeckSocket, runtime: RuntimeName, serverPid: number): Promise<StoppedTree> {
  const run = await startRun(socket, busyTree[runtime], TREE_TIMEOUT_MS);
  const printed = await outputOrExit(socket, run, /tree pids: ([\d ]+)\r?\n/, TREE_TIMEOUT_MS);
  const pids = (printed[1] ?? '').trim().split(/\s+/).map(Number);
  // The run's own process, when the runner has one the demo does not print (a worker's host).
  const startedPid = socket.messages.find((m) => m.type === 'started' && m.run === run);
  if (startedPid?.type === 'started' && startedPid.pid !== null) pids.push(startedPid.pid);
  const tree = [...new Set(pids)]
    .filter((pid) => pid !== serverPid)
    .map(identify)
    .filter((p): p is ProcessId => p !== null);
  // The root prints once its children answered; they start spinning right after.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const stopSent = performance.now();
  socket.send({ type: 'stop', run });
  const exit = await socket.waitFor('exit', (m) => m.run === run);
  const stopMs = performance.now() - stopSent;
  const aliveAtExit = tree.filter(isAlive).length;
  if (exit.reason !== 'stopped') throw new Error(`stopping ${busyTree[runtime]} ended it with ${JSON.stringify(exit)}`);
  return { stopMs, tree, aliveAtExit };
}
