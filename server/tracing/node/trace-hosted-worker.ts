/**
 * A worker run's host (runners/worker-host.ts) is no part of the demo: it draws no lane
 * of its own, only the demo's thread, named "main" as a process's main thread would be,
 * from the demo's start to its exit with the code. The demo's thread traces itself.
 */
import type { Worker } from 'node:worker_threads';
import { ThreadTrace } from './thread-trace.ts';
import { TraceWriter } from './trace-writer.ts';

const LANE = 'main';

export async function traceHostedWorker(worker: Worker, socket: string): Promise<void> {
  const writer = await TraceWriter.connect(socket);
  if (writer === null) return;
  const trace = new ThreadTrace(writer, 0);
  // It reads -1 once the worker has exited.
  const tid = worker.threadId;
  trace.name('process_name', LANE);
  trace.name('thread_name', LANE, tid);
  trace.lane('B', LANE, 'worker', tid);
  writer.flush();
  worker.once('exit', (code) => {
    trace.lane('E', LANE, 'worker', tid, { code });
    writer.close();
  });
}
