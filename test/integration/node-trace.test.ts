/**
 * The Node tracer, through the real runners: a traced worker run draws a lane per worker
 * thread (named, with its start and exit), its messages as flow pairs and its threads
 * blocked in Atomics.wait while they hang; a traced process run draws a lane per forked
 * child with its exit code; and tracing changes nothing the demo prints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeProcessRunner } from '../../server/runners/node-process-runner.ts';
import type { Runner, RunExit } from '../../server/runners/runner.ts';
import { createWorkerRunner } from '../../server/runners/worker-runner.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';

const fixtures = fileURLToPath(new URL('../fixtures/trace/', import.meta.url));
const demos = fileURLToPath(new URL('../../demos/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'deck-node-trace-'));
const worker = createWorkerRunner({ cacheDir: scratch });
const processes = createNodeProcessRunner({ cacheDir: scratch });

afterAll(async () => {
  await Promise.all([worker.dispose(), processes.dispose()]);
  rmSync(scratch, { recursive: true, force: true });
});

interface TracedRun {
  readonly events: TraceEvent[];
  readonly exit: Promise<RunExit>;
  output(): string;
  /** Resolves once the events so far satisfy `check`. */
  until(check: (events: readonly TraceEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}

async function start(runner: Runner, file: string, trace: boolean): Promise<TracedRun> {
  const handle = await runner.start({ file, cwd: path.dirname(file), cols: 80, rows: 24, memoryLimitBytes: 2 ** 30, trace });
  const events: TraceEvent[] = [];
  const waiters = new Set<() => void>();
  let output = '';
  handle.onData((data) => (output += data));
  handle.onTrace?.((batch) => {
    events.push(...batch);
    for (const wake of [...waiters]) wake();
  });
  const exit = new Promise<RunExit>((resolve) => handle.onExit(resolve));
  const until = (check: (events: readonly TraceEvent[]) => boolean, timeoutMs = 20_000): Promise<void> =>
    new Promise((resolve, reject) => {
      if (check(events)) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`trace incomplete after ${timeoutMs} ms: ${JSON.stringify(events.filter((e) => e.cat !== 'run'))}`));
      }, timeoutMs);
      const wake = (): void => {
        if (!check(events)) return;
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      waiters.add(wake);
    });
  return { events, exit, output: () => output, until, kill: () => handle.kill() };
}

const lanes = (events: readonly TraceEvent[], ph: 'B' | 'E'): TraceEvent[] => events.filter((e) => e.cat === 'lane' && e.ph === ph);
const laneNamed = (events: readonly TraceEvent[], ph: 'B' | 'E', name: string): TraceEvent | undefined => lanes(events, ph).find((e) => e.name === name);
/** Waits begun and not (yet) ended, per lane. */
function openWaits(events: readonly TraceEvent[]): TraceEvent[] {
  const open = new Map<string, TraceEvent[]>();
  for (const e of events.filter((event) => event.cat === 'wait')) {
    const key = `${e.pid}/${e.tid}`;
    const stack = open.get(key) ?? [];
    if (e.ph === 'B') stack.push(e);
    else stack.pop();
    open.set(key, stack);
  }
  return [...open.values()].flat();
}
/** The ids of message flows whose two ends both arrived. */
function pairedMessages(events: readonly TraceEvent[]): string[] {
  const sent = new Set(events.filter((e) => e.cat === 'message' && e.ph === 's').map((e) => e.id));
  return events.filter((e) => e.cat === 'message' && e.ph === 'f' && sent.has(e.id)).map((e) => e.id ?? '');
}

