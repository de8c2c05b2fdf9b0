/**
 * The Node tracer, compiled to one file (node-process-runner.ts and worker-runner.ts hand
 * its path to their bootstraps). Loaded three ways:
 * - by a bootstrap, when its run is traced: it calls `installTracer` itself, and
 *   `traceHostedWorker` in a worker run's host;
 * - by `NODE_OPTIONS=--import` in each child `node` process of a traced run
 *   (`DECK_TRACE_SOCKET` set): it installs itself before the child's main module, its lane
 *   named from the child's arguments (`node demo.mjs worker 2` → "worker 2");
 * - by the wrapper of a worker that a traced thread starts (patch-worker.ts): it installs
 *   itself from the worker's environment data before the worker's script.
 * Anywhere else, importing it does nothing.
 */
import path from 'node:path';
import { getEnvironmentData, isMainThread, parentPort, setEnvironmentData, workerData } from 'node:worker_threads';
import { installTracer } from './install-tracer.ts';
import { TRACE_SOCKET_ENV, WORKER_TRACE_KEY } from './trace-environment.ts';
import type { WorkerTraceConfig } from './trace-environment.ts';

export { installTracer } from './install-tracer.ts';
export { traceHostedWorker } from './trace-hosted-worker.ts';

const tracerUrl = import.meta.url;

/** What names a child process's lane: its arguments, else its script's name. */
function nameOfProcess(argv: readonly string[]): string {
  const args = argv.slice(2).join(' ');
  return args !== '' ? args : `${path.basename(argv[1] ?? 'node').replace(/(-[0-9a-f]{12})?\.[cm]?js$/, '')} ${process.pid}`;
}

if (isMainThread) {
  const socket = process.env[TRACE_SOCKET_ENV];
  if (socket !== undefined && socket !== '') await installTracer({ socket, tracerUrl, processName: nameOfProcess(process.argv) }).catch(() => false);
} else {
  const config = getEnvironmentData(WORKER_TRACE_KEY) as WorkerTraceConfig | undefined;
  if (config !== undefined && parentPort !== null) {
    // Workers this one starts must not take it for theirs.
    setEnvironmentData(WORKER_TRACE_KEY, undefined);
    await installTracer({ socket: config.socket, tracerUrl, parent: { port: parentPort, workerData: workerData as unknown, labels: config.labels } }).catch(() => false);
  }
}
