/**
 * Traces the demo's own worker threads, with no change to its code: `worker_threads.Worker`
 * becomes a subclass (and `syncBuiltinESMExports` shows it to ESM named imports) that
 * - starts the script through a few lines of `eval` code that load the tracer into the new
 *   thread, then import the original script: `workerData`, `argv` (argv[1] is set back to
 *   the script's path), `env`, `resourceLimits`, the script's `import.meta.url` and
 *   `isMainThread` are what they would be untraced;
 * - draws the worker's lane from its start (the constructor) to its exit, with the code;
 * - writes the `message` flow of each message posted to the worker (`s`) and of each
 *   message it receives from it (`f`); the worker's side writes the other ends.
 * A worker given `eval` code, or a `data:` URL, runs as given: its lane and messages show,
 * not what happens inside it.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';
import { sharedBuffersOf } from './shared-buffers.ts';
import type { SharedBufferLabels } from './shared-buffers.ts';
import type { ThreadTrace } from './thread-trace.ts';
import { WORKER_TRACE_KEY } from './trace-environment.ts';
import { nowMicros } from './trace-writer.ts';
import type { WorkerTraceConfig } from './trace-environment.ts';

const workerThreads = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;

/** The flow id of message `seq` to (`d`) or from (`u`) worker `tid` of process `pid`. */
export function messageId(pid: number, tid: number, direction: 'd' | 'u', seq: number): string {
  return `${pid}:${tid}${direction}${seq}`;
}

export function patchWorker(trace: ThreadTrace, labels: SharedBufferLabels, socket: string, tracerUrl: string): void {
  const Original = workerThreads.Worker;
  class Worker extends Original {
    private sent = 0;
    private received = 0;
    private readonly laneName: string;
    /** `threadId` reads -1 once the worker has exited. */
    private readonly tid: number;

    constructor(filename: string | URL, options: WorkerThreads.WorkerOptions = {}) {
      const script = scriptOf(filename, options);
      const config: WorkerTraceConfig = { socket, labels: script === null ? [] : sharedBuffersOf(options.workerData).map((buffer) => labels.labelOf(buffer)) };
      if (script !== null) workerThreads.setEnvironmentData(WORKER_TRACE_KEY, config as unknown as WorkerThreads.Serializable);
      try {
        super(script === null ? filename : wrapperOf(tracerUrl, script), script === null ? options : { ...options, eval: true });
      } finally {
        if (script !== null) workerThreads.setEnvironmentData(WORKER_TRACE_KEY, undefined);
      }
      this.tid = this.threadId;
      const given = (options as { readonly name?: unknown }).name;
      this.laneName = typeof given === 'string' && given !== '' ? given : `worker ${this.tid}`;
      trace.name('thread_name', this.laneName, this.tid);
      trace.lane('B', this.laneName, 'worker', this.tid);
    }

    override postMessage(...args: Parameters<WorkerThreads.Worker['postMessage']>): void {
      this.sent += 1;
      if (trace.budget.allow('messages', nowMicros())) {
        trace.emit({ ph: 's', cat: 'message', name: 'message', id: messageId(trace.pid, this.tid, 'd', this.sent) });
      }
      super.postMessage(...args);
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'message') {
        this.received += 1;
        if (trace.budget.allow('messages', nowMicros())) {
          trace.emit({ ph: 'f', cat: 'message', name: 'message', bp: 'e', id: messageId(trace.pid, this.tid, 'u', this.received) });
        }
      } else if (event === 'exit') {
        const code = args[0];
        trace.lane('E', this.laneName, 'worker', this.tid, typeof code === 'number' ? { code } : {});
        trace.writer.flush();
      }
      return super.emit(event, ...args);
    }
  }
  workerThreads.Worker = Worker;
  syncBuiltinESMExports();
}

/** The script's URL and path when the worker runs a file of its own (not eval code, not a `data:` URL). */
function scriptOf(filename: string | URL, options: WorkerThreads.WorkerOptions): { readonly url: string; readonly path: string } | null {
  if (options.eval === true) return null;
  if (filename instanceof URL) return filename.protocol === 'file:' ? { url: filename.href, path: fileURLToPath(filename) } : null;
  if (typeof filename !== 'string' || !(path.isAbsolute(filename) || /^\.\.?[\\/]/.test(filename))) return null;
  const absolute = path.resolve(filename);
  return { url: pathToFileURL(absolute).href, path: absolute };
}

/** Loads the tracer (whatever becomes of it), then the script, whose errors stay the worker's errors. */
function wrapperOf(tracerUrl: string, script: { readonly url: string; readonly path: string }): string {
  return [
    `process.argv[1] = ${JSON.stringify(script.path)};`,
    `import(${JSON.stringify(tracerUrl)}).catch(() => undefined).then(() => import(${JSON.stringify(script.url)}));`,
  ].join('\n');
}
