/**
 * What every runtime provides. A runner starts one demo and hands back a handle; the
 * session's `Run` owns the handle and is the only thing that disposes it, whether the
 * run ends by itself, by Stop, by a limit, or because its socket closed.
 */
import type { PythonRequirement } from '../deck/model.ts';
import type { RuntimeName } from '../runtimes.ts';
import type { TraceEvent } from '../trace/trace-event.ts';

export interface Disposable {
  dispose(): void;
}

export interface RunSpec {
  /** Absolute path of the demo source, already resolved inside `demos/`. */
  readonly file: string;
  /** Working directory of the run: the demo's own folder. */
  readonly cwd: string;
  readonly cols: number;
  readonly rows: number;
  /** Resident memory the run's processes may use together; past it the runner ends the run. */
  readonly memoryLimitBytes: number;
  /**
   * Edited source to run in place of the file's text (live coding). `file` still names the
   * demo: imports resolve from its folder as for the file itself, and its name is the
   * program's. The runner runs a private copy, removed when the run ends; nothing is written
   * into `demos/`.
   */
  readonly source?: string;
  /** What the demo needs of its interpreter (`requires=`, Python only): a runner that cannot meet it throws `RequirementUnmetError` and starts nothing. */
  readonly requires?: PythonRequirement | null;
  /**
   * Trace the run for its timeline: the runner opens the run's side channel
   * (trace/trace-collector.ts) and its bootstrap installs the tracer before the demo runs.
   */
  readonly trace?: boolean;
}

export interface RunExit {
  /** Exit code, or null when the run ended by a signal. */
  readonly code: number | null;
  /** Signal name such as `SIGTERM`, or null. */
  readonly signal: string | null;
  /** Set when the runner itself ended the run on one of its limits (the memory limit). */
  readonly limit?: { readonly kind: 'memory-limit'; readonly message: string };
}

export interface RunHandle {
  /** Process id (and process-group id) of the run's process (a worker run's host); null where a runner has no process of its own. */
  readonly pid: number | null;
  /** Output as it arrives, already decoded as UTF-8 (split characters are held back). */
  onData(listener: (data: string) => void): Disposable;
  /** Fires once, after the last `onData`. */
  onExit(listener: (exit: RunExit) => void): Disposable;
  /** Trace events of a traced run (or a replay of one), in batches; the last may come after the exit. */
  onTrace?(listener: (events: readonly TraceEvent[]) => void): Disposable;
  /** A traced run's: resolves once its last trace events have been handed on (some time after the exit). */
  readonly traceEnded?: Promise<void>;
  /** Keyboard input, as typed into the terminal. */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Flow control: stop reading output until `resume`. */
  pause(): void;
  resume(): void;
  /**
   * Ends the run and everything it started: its whole process group gets SIGTERM, then
   * SIGKILL after a short grace. Resolves once the run has exited. Safe to call more than
   * once and after exit.
   */
  kill(): Promise<void>;
}

/** Thrown by a runner that cannot start in this environment (e.g. no python3). */
export class RunnerUnavailableError extends Error {
  override readonly name = 'RunnerUnavailableError';
}

/** One runtime: starts runs, and may keep an interpreter ready between them. */
export interface Runner {
  start(spec: RunSpec): Promise<RunHandle>;
  /** Gets ready for the first run of `files` ahead of time (compiles them, starts an interpreter that waits). */
  prepare(files: readonly string[]): Promise<void>;
  /** Ends whatever the runner keeps ready; runs already started are not its to end. */
  dispose(): Promise<void>;
}

/** One runner per runtime of `runtimes.ts`. */
export type RunnerRegistry = Record<RuntimeName, Runner>;
