/**
 * Runs a TypeScript demo in a `worker_threads` Worker of the server. The demo is compiled
 * to one `.mjs`, so `new Worker(new URL(import.meta.url), …)` inside it starts more
 * copies of the same compiled file. Its stdout and stderr both go to the terminal,
 * through a byte ring (byte-ring.ts) that blocks the demo while the page falls behind.
 *
 * A worker shares the server's process: it has no pid, no pty (resize is a no-op, colours
 * only via FORCE_COLOR) and no cwd of its own (`process.chdir` is not allowed in workers).
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setEnvironmentData, Worker } from 'node:worker_threads';
import { createRingBuffer, RingReader } from './byte-ring.ts';
import { compileDemo } from './compile-demo.ts';
import { BOOTSTRAP_KEY, type BootstrapData } from './worker-bootstrap-data.ts';
import type { CompileOptions } from './compile-demo.ts';
import type { Disposable, RunExit, RunHandle, Runner, RunSpec } from './runner.ts';
import { RunEvents } from './run-events.ts';

export interface WorkerRunnerOptions extends CompileOptions {
  /** V8 heap limits of the demo's worker, so a runaway demo dies alone instead of taking the server with it. */
  readonly resourceLimits?: ResourceLimits;
}

export interface ResourceLimits {
  readonly maxOldGenerationSizeMb?: number;
  readonly maxYoungGenerationSizeMb?: number;
  readonly codeRangeSizeMb?: number;
  readonly stackSizeMb?: number;
}

export const defaultResourceLimits: ResourceLimits = {
  maxOldGenerationSizeMb: 512,
  maxYoungGenerationSizeMb: 64,
  stackSizeMb: 4,
};

/** Output a worker may have written but the page not yet taken; past it the demo waits. */
const RING_BYTES = 256 * 1024;
const bootstrapFile = fileURLToPath(new URL('./worker-bootstrap.ts', import.meta.url));

const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export function createWorkerRunner(options: WorkerRunnerOptions = {}): Runner {
  let bootstrap: Promise<string> | null = null;
  const start = async (spec: RunSpec): Promise<RunHandle> => {
    // The bootstrap is part of the server, not of the deck: it cannot change while the server runs.
    bootstrap ??= compileDemo(bootstrapFile, options);
    const [compiledBootstrap, compiled] = await Promise.all([bootstrap, compileDemo(spec.file, options)]);
    const ring = createRingBuffer(RING_BYTES);
    // Read by the bootstrap as the worker starts; set and cleared around the synchronous constructor.
    setEnvironmentData(BOOTSTRAP_KEY, { demoUrl: pathToFileURL(compiled).href, ring } satisfies BootstrapData);
    const worker = new Worker(compiledBootstrap, {
      stdout: true,
      stderr: true,
      stdin: true,
      argv: [],
      // Not the server's own flags (e.g. `--import tsx`): the compiled demo is plain JS.
      execArgv: ['--enable-source-maps'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
      resourceLimits: { ...(options.resourceLimits ?? defaultResourceLimits) },
    });
    setEnvironmentData(BOOTSTRAP_KEY, undefined);
    return new WorkerRun(worker, new RingReader(ring));
  };
  return { start, prepare: async () => undefined, dispose: async () => undefined };
}

class WorkerRun implements RunHandle {
  readonly pid = null;
  private readonly events = new RunEvents();
  private readonly streams: readonly Readable[];
  private readonly exited: Promise<RunExit>;
  private workerExited = false;
  private uncaught: unknown = undefined;
  private paused = false;
  private resumed: () => void = () => undefined;

  constructor(
    private readonly worker: Worker,
    private readonly ring: RingReader,
  ) {
    this.streams = [worker.stdout, worker.stderr];
    const ended = this.streams.map((stream) => {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.events.emitData(translateNewlines(chunk)));
      return new Promise<void>((resolve) => stream.once('end', resolve).once('close', resolve));
    });
    worker.on('error', (error) => {
      this.uncaught = error;
    });
    const workerExit = new Promise<number>((resolve) => worker.once('exit', resolve));
    const pumped = this.pump(workerExit);
    // onExit waits for the ring and the streams to drain, so it really comes after the last output.
    this.exited = Promise.all([workerExit, pumped, ...ended]).then(([code]) => {
      this.workerExited = true;
      if (this.uncaught !== undefined) this.events.emitData(`${RED}${describe(this.uncaught)}${RESET}\r\n`);
      const exit: RunExit = { code: this.uncaught !== undefined && code === 0 ? 1 : code, signal: null };
      this.events.emitExit(exit);
      return exit;
    });
  }

  onData(listener: (data: string) => void): Disposable {
    return this.events.onData(listener);
  }

  onExit(listener: (exit: RunExit) => void): Disposable {
    return this.events.onExit(listener);
  }

  /**
   * A worker has no tty, so this plays the small part of its line discipline a demo needs:
   * echo what is typed, Enter as a newline, Ctrl-D as end of input. (Node keeps a worker
   * that has read stdin alive until its stdin ends, so Ctrl-D is how such a demo finishes.)
   */
  write(data: string): void {
    const stdin = this.worker.stdin;
    if (this.workerExited || !stdin || stdin.writableEnded || stdin.destroyed) return;
    const eof = data.indexOf('\x04');
    const typed = (eof === -1 ? data : data.slice(0, eof)).replace(/\r\n?/g, '\n');
    if (typed) {
      this.events.emitData(typed.replace(/\n/g, '\r\n'));
      stdin.write(typed);
    }
    if (eof !== -1) stdin.end();
  }

  resize(): void {
    // A worker has no terminal to resize.
  }

  pause(): void {
    this.paused = true;
    for (const stream of this.streams) stream.pause();
  }

  resume(): void {
    this.paused = false;
    this.resumed();
    for (const stream of this.streams) stream.resume();
  }

  async kill(): Promise<void> {
    if (!this.events.exit) {
      // A demo blocked on a full ring must not wait for a page that stopped reading.
      this.ring.close();
      // Let what is buffered drain, or the streams never end and the run never exits.
      this.resume();
      await this.worker.terminate();
    }
    await this.exited;
  }

  /** Moves the demo's output from the ring to the listeners, unless paused, until the worker has exited and the ring is empty. */
  private async pump(workerExit: Promise<number>): Promise<void> {
    const decoder = new StringDecoder('utf8');
    let gone = false;
    void workerExit.then(() => {
      gone = true;
      // Wakes a pending `readable()`.
      this.ring.close();
    });
    for (;;) {
      if (this.paused) await new Promise<void>((resolve) => (this.resumed = resolve));
      let text = '';
      const count = this.ring.read((bytes) => (text += decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))));
      if (count > 0) this.events.emitData(translateNewlines(text));
      else if (gone) break;
      else await this.ring.readable();
    }
    const rest = decoder.end();
    if (rest) this.events.emitData(translateNewlines(rest));
  }

}

/** No tty between the worker and the terminal, so do the tty's newline translation here. */
function translateNewlines(text: string): string {
  return text.replace(/(?<!\r)\n/g, '\r\n');
}

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `Uncaught ${String(error)}`;
  return text.replace(/\r?\n/g, '\r\n');
}
