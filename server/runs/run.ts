/**
 * One run of one demo. It owns the runner's handle, its listeners, its timers and its kill
 * step: the run ending by itself, Stop, a limit and the server shutting down all end in the
 * same `end()`, and its sink always gets exactly one `exit`. Where the output goes, and how
 * far behind its readers are, is the sink's business (the run hub fans it out to pages).
 */
import type { ExitReason, RunEnd } from '../run-outcome.ts';
import type { Disposable, RunExit, RunHandle } from '../runners/runner.ts';

export interface RunLimits {
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

export interface FlowOptions {
  readonly highWatermark: number;
  readonly lowWatermark: number;
  readonly batchIntervalMs: number;
  readonly maxBatchBytes: number;
}

export interface RunSink {
  output(data: string): void;
  /** How far the slowest reader that paces this run is behind the output handed to `output`. */
  lag(): number;
  exit(end: RunEnd): void;
}

export class Run {
  private readonly started = performance.now();
  private readonly disposables: Disposable[] = [];
  private batch = '';
  /** While set, output is gathered instead of sent (see `enqueue`). */
  private batchWindow: NodeJS.Timeout | null = null;
  private readonly limitTimer: NodeJS.Timeout;
  private outputBytes = 0;
  private paused = false;
  private endReason: ExitReason | null = null;
  private endMessage: string | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly handle: RunHandle,
    private readonly limits: RunLimits,
    private readonly flow: FlowOptions,
    private readonly sink: RunSink,
  ) {
    this.disposables.push(handle.onData((data) => this.onData(data)));
    this.exited = new Promise((resolve) => {
      this.disposables.push(
        handle.onExit((exit) => {
          this.onExit(exit);
          resolve();
        }),
      );
    });
    this.limitTimer = setTimeout(() => {
      void this.end('timeout', `time limit of ${formatSeconds(limits.timeoutMs)} reached`);
    }, limits.timeoutMs);
  }

  get pid(): number | null {
    return this.handle.pid;
  }

  write(data: string): void {
    if (this.endReason === null) this.handle.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.endReason === null) this.handle.resize(cols, rows);
  }

  /** Resumes a paused run once its readers have caught up (call it when one reports progress). */
  reviewFlow(): void {
    if (this.paused && this.sink.lag() <= this.flow.lowWatermark) {
      this.paused = false;
      this.handle.resume();
    }
  }

  /** Ends the run for `reason` and resolves once it has exited. The first reason wins. */
  async end(reason: ExitReason, message?: string): Promise<void> {
    if (this.endReason === null) {
      this.endReason = reason;
      this.endMessage = message;
      // A paused pty holds back its close, and with it the exit: let it drain.
      if (this.paused) {
        this.paused = false;
        this.handle.resume();
      }
      await this.handle.kill();
    }
    await this.exited;
  }

  private onData(data: string): void {
    if (this.endReason === 'output-limit') return;
    const room = this.limits.maxOutputBytes - this.outputBytes;
    if (data.length > room) {
      this.enqueue(data.slice(0, Math.max(0, room)));
      this.outputBytes = this.limits.maxOutputBytes;
      void this.end('output-limit', `output limit of ${formatBytes(this.limits.maxOutputBytes)} reached`);
      return;
    }
    this.outputBytes += data.length;
    this.enqueue(data);
  }

  /**
   * Output after a quiet spell goes out at once, so the first line of a run costs no
   * wait; what follows within the batch interval travels together in one frame. The
   * window stays open while output keeps coming, so a flood travels in full batches
   * instead of a lone chunk at the start of every interval.
   */
  private enqueue(data: string): void {
    if (data.length === 0) return;
    this.batch += data;
    if (this.batchWindow === null) {
      this.flush();
      this.openBatchWindow();
    } else if (this.batch.length >= this.flow.maxBatchBytes) {
      this.flush();
    }
  }

  /** Sends what gathered at the end of the interval; an interval with nothing gathered closes the window. */
  private openBatchWindow(): void {
    this.batchWindow = setTimeout(() => {
      this.batchWindow = null;
      if (this.batch.length === 0) return;
      this.flush();
      this.openBatchWindow();
    }, this.flow.batchIntervalMs);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const data = this.batch;
    this.batch = '';
    this.sink.output(data);
    if (!this.paused && this.endReason === null && this.sink.lag() >= this.flow.highWatermark) {
      this.paused = true;
      this.handle.pause();
    }
  }

  private onExit(exit: RunExit): void {
    if (this.batchWindow) clearTimeout(this.batchWindow);
    this.batchWindow = null;
    this.flush();
    clearTimeout(this.limitTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    // The runner's own limit counts only when nothing of ours ended the run first.
    const runnerLimit = this.endReason === null ? exit.limit : undefined;
    const reason = this.endReason ?? runnerLimit?.kind ?? 'exit';
    const message = this.endMessage ?? runnerLimit?.message;
    this.sink.exit({
      code: exit.code,
      signal: exit.signal,
      durationMs: Math.round(performance.now() - this.started),
      reason,
      ...(message === undefined ? {} : { message }),
    });
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number(seconds < 1 ? seconds.toPrecision(2) : seconds.toFixed(1))} s`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} kB`;
  return `${bytes} bytes`;
}
