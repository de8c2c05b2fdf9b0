/**
 * One thread's connection to its run's trace socket (server/trace/trace-collector.ts):
 * events are gathered and written as newline-delimited JSON every 50 ms, or at once with
 * `flush()` before the thread blocks. libuv writes to a connected socket at once when
 * nothing is queued, so what `flush()` hands over has left the thread before it blocks.
 * The socket and the timer are unref'd: tracing never keeps a thread or process alive.
 * Any error ends tracing for the thread, silently: a demo's terminal never hears of it.
 */
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import type { TraceEvent } from '../../trace/trace-event.ts';

const BATCH_MS = 50;

/** Microseconds on CLOCK_MONOTONIC, the clock of every tracer of a run. */
export function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export class TraceWriter {
  private pending: string[] = [];
  private broken = false;
  private readonly timer: NodeJS.Timeout;
  private readonly beforeFlush = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('error', () => this.stop());
    socket.on('close', () => this.stop());
    socket.unref();
    this.timer = setInterval(() => this.flush(), BATCH_MS);
    this.timer.unref();
  }

  /** A writer connected to `socketPath`, or null when the socket cannot be reached. */
  static connect(socketPath: string): Promise<TraceWriter | null> {
    return new Promise((resolve) => {
      let socket: Socket;
      try {
        socket = createConnection(socketPath);
      } catch {
        resolve(null);
        return;
      }
      const fail = (): void => {
        socket.destroy();
        resolve(null);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(new TraceWriter(socket));
      });
    });
  }

  get active(): boolean {
    return !this.broken;
  }

  emit(event: TraceEvent): void {
    if (this.broken) return;
    this.pending.push(JSON.stringify(event));
  }

  /** Runs `step` before every flush (a sampler adding what it measured since the last one). */
  onFlush(step: () => void): void {
    this.beforeFlush.add(step);
  }

  /** Hands what is gathered to the socket now. */
  flush(): void {
    if (this.broken) return;
    for (const step of this.beforeFlush) step();
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    try {
      this.socket.write(text);
    } catch {
      this.stop();
    }
  }

  /** The last flush, then the end of the connection (the collector closes what is left open). */
  close(): void {
    this.flush();
    this.stop();
  }

  private stop(): void {
    if (this.broken) return;
    this.broken = true;
    this.pending = [];
    clearInterval(this.timer);
    this.socket.end();
  }
}
