/**
 * A runtime whose runs are interpreters in pseudo-terminals (pty-run.ts), each on a
 * bootstrap of ours that waits for its demo. One interpreter is kept started ahead of the
 * next Run (warm-pool.ts): `start()` hands it its demo, and the next spare starts once
 * that run is over; with none waiting, `start()` starts one on the spot, the same way.
 */
import { encodeLaunch } from './launch-line.ts';
import { PtyRun } from './pty-run.ts';
import type { PtyCommand } from './pty-run.ts';
import type { RunHandle, Runner, RunSpec } from './runner.ts';
import { TraceCollector } from '../trace/trace-collector.ts';
import { WarmPool } from './warm-pool.ts';

export type { PtyCommand } from './pty-run.ts';

export interface PtyRunnerOptions {
  /** Time between SIGTERM and SIGKILL to the group on `kill()`. Default 300 ms. */
  readonly killGraceMs?: number;
}

export const defaultKillGraceMs = 300;

/** What the bootstrap runs for a demo. */
export interface PtyDemo {
  readonly file: string;
  readonly args: readonly string[];
  /** Removes what was made for this run only (an edited copy); called once the run is over. */
  readonly cleanup?: () => Promise<void>;
}

/** What a pty runtime runs; the runner does the rest. */
export interface PtyRuntime {
  /** The interpreter on our bootstrap, the same for every run while the runtime's settings stay. May throw `RunnerUnavailableError`. */
  interpreter(): Promise<PtyCommand>;
  /** What the bootstrap is to run for the demo `file` (e.g. its compiled form), or for `source` edited in its place (see `RunSpec.source`). */
  demo(file: string, source: string | undefined): Promise<PtyDemo>;
  /** Work that can be done ahead of a first run of `files` (compiling them). */
  prepareDemos?(files: readonly string[]): Promise<void>;
}

export function createPtyRunner(runtime: PtyRuntime, options: PtyRunnerOptions = {}): Runner {
  const killGraceMs = options.killGraceMs ?? defaultKillGraceMs;
  const pool = new WarmPool<PtyRun>();
  const keyOf = (command: PtyCommand): string => JSON.stringify(command);
  const spawnRun = (command: PtyCommand): PtyRun => new PtyRun(command, killGraceMs);
  const refill = (command: PtyCommand): PtyRun | null => {
    try {
      return pool.fill(keyOf(command), () => spawnRun(command));
    } catch {
      // Could not start a spare (out of ptys, say): the next run starts its own.
      return null;
    }
  };

  const start = async (spec: RunSpec): Promise<RunHandle> => {
    const [command, demo, collector] = await Promise.allSettled([runtime.interpreter(), runtime.demo(spec.file, spec.source), spec.trace === true ? TraceCollector.open() : null]);
    const cleanup = async (): Promise<void> => {
      if (demo.status === 'fulfilled') await demo.value.cleanup?.().catch(() => undefined);
    };
    // A side channel that cannot open (no room in the temporary folder, say) costs the timeline, never the run.
    const trace = collector.status === 'fulfilled' ? collector.value : null;
    let run: PtyRun;
    try {
      if (command.status === 'rejected') throw command.reason;
      if (demo.status === 'rejected') throw demo.reason;
      const line = encodeLaunch({ cwd: spec.cwd, file: demo.value.file, trace: trace?.socketPath ?? null, args: demo.value.args });
      run = pool.take(keyOf(command.value)) ?? spawnRun(command.value);
      run.launch(line, spec);
    } catch (error) {
      await Promise.all([cleanup(), trace?.close(0)]);
      throw error;
    }
    // The next one starts when this run is over: a demo that measures its own speed has
    // the machine to itself, and a presenter's pause before the next Run is time enough.
    run.onExit(() => {
      refill(command.value);
      void cleanup();
    });
    return trace === null ? run : withTrace(run, trace);
  };

  const prepare = async (files: readonly string[]): Promise<void> => {
    // A demo that does not compile, or a missing interpreter, is reported by its run, not here.
    await runtime.prepareDemos?.(files).catch(() => undefined);
    const command = await runtime.interpreter().catch(() => null);
    if (command) await refill(command)?.ready.catch(() => undefined);
  };

  return { start, prepare, dispose: () => pool.dispose() };
}

/** The run's handle, with the events of its side channel. */
function withTrace(run: PtyRun, trace: TraceCollector): RunHandle {
  // The run's processes are gone: their last events are on their way, then the channel closes.
  const traceEnded = new Promise<void>((resolve) => run.onExit(() => void trace.close().then(resolve)));
  return {
    traceEnded,
    pid: run.pid,
    onData: (listener) => run.onData(listener),
    onExit: (listener) => run.onExit(listener),
    onTrace: (listener) => trace.onEvents(listener),
    write: (data) => run.write(data),
    resize: (cols, rows) => run.resize(cols, rows),
    pause: () => run.pause(),
    resume: () => run.resume(),
    kill: () => run.kill(),
  };
}
