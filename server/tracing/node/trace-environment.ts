/**
 * How a traced run's tracer reaches every thread and process of the demo. Imported by the
 * bootstraps whether or not the run is traced, so it holds names and one pure function,
 * and loads nothing.
 */

/** Environment data (worker_threads) a traced parent sets for a worker it starts: its `WorkerTraceConfig`. */
export const WORKER_TRACE_KEY = 'concurrency-deck:trace-worker';
/** Environment data the worker run's host sets for its demo's thread: the compiled tracer's path. */
export const TRACER_PATH_KEY = 'concurrency-deck:tracer';
/** The run's trace socket, in the environment of every process of a traced run. */
export const TRACE_SOCKET_ENV = 'DECK_TRACE_SOCKET';

/** What a traced parent hands the worker it starts. */
export interface WorkerTraceConfig {
  readonly socket: string;
  /** Labels of the shared buffers in the worker's `workerData`, in `sharedBuffersOf` order. */
  readonly labels: readonly string[];
}

/** The variables that make a child `node` process of the run load the tracer (`--import`) and find the run's socket. */
export function traceVariables(socket: string, tracerUrl: string, nodeOptions: string | undefined): Record<string, string> {
  const load = `--import ${tracerUrl}`;
  const options = nodeOptions === undefined || nodeOptions.trim() === '' ? load : nodeOptions.includes(load) ? nodeOptions : `${nodeOptions} ${load}`;
  return { [TRACE_SOCKET_ENV]: socket, NODE_OPTIONS: options };
}
