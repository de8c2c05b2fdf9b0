/**
 * What tracing a demo for its timeline costs: the lock-heavy and CPU-bound demos (Python, and
 * the TypeScript one with worker threads) run through the real runners untraced and traced,
 * alternating, several rounds each, and the ratio of the median run times (start to exit) is
 * held against the aim: at most 1.10 for a demo that takes fewer than 10,000 locks a
 * second. A demo past that rate has its lock events sampled
 * (server/tracing/python/deck_trace.py): what it must not do is flood the page, so its trace
 * events a second are held against the tracer's budget, and its ratio against a looser aim of
 * our own (the wrapper's cost per lock remains). Every demo's printed claim must hold traced
 * as often as untraced in the same rounds.
 */
import os from 'node:os';
import path from 'node:path';
import { createPythonRunner } from '../server/runners/python-runner.ts';
import type { Runner, RunExit } from '../server/runners/runner.ts';
import { createWorkerRunner } from '../server/runners/worker-runner.ts';
import type { TraceEvent } from '../server/trace/trace-event.ts';
import { figure } from './report.ts';
import type { Figure } from './report.ts';
import { median } from './stats.ts';

/** Traced / untraced median run time, at most, for a demo under LIGHT_LOCKS_PER_SECOND (the aim). */
export const TRACE_COST_AIM = 1.1;
/** The same for a demo that takes locks faster than that: its hold events are sampled, the wrapper's cost per lock remains. */
export const HEAVY_TRACE_COST_AIM = 3;
export const LIGHT_LOCKS_PER_SECOND = 10_000;
/** Trace events a second a flooding demo may send at most: the tracer's 2,000 optional lock events, its waits, lanes and samples. */
export const FLOOD_EVENTS_PER_SECOND = 4_000;

interface CostDemo {
  readonly runtime: 'python' | 'worker';
  /** Under demos/. */
  readonly demo: string;
  /** What the demo claims, in words, and whether its output says so. */
  readonly claim: string;
  readonly holds: (text: string, cores: number) => boolean;
}

const DEMOS: readonly CostDemo[] = [
  { runtime: 'python', demo: 'concepts/lost_updates_locked.py', claim: 'nothing lost under the lock', holds: (text) => /lost at 1 µs:\s+0 /.test(text) },
  { runtime: 'python', demo: 'concepts/lost_updates.py', claim: 'the forced interval loses updates', holds: (text) => /lost at 1 µs:\s+[1-9]/.test(text) },
  { runtime: 'python', demo: 'approaches/cpu_threads_vs_processes.py', claim: 'processes beat threads (speed-up ≥ 1.2)', holds: (text, cores) => cores < 2 || Number(/speed-up: ([\d.]+)×/.exec(text)?.[1] ?? '0') >= 1.2 },
  { runtime: 'python', demo: 'abstractions/queue_workers.py', claim: 'every item taken once', holds: (text) => text.includes('duplicates: 0, missing: 0') },
  { runtime: 'worker', demo: 'approaches/cpu_bound_workers.ts', claim: 'worker threads beat one thread (speed-up ≥ 1.2)', holds: (text, cores) => cores < 2 || Number(/speed-up: ([\d.]+)×/.exec(text)?.[1] ?? '0') >= 1.2 },
];

export interface TraceCostResult {
  readonly demo: string;
  readonly claim: string;
  readonly untracedMs: readonly number[];
  readonly tracedMs: readonly number[];
  readonly ratio: number;
  /** Locks taken a second in the traced runs (holds sent and holds sampled out), the median. */
  readonly locksPerSecond: number;
  readonly claimHeldUntraced: number;
  readonly claimHeldTraced: number;
  /** Trace events the traced runs sent, the median. */
  readonly events: number;
  /** The same, a second. */
  readonly eventsPerSecond: number;
}

