/**
 * The script of a worker run's Worker (started by worker-host.ts before anyone presses
 * Run): routes the thread's stdout and stderr into the run's byte ring (see byte-ring.ts),
 * waits for the host to name the demo, then imports it. Everything the demo prints,
 * `console.log` included, goes through the ring; when the ring is full the demo blocks
 * until the terminal takes more.
 *
 * When the run is traced (the host has put the run's trace socket in the environment it
 * shares with this thread), the tracer whose path the host passed is installed here
 * before the demo is imported.
 */
import { getEnvironmentData, setEnvironmentData } from 'node:worker_threads';
import type * as Tracer from '../tracing/node/tracer.ts';
import { TRACE_SOCKET_ENV, TRACER_PATH_KEY } from '../tracing/node/trace-environment.ts';
import { RingWriter } from './byte-ring.ts';
import { BOOTSTRAP_KEY, waitForDemo, type BootstrapData } from './worker-bootstrap-data.ts';

const data = getEnvironmentData(BOOTSTRAP_KEY) as BootstrapData | undefined;
const tracerUrl = getEnvironmentData(TRACER_PATH_KEY) as string | undefined;
if (data) {
  // The demo's own workers inherit environment data; they must not see ours.
  setEnvironmentData(BOOTSTRAP_KEY, undefined);
  setEnvironmentData(TRACER_PATH_KEY, undefined);
  const ring = new RingWriter(data.ring);
  const encoder = new TextEncoder();
  // Reused for every string, so printing leaves no off-heap garbage behind.
  const scratch = new Uint8Array(64 * 1024);
  const writeText = (text: string): void => {
    let rest = text;
    while (rest.length > 0) {
      const { read, written } = encoder.encodeInto(rest, scratch);
      if (!ring.write(scratch.subarray(0, written))) return;
      rest = rest.slice(read);
    }
  };
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof chunk !== 'string') ring.write(chunk);
      else if (typeof encoding === 'string' && !/^utf-?8$/i.test(encoding)) ring.write(Buffer.from(chunk, encoding));
      else writeText(chunk);
      if (done) queueMicrotask(() => done(null));
      return true;
    }) as typeof stream.write;
  }
  // Not awaited, so an uncaught error's stack ends in the demo and Node's loader, with no frame of ours.
  const demo = waitForDemo(data.mailbox);
  const socket = process.env[TRACE_SOCKET_ENV];
  const traced = socket !== undefined && socket !== '' && tracerUrl !== undefined ? installTracer(socket, tracerUrl, data.ring) : null;
  (traced === null ? import(demo) : traced.then(() => import(demo))).catch((error: unknown) => {
    throw error;
  });
}

/** A tracer that fails leaves the run untraced. Waits on the output ring are ours, not the demo's. */
async function installTracer(socket: string, url: string, ring: SharedArrayBuffer): Promise<void> {
  try {
    const tracer = (await import(url)) as typeof Tracer;
    await tracer.installTracer({ socket, tracerUrl: url, ignored: [ring] });
  } catch {
    // Untraced, then.
  }
}
