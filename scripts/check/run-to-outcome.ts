/**
 * Runs one demo as the server would (same runner, same `Run` with its time and output
 * limits) and says whether it ended the way its slide expects. With `source`, the demo runs
 * that text in place of its file's, as a Run with edited code does on stage. `npm run check`
 * and `npm run record` (which also watches the output go by) share it.
 */
import path from 'node:path';
import { defaultConfig } from '../../server/config.ts';
import type { DemoRef } from '../../server/deck/model.ts';
import type { RunEnd } from '../../server/run-outcome.ts';
import type { RunnerRegistry } from '../../server/runners/runner.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';
import { Run } from '../../server/runs/run.ts';
import { formatDuration } from './marks.ts';

export interface Outcome {
  readonly ok: boolean;
  /** `exit 0`, `exit 1`, `SIGKILL`, `time limit of 30 s reached`, … */
  readonly ended: string;
  readonly durationMs: number;
  /** The last lines it printed, for a failure report. */
  readonly tail: string[];
  /** How the run ended; null when it could not start. */
  readonly end: RunEnd | null;
}

export interface RunOptions {
  /** The terminal's size (default 100×30). */
  readonly cols?: number;
  readonly rows?: number;
  /** Text to run in place of the file's. */
  readonly source?: string;
  /**
   * Called as the demo's `Run` begins, once the runner has started it: the moment its
   * duration counts from (on stage the runner has an interpreter waiting, so a Run starts
   * about then too).
   */
  readonly onStart?: () => void;
  /** Every output chunk, as the run hands it to the pages on stage. */
  readonly onOutput?: (data: string) => void;
  /** Trace the run (its demo line says `timeline`) and hand on its trace events; the outcome comes once the last have. */
  readonly onTrace?: (events: readonly TraceEvent[]) => void;
}

const TAIL_LINES = 8;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;

export async function runToOutcome(runners: RunnerRegistry, file: string, demo: DemoRef, options: RunOptions = {}): Promise<Outcome> {
  let output = '';
  let handle;
  try {
    handle = await runners[demo.runtime].start({
      file,
      cwd: path.dirname(file),
      cols: options.cols ?? 100,
      rows: options.rows ?? 30,
      memoryLimitBytes: defaultConfig.memoryLimitBytes,
      ...(options.source === undefined ? {} : { source: options.source }),
      ...(options.onTrace === undefined ? {} : { trace: true }),
    });
  } catch (error) {
    return { ok: false, ended: `could not start: ${error instanceof Error ? error.message : String(error)}`, durationMs: 0, tail: [], end: null };
  }
  options.onStart?.();
  if (options.onTrace !== undefined) handle.onTrace?.(options.onTrace);
  const exit = await new Promise<RunEnd>((resolve) => {
    new Run(
      handle,
      { timeoutMs: demo.timeoutMs ?? defaultConfig.defaultTimeoutMs, maxOutputBytes: demo.maxOutputBytes ?? defaultConfig.defaultMaxOutputBytes },
      defaultConfig,
      {
        output: (data) => {
          options.onOutput?.(data);
          // Keep only the end: a flood must not fill the checker's memory.
          output = (output + data).slice(-16 * 1024);
        },
        // The checker reads everything as it comes: it never holds a run back.
        lag: () => 0,
        exit: resolve,
      },
    );
  });
  await handle.traceEnded;
  const ended = describeEnd(exit);
  const succeeded = exit.reason === 'exit' && exit.code === 0;
  const failedCleanly = exit.reason === 'exit' && exit.code !== 0;
  const ok = demo.expect === 'ok' ? succeeded : failedCleanly;
  const tail = output.replace(ANSI, '').replace(/\r/g, '').trimEnd().split('\n').filter((line) => line.trim() !== '').slice(-TAIL_LINES);
  return { ok, ended, durationMs: exit.durationMs, tail, end: exit };
}

/** A run's end in a report line: `exit 1`, `SIGKILL`, `time limit of 30 s reached`. */
export function describeEnd(end: RunEnd): string {
  return end.reason !== 'exit' ? (end.message ?? end.reason) : end.signal ?? `exit ${end.code}`;
}

/** How it ended against what its slide expects, and how long it took: `exit 1 (expected exit 0)  0.1 s`. */
export function describeOutcome(demo: DemoRef, outcome: Outcome): string {
  const expected = demo.expect === 'ok' ? 'exit 0' : 'a failing exit';
  return `${outcome.ended}${outcome.ok ? '' : ` (expected ${expected})`}  ${formatDuration(outcome.durationMs)}`;
}