interface Timed {
  readonly ms: number;
  readonly text: string;
  readonly exit: RunExit;
  readonly events: readonly TraceEvent[];
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r/g;

async function timeRun(runner: Runner, file: string, trace: boolean): Promise<Timed> {
  const events: TraceEvent[] = [];
  let text = '';
  const started = performance.now();
  const handle = await runner.start({ file, cwd: path.dirname(file), cols: 80, rows: 24, memoryLimitBytes: 2 ** 30, trace });
  handle.onTrace?.((batch) => events.push(...batch));
  handle.onData((data) => {
    text += data;
  });
  const timer = setTimeout(() => void handle.kill(), 120_000);
  const exit = await new Promise<RunExit>((resolve) => handle.onExit(resolve));
  const ms = performance.now() - started;
  clearTimeout(timer);
  await handle.traceEnded;
  if (exit.code !== 0) throw new Error(`${file} ${trace ? 'traced' : 'untraced'} ended ${JSON.stringify(exit)}: ${text.slice(-300)}`);
  return { ms, text: text.replace(ANSI, ''), exit, events };
}

function locksTaken(events: readonly TraceEvent[]): number {
  const held = events.filter((e) => e.ph === 'b' && e.cat === 'hold').length;
  const sampled = events.filter((e) => e.cat === 'sampled').reduce((sum, e) => sum + Number(e.args?.['skipped'] ?? 0), 0);
  return held + sampled;
}

export async function measureTraceCost(options: { rounds: number; demosDir: string; only?: string | undefined; onProgress?: (line: string) => void }): Promise<TraceCostResult[]> {
  const runners: Record<CostDemo['runtime'], Runner> = { python: createPythonRunner(), worker: createWorkerRunner() };
  const results: TraceCostResult[] = [];
  try {
    for (const demo of DEMOS.filter((d) => options.only === undefined || d.demo.includes(options.only))) {
      const runner = runners[demo.runtime];
      const file = path.join(options.demosDir, demo.demo);
      await runner.prepare([file]);
      // A warm-up of each, then rounds in alternating order so neither always goes first.
      await timeRun(runner, file, false);
      await timeRun(runner, file, true);
      const untraced: Timed[] = [];
      const traced: Timed[] = [];
      for (let round = 0; round < options.rounds; round++) {
        for (const trace of round % 2 === 0 ? [false, true] : [true, false]) (trace ? traced : untraced).push(await timeRun(runner, file, trace));
      }
      const cores = os.availableParallelism();
      const result: TraceCostResult = {
        demo: demo.demo,
        claim: demo.claim,
        untracedMs: untraced.map((r) => r.ms),
        tracedMs: traced.map((r) => r.ms),
        ratio: median(traced.map((r) => r.ms)) / median(untraced.map((r) => r.ms)),
        locksPerSecond: median(traced.map((r) => locksTaken(r.events) / (r.ms / 1000))),
        claimHeldUntraced: untraced.filter((r) => demo.holds(r.text, cores)).length,
        claimHeldTraced: traced.filter((r) => demo.holds(r.text, cores)).length,
        events: median(traced.map((r) => r.events.length)),
        eventsPerSecond: median(traced.map((r) => r.events.length / (r.ms / 1000))),
      };
      options.onProgress?.(`  ${demo.demo}: ratio ${result.ratio.toFixed(3)}, ${Math.round(result.locksPerSecond)} locks/s, claim held ${result.claimHeldTraced}/${options.rounds} traced, ${result.claimHeldUntraced}/${options.rounds} untraced`);
      results.push(result);
    }
  } finally {
    await Promise.all(Object.values(runners).map((runner) => runner.dispose()));
  }
  return results;
}

function aimOf(result: TraceCostResult): number {
  return result.locksPerSecond < LIGHT_LOCKS_PER_SECOND ? TRACE_COST_AIM : HEAVY_TRACE_COST_AIM;
}

export function traceCostFigures(results: readonly TraceCostResult[]): Figure[] {
  return results.flatMap((r) => [
    figure(`trace cost ${r.demo}`, r.ratio, `traced/untraced (${Math.round(r.locksPerSecond)} locks/s)`, { op: '<=', value: aimOf(r) }, 3),
    figure(`trace claim ${r.demo}`, r.claimHeldTraced, `traced runs where "${r.claim}" held`, { op: '>=', value: r.claimHeldUntraced }, 0),
    // A demo past the light rate must not flood the page: its events stay within the tracer's budget.
    ...(r.locksPerSecond < LIGHT_LOCKS_PER_SECOND ? [] : [figure(`trace events ${r.demo}`, r.eventsPerSecond, 'events/s to the page', { op: '<=', value: FLOOD_EVENTS_PER_SECOND }, 0)]),
  ]);
}

export function traceCostTable(results: readonly TraceCostResult[]): string {
  const rows = results.map((r) => [
    r.demo,
    `${median(r.untracedMs).toFixed(0)} ms`,
    `${median(r.tracedMs).toFixed(0)} ms`,
    r.ratio.toFixed(3),
    `≤ ${aimOf(r)}`,
    String(Math.round(r.locksPerSecond)),
    String(r.events),
    `${r.claimHeldTraced}/${r.tracedMs.length} traced, ${r.claimHeldUntraced}/${r.untracedMs.length} untraced`,
  ]);
  const header = ['demo', 'untraced', 'traced', 'ratio', 'aim', 'locks/s', 'events', 'claim held'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}
