/**
 * Installs the tracer in the calling thread, before the demo's code runs there: connects
 * to the run's socket (awaited, so the first events go out at once), then patches what
 * this thread's demo code may use. Every Node thread and process of a traced run gets its
 * own connection; when it goes away, the collector closes what it left open.
 */
import { threadId } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { patchAtomicsWait } from './patch-atomics-wait.ts';
import { patchChildProcess } from './patch-child-process.ts';
import { patchParentPort } from './patch-parent-port.ts';
import { patchWorker } from './patch-worker.ts';
import { sampleRunning } from './sample-running.ts';
import { SharedBufferLabels, sharedBuffersOf } from './shared-buffers.ts';
import { ThreadTrace } from './thread-trace.ts';
import { TRACE_SOCKET_ENV } from './trace-environment.ts';
import { TraceWriter } from './trace-writer.ts';

export interface TracerOptions {
  /** The run's trace socket. */
  readonly socket: string;
  /** `file:` URL of the compiled tracer, loaded by the demo's workers and child processes. */
  readonly tracerUrl: string;
  /** A process's main thread draws its own lane, with this name; a worker's lane is drawn by its parent. */
  readonly processName?: string;
  /** A worker started by a traced parent: its messages with the parent, and the labels of the shared buffers in its `workerData`. */
  readonly parent?: { readonly port: MessagePort; readonly workerData: unknown; readonly labels: readonly string[] };
  /** Shared buffers of ours (the worker run's output ring) whose waits are no part of the demo. */
  readonly ignored?: readonly SharedArrayBuffer[];
}

/** True once the tracer runs in this thread. */
export async function installTracer(options: TracerOptions): Promise<boolean> {
  const writer = await TraceWriter.connect(options.socket);
  if (writer === null) return false;
  const trace = new ThreadTrace(writer, threadId);
  const labels = new SharedBufferLabels(`${trace.tid}.`);
  if (options.parent) labels.adopt(sharedBuffersOf(options.parent.workerData), options.parent.labels);
  if (options.processName !== undefined) {
    trace.name('process_name', options.processName);
    trace.name('thread_name', options.processName);
    trace.lane('B', options.processName, 'process');
  }
  const blocked = patchAtomicsWait(trace, labels, new Set(options.ignored ?? []));
  sampleRunning(trace, blocked);
  patchWorker(trace, labels, options.socket, options.tracerUrl);
  if (options.parent) patchParentPort(trace, options.parent.port);
  patchChildProcess({ [TRACE_SOCKET_ENV]: options.socket, NODE_OPTIONS: `--import ${options.tracerUrl}` });
  process.once('exit', (code) => {
    if (options.processName !== undefined) trace.lane('E', options.processName, 'process', 0, { code: process.exitCode === undefined ? code : Number(process.exitCode) });
    writer.close();
  });
  writer.flush();
  return true;
}
