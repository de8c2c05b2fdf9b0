/**
 * The process of a `worker` run: `node --enable-source-maps worker-host.mjs
 * <worker-bootstrap.mjs> <resource limits as JSON>` (both compiled), in the run's pty.
 * The demo still runs as the script of a `worker_threads` Worker (`isMainThread` is false
 * there, it may start workers of its own), but in a process of its own, so Stop, the
 * memory limit, its child processes and a `process.kill(process.pid)` end this host and
 * never the server.
 *
 * Started before anyone presses Run, it starts the Worker at once (the thread boots while
 * nobody waits) and waits for its demo (launch-line.ts), then posts the demo to the
 * Worker's mailbox. The Worker's output comes through the byte ring, which this thread
 * copies into the terminal with blocking writes: a full or stopped (XOFF) terminal stops
 * the copy, the ring fills, and the demo blocks, as a process in a pty would. What is
 * typed into the terminal (echoed and line-edited by the tty) goes to the Worker's stdin;
 * Ctrl-D ends it. The host exits with the Worker's exit code; an uncaught error is shown
 * in red, and exits 1.
 *
 * Its last argument is the compiled tracer (tracing/node/tracer.ts): when the run is
 * traced, the host draws the demo thread's lane and sets the environment (shared with the
 * Worker) that tells the demo's thread, and every `node` it starts, to trace themselves.
 */
import { pathToFileURL } from 'node:url';
import { setEnvironmentData, SHARE_ENV, Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import type * as Tracer from '../tracing/node/tracer.ts';
import { TRACER_PATH_KEY, traceVariables } from '../tracing/node/trace-environment.ts';
import { createRingBuffer, RingReader } from './byte-ring.ts';
import { closeInheritedDescriptors, waitForLaunch, writeAll } from './node-handshake.ts';
import { BOOTSTRAP_KEY, createMailbox, postDemo, waitForWorker } from './worker-bootstrap-data.ts';
import type { BootstrapData } from './worker-bootstrap-data.ts';

/** Output the demo may have written ahead of the terminal; past it the demo waits. */
const RING_BYTES = 256 * 1024;
/** Past it the host says it is ready anyway; the demo then waits for its worker to boot. */
const WORKER_BOOT_TIMEOUT_MS = 10_000;
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

closeInheritedDescriptors();
const [workerBootstrap = '', limits = '{}', tracerFile] = process.argv.slice(2);
const tracerUrl = tracerFile === undefined ? undefined : pathToFileURL(tracerFile).href;

const ringBuffer = createRingBuffer(RING_BYTES);
const ring = new RingReader(ringBuffer);
// Before the demo can run: it may signal itself at once.
passOnOutputWhenSignalled();
const mailbox = createMailbox();
// Read by the bootstrap as the worker starts; set and cleared around the synchronous constructor.
setEnvironmentData(BOOTSTRAP_KEY, { ring: ringBuffer, mailbox } satisfies BootstrapData);
setEnvironmentData(TRACER_PATH_KEY, tracerUrl);
const worker = new Worker(workerBootstrap, {
  stdout: true,
  stderr: true,
  stdin: true,
  argv: [],
  execArgv: ['--enable-source-maps'],
  // The run's own process: the demo sees its environment, PWD included, as this host sets it.
  env: SHARE_ENV,
  resourceLimits: JSON.parse(limits) as ResourceLimits,
});
setEnvironmentData(BOOTSTRAP_KEY, undefined);
setEnvironmentData(TRACER_PATH_KEY, undefined);
let uncaught: unknown = undefined;
worker.on('error', (error) => {
  uncaught = error;
});
// Not `events.once`: that would reject on the worker's 'error', which is the demo's to report.
const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

// Ready means ready: the worker has booted and waits too. (A worker that cannot boot reports its error once it runs.)
waitForWorker(mailbox, WORKER_BOOT_TIMEOUT_MS);
const { cwd, file, trace } = waitForLaunch();
process.chdir(cwd);
process.env.PWD = cwd;
if (trace !== null && tracerUrl !== undefined) await traceRun(trace, tracerUrl);
postDemo(mailbox, pathToFileURL(file).href);

const streamsEnded = [
  [worker.stdout, 1],
  [worker.stderr, 2],
].map(([stream, fd]) => {
  const readable = stream as NodeJS.ReadableStream;
  readable.on('data', (chunk: Buffer) => writeAll(fd as number, chunk));
  return new Promise<void>((resolve) => readable.once('end', resolve).once('close', resolve));
});
forwardInput();

const [code] = await Promise.all([exited, pump(), ...streamsEnded]);
if (uncaught !== undefined) writeAll(2, `${RED}${describe(uncaught)}${RESET}\n`);
process.exit(uncaught !== undefined && code === 0 ? 1 : code);

/** The demo's thread gets its lane; the environment it shares with this host tells it, and its children, to trace themselves. */
async function traceRun(socket: string, url: string): Promise<void> {
  try {
    const tracer = (await import(url)) as typeof Tracer;
    await tracer.traceHostedWorker(worker, socket);
    Object.assign(process.env, traceVariables(socket, url, process.env.NODE_OPTIONS));
  } catch {
    // Tracing is off for this run; the demo runs as untraced.
  }
}

/** Copies the ring into the terminal until the worker has exited and the ring is empty. */
async function pump(): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
    // Wakes a pending `readable()`.
    ring.close();
  });
  for (;;) {
    if (ring.read((bytes) => writeAll(1, bytes)) > 0) continue;
    if (gone) return;
    await ring.readable();
  }
}

/**
 * A process writes to its terminal itself; a worker's output is still in the ring when
 * the process is signalled (`process.kill(process.pid)` in the demo, Ctrl-C, Stop's
 * SIGTERM). Copy it out, then die of the signal as Node would have.
 */
function passOnOutputWhenSignalled(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      ring.read((bytes) => writeAll(1, bytes));
      process.kill(process.pid, signal);
    });
  }
}

/** The terminal's input, line-edited and echoed by the tty, becomes the worker's stdin; Ctrl-D ends it. */
function forwardInput(): void {
  const stdin = worker.stdin;
  if (!stdin) return;
  // The worker may be gone while a line is still on its way.
  stdin.on('error', () => undefined);
  process.stdin.on('data', (chunk: Buffer) => stdin.write(chunk));
  process.stdin.once('end', () => stdin.end());
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `Uncaught ${String(error)}`;
}