describe('the Node tracer', () => {
  it('shows both workers of a deadlock waiting in Atomics.wait while it hangs, with their lanes and messages', async () => {
    const run = await start(worker, path.join(fixtures, 'node_deadlock.ts'), true);
    const laneOf = (events: readonly TraceEvent[], name: string): number | undefined => laneNamed(events, 'B', name)?.tid;
    const bothWaiting = (events: readonly TraceEvent[]): boolean => {
      const waiting = new Set(openWaits(events).map((e) => e.tid));
      const [a, b] = [laneOf(events, 'A'), laneOf(events, 'B')];
      return a !== undefined && b !== undefined && waiting.has(a) && waiting.has(b) && openWaits(events).every((e) => e.args?.kind === 'Atomics.wait');
    };
    // 'go' to each worker and 'holding' back: four messages, both ends of each. Each thread sends
    // on its own connection, in its own batches: the parent's ends may come after the workers' waits.
    const fourMessages = (events: readonly TraceEvent[]): boolean => new Set(pairedMessages(events)).size === 4;
    await run.until((events) => bothWaiting(events) && fourMessages(events));
    const waits = openWaits(run.events);
    // Each waits for the slot the other holds: two locks of one shared buffer, the same ids in both threads.
    expect(new Set(waits.map((e) => e.args?.lock)).size).toBe(2);
    expect(waits.map((e) => String(e.args?.name)).sort()).toEqual([expect.stringMatching(/\[0\]$/), expect.stringMatching(/\[1\]$/)]);
    const names = run.events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name);
    expect(names).toEqual(expect.arrayContaining(['main', 'A', 'B']));
    expect(lanes(run.events, 'B').map((e) => e.args?.kind)).toEqual(['worker', 'worker', 'worker']);
    await expect.poll(() => run.output()).toContain('both hold one lock');
    await run.kill();
    await run.exit;
    // A stopped run still ends its lanes (the collector closes what a gone connection left open).
    await run.until((events) => ['main', 'A', 'B'].every((name) => laneNamed(events, 'E', name) !== undefined));
  });

  it('draws a lane per worker of a worker demo, from start to exit, and prints what it prints untraced', async () => {
    const file = path.join(demos, 'concepts/deadlock_workers.ts');
    const untraced = await start(worker, file, false);
    await untraced.exit;
    const traced = await start(worker, file, true);
    const exit = await traced.exit;
    expect(exit.code).toBe(1);
    await traced.until((events) => laneNamed(events, 'E', 'main') !== undefined && lanes(events, 'E').length === 3);
    expect(traced.output()).toBe(untraced.output());
    expect(untraced.events).toEqual([]);
    const workers = lanes(traced.events, 'B').filter((e) => e.name !== 'main');
    expect(workers.map((e) => e.name)).toEqual(workers.map((e) => `worker ${e.tid}`));
    expect(workers).toHaveLength(2);
    for (const lane of workers) {
      const end = lanes(traced.events, 'E').find((e) => e.tid === lane.tid && e.args?.code !== undefined);
      expect(end?.args?.code).toBe(0);
      expect(end?.ts).toBeGreaterThan(lane.ts);
    }
    expect(laneNamed(traced.events, 'E', 'main')?.args?.code).toBe(1);
    // Each worker posts its outcome to the main thread.
    expect(pairedMessages(traced.events)).toHaveLength(2);
    expect(traced.events.some((e) => e.cat === 'run' && e.ph === 'X' && (e.dur ?? 0) > 0)).toBe(true);
  });

  it('draws a lane per forked child process with its exit code, an env of its own included', async () => {
    const file = path.join(fixtures, 'node_fork.ts');
    const untraced = await start(processes, file, false);
    await untraced.exit;
    const traced = await start(processes, file, true);
    expect((await traced.exit).code).toBe(0);
    await traced.until((events) => lanes(events, 'E').length === 3);
    const ends = new Map(lanes(traced.events, 'E').map((e) => [e.name, e.args?.code]));
    expect(Object.fromEntries(ends)).toEqual({ main: 0, 'worker 1': 11, 'worker 2': 12 });
    const starts = lanes(traced.events, 'B');
    expect(starts.map((e) => e.args?.kind)).toEqual(['process', 'process', 'process']);
    expect(new Set(starts.map((e) => e.pid)).size).toBe(3);
    expect(starts.every((e) => e.tid === 0)).toBe(true);
    // The children answer in either order; what they say is the same.
    const lines = (text: string): string[] => text.split(/\r?\n/).sort();
    expect(lines(traced.output())).toEqual(lines(untraced.output()));
  });
});
