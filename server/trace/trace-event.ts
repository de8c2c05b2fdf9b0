/**
 * A run's trace: what its threads, processes, asyncio tasks and locks did, as events of the
 * Chrome Trace Event Format (the JSON that Perfetto and chrome://tracing open). The tracers
 * in the demos' processes (`server/tracing/`) write them, one JSON object per line, to the
 * run's side channel (`trace-collector.ts`), never into the terminal; the server hands them
 * on to every screen in `trace` messages, keeps them in recordings, and the page folds them
 * into the timeline drawn under the terminal.
 *
 * Times are microseconds. Tracers write CLOCK_MONOTONIC (Python `time.monotonic_ns()`,
 * Node `process.hrtime`), one clock for every process of the machine; the collector makes
 * them relative to the run's start, the clock of its recording.
 *
 * What each category means, the contract between the tracers, the timeline and the export:
 *
 * | cat        | ph      | where                    | meaning |
 * |------------|---------|--------------------------|---------|
 * | (metadata) | `M`     | `process_name`, `thread_name` | `args.name` names a process (tid 0) or a thread |
 * | `lane`     | `B`/`E` | the thread               | a thread, a process (its main thread) or a worker lives; `args.kind`; `E` may carry `args.code` |
 * | `run`      | `X`     | the thread               | it ran on a CPU for `dur` (sampled); with `args.task`, that asyncio task ran a step |
 * | `wait`     | `B`/`E` | the waiting thread       | it waits for `args.lock` (named `args.name`, of kind `args.kind`) |
 * | `hold`     | `b`/`e` | the holding thread       | it holds the lock `id` (= `args.lock`, named `args.name`) |
 * | `handoff`  | `s`/`f` | releaser → acquirer      | the lock `name` passed from one lane to another (`id` pairs the two ends) |
 * | `message`  | `s`/`f` | sender → receiver        | a message between threads or processes |
 * | `task`     | `b`/`e` | the event loop's thread  | the asyncio task `id` (named `name`) lives |
 * | `stall`    | `X`     | the event loop's thread  | one callback held the event loop for `dur` (`args.by` names it) |
 * | `sampled`  | `i`     | the process              | `args.skipped` events of `args.what` were left out to keep the trace light |
 *
 * Lock and task ids are strings unique within the run (`<pid>:L3`, `<pid>:T7`).
 * Pure: no I/O, no Node API, so the page imports it too.
 */

export type TracePhase = 'M' | 'B' | 'E' | 'X' | 'b' | 'e' | 'i' | 's' | 'f';

export type TraceCategory = 'lane' | 'run' | 'wait' | 'hold' | 'handoff' | 'message' | 'task' | 'stall' | 'sampled';

/** What a lane stands for. */
export type LaneKind = 'thread' | 'process' | 'worker';

/** An argument value: the tracers send nothing but these. */
export type TraceArg = string | number | boolean | null;

export interface TraceEvent {
  readonly ph: TracePhase;
  readonly name: string;
  /** Absent on metadata events. */
  readonly cat?: TraceCategory;
  readonly pid: number;
  readonly tid: number;
  /** Microseconds; relative to the run's start once the collector has it. */
  readonly ts: number;
  /** `X` only: microseconds. */
  readonly dur?: number;
  /** `b`, `e`, `s`, `f`: pairs the two ends. */
  readonly id?: string;
  /** `i`: scope (`t` thread, `p` process, `g` global). */
  readonly s?: 't' | 'p' | 'g';
  /** `f`: binds to the enclosing slice (`e`). */
  readonly bp?: 'e';
  readonly args?: Readonly<Record<string, TraceArg>>;
}

/** The JSON object file that Perfetto and chrome://tracing open. */
export interface TraceFile {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms';
  /** Free-form facts about the trace (the demo, when it ran). */
  readonly otherData?: Readonly<Record<string, string>>;
}

/** The trace of a run as a file to download or to keep beside a recording. */
export function traceFile(events: readonly TraceEvent[], otherData?: Readonly<Record<string, string>>): TraceFile {
  return { traceEvents: [...events], displayTimeUnit: 'ms', ...(otherData === undefined ? {} : { otherData }) };
}
