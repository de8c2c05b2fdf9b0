/**
 * Runs a TypeScript demo in a `worker_threads` Worker of the server. The demo is compiled
 * to one `.mjs`, so `new Worker(new URL(import.meta.url), …)` inside it starts more
 * copies of the same compiled file. Its stdout and stderr both go to the terminal.
 *
 * A worker shares the server's process: it has no pid, no pty (resize is a no-op, colours
 * only via FORCE_COLOR) and no cwd of its own (`process.chdir` is not allowed in workers).
 */
import { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { compileDemo } from './compile-demo.ts';
import type { CompileOptions } from './compile-demo.ts';
import type { Disposable, RunExit, RunHandle, Runner, RunSpec } from './runner.ts';

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

const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export function createWorkerRunner(options: WorkerRunnerOptions = {}): Runner {
  return async (spec: RunSpec): Promise<RunHandle> => {
    const compiled = await compileDemo(spec.file, options);
    const worker = new Worker(compiled, {
      stdout: true,
      stderr: true,
      stdin: true,
      argv: [],
      // Not the server's own flags (e.g. `--import tsx`): the compiled demo is plain JS.
      execArgv: ['--enable-source-maps'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
      resourceLimits: { ...(options.resourceLimits ?? defaultResourceLimits) },
    });
    return new WorkerRun(worker);
  };
}

class WorkerRun implements RunHandle {
  readonly pid = null;
  private readonly dataListeners = new Set<(data: string) => void>();
  private readonly exitListeners = new Set<(exit: RunExit) => void>();
  private readonly streams: readonly Readable[];
  private readonly exited: Promise<RunExit>;
  private exit: RunExit | null = null;
  private workerExited = false;
  private uncaught: unknown = undefined;

  constructor(private readonly worker: Worker) {
    this.streams = [worker.stdout, worker.stderr];
    const ended = this.streams.map((stream) => {
      stream.setEncoding('utf8');
      // No tty between the worker and the terminal, so do the tty's newline translation here.
      stream.on('data', (chunk: string) => this.emitData(chunk.replace(/(?<!\r)\n/g, '\r\n')));
      return new Promise<void>((resolve) => stream.once('end', resolve).once('close', resolve));
    });
    worker.on('error', (error) => {
      this.uncaught = error;
    });
    const workerExit = new Promise<number>((resolve) => worker.once('exit', resolve));
    // onExit waits for the streams to drain, so it really comes after the last output.
    this.exited = Promise.all([workerExit, ...ended]).then(([code]) => {
      this.workerExited = true;
      if (this.uncaught !== undefined) this.emitData(`${RED}${describe(this.uncaught)}${RESET}\r\n`);
      const exit: RunExit = { code: this.uncaught !== undefined && code === 0 ? 1 : code, signal: null };
      this.exit = exit;
      for (const listener of [...this.exitListeners]) listener(exit);
      this.exitListeners.clear();
      this.dataListeners.clear();
      return exit;
    });
  }

  onData(listener: (data: string) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onExit(listener: (exit: RunExit) => void): Disposable {
    const exit = this.exit;
    if (exit) {
      queueMicrotask(() => listener(exit));
      return { dispose: () => undefined };
    }
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
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
      this.emitData(typed.replace(/\n/g, '\r\n'));
      stdin.write(typed);
    }
    if (eof !== -1) stdin.end();
  }

  resize(): void {
    // A worker has no terminal to resize.
  }

  pause(): void {
    for (const stream of this.streams) stream.pause();
  }

  resume(): void {
    for (const stream of this.streams) stream.resume();
  }

  async kill(): Promise<void> {
    if (!this.exit) {
      // Let what is buffered drain, or the streams never end and the run never exits.
      this.resume();
      await this.worker.terminate();
    }
    await this.exited;
  }

  private emitData(data: string): void {
    for (const listener of [...this.dataListeners]) listener(data);
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `Uncaught ${String(error)}`;
  return text.replace(/\r?\n/g, '\r\n');
}
