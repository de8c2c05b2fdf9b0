/**
 * The side channel of one traced run: a Unix socket in a private folder that every process
 * of the run connects to (its path goes to the demo's bootstrap on the launch line and to
 * its children in `DECK_TRACE_SOCKET`), each sending trace events as newline-delimited JSON
 * (trace-event.ts). The collector checks each line, makes its time relative to the run's
 * start, and hands the events on in batches.
 *
 * A connection is one process (or one Node thread) of the run: what it opened and did not
 * close when it goes away (a thread's lane, a wait, a held lock, a task) is closed at that
 * moment, so a process killed by Stop or SIGKILL still ends its lanes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Disposable } from '../runners/runner.ts';
import { decodeTraceLine, MAX_TRACE_LINE } from './decode-trace-line.ts';
import type { TraceEvent } from './trace-event.ts';

/** Microseconds on CLOCK_MONOTONIC, the clock every tracer writes. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface TraceCollectorOptions {
  /** How often gathered events are handed on. Default 50 ms. */
  readonly batchMs?: number;
  /** Events a run may send in all; past it, what is left out is counted in one `sampled` event per batch. Default 200,000. */
  readonly maxEvents?: number;
  /** Bytes a run may send in all; past it, connections are no longer read. Default 64 MiB. */
  readonly maxBytes?: number;
}

/** What a connection opened and has not closed: ended for it when it goes away. */
interface OpenSlices {
  /** `B` events (lanes, waits) still open, per thread, innermost last. */
  readonly stacks: Map<number, TraceEvent[]>;
  /** `b` events (held locks, tasks) still open, by cat and id. */
  readonly asyncOpen: Map<string, TraceEvent>;
}

export class TraceCollector implements Disposable {
  private readonly listeners = new Set<(events: readonly TraceEvent[]) => void>();
  private readonly connections = new Set<Socket>();
  private pending: TraceEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private events = 0;
  private bytes = 0;
  private skipped = 0;
  private closed = false;
  private readonly batchMs: number;
  private readonly maxEvents: number;
  private readonly maxBytes: number;

  private constructor(
    private readonly dir: string,
    private readonly server: Server,
    /** The run's start on CLOCK_MONOTONIC, in µs: time 0 of its trace. */
    readonly originUs: number,
    options: TraceCollectorOptions,
  ) {
    this.batchMs = options.batchMs ?? 50;
    this.maxEvents = options.maxEvents ?? 200_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    server.on('connection', (socket) => this.accept(socket));
  }

  /** A collector listening on a fresh socket, with time 0 now. */
  static async open(options: TraceCollectorOptions = {}): Promise<TraceCollector> {
    const dir = await mkdtemp(path.join(tmpdir(), 'deck-trace-'));
    const server = createServer();
    const socketPath = path.join(dir, 's');
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    server.on('error', () => undefined);
    return new TraceCollector(dir, server, monotonicMicros(), options);
  }

  /** Where the run's processes connect. */
  get socketPath(): string {
    return path.join(this.dir, 's');
  }

  /** Batches of events as they come, in the order each connection sent them. */
  onEvents(listener: (events: readonly TraceEvent[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Waits up to `graceMs` for the run's connections to end by themselves (its processes are
   * gone: their last events are on their way), then ends the rest, hands on the last batch
   * and removes the socket. Safe to call more than once.
   */
  async close(graceMs = 250): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    const deadline = performance.now() + graceMs;
    while (this.connections.size > 0 && performance.now() < deadline) await new Promise<void>((resolve) => setTimeout(resolve, 10));
    for (const socket of [...this.connections]) socket.destroy();
    // A destroyed socket reports its close on a later turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.flush();
    await rm(this.dir, { recursive: true, force: true });
  }

  dispose(): void {
    void this.close(0);
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    const open: OpenSlices = { stacks: new Map(), asyncOpen: new Map() };
    let partial = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.bytes += chunk.length;
      if (this.bytes > this.maxBytes) {
        socket.destroy();
        return;
      }
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      // A line longer than any event: drop it as it comes.
      if (partial.length > MAX_TRACE_LINE) partial = '';
      for (const line of lines) this.take(line, open);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.connections.delete(socket);
      this.endOpen(open);
    });
  }

  private take(line: string, open: OpenSlices): void {
    const event = decodeTraceLine(line);
    if (event === null) return;
    const rebased = event.ph === 'M' ? { ...event, ts: 0 } : { ...event, ts: event.ts - this.originUs };
    track(rebased, open);
    this.push(rebased);
  }

  private push(event: TraceEvent): void {
    // Names and ends always pass: without them the picture would be wrong, not just lighter.
    const essential = event.ph === 'M' || event.ph === 'E' || event.ph === 'e' || event.cat === 'lane';
    if (this.events >= this.maxEvents && !essential) {
      this.skipped += 1;
      return;
    }
    this.events += 1;
    this.pending.push(event);
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.skipped > 0) {
      const now = monotonicMicros() - this.originUs;
      this.pending.push({ ph: 'i', cat: 'sampled', name: 'trace limit reached', pid: 0, tid: 0, ts: now, s: 'g', args: { skipped: this.skipped, what: 'events past the trace limit' } });
      this.skipped = 0;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const listener of [...this.listeners]) listener(batch);
  }

  /** Ends what a connection left open, at the time it went away. */
  private endOpen(open: OpenSlices): void {
    const ts = monotonicMicros() - this.originUs;
    for (const event of open.asyncOpen.values()) {
      this.push({ ph: 'e', cat: event.cat, name: event.name, pid: event.pid, tid: event.tid, ts, ...(event.id === undefined ? {} : { id: event.id }) });
    }
    for (const stack of open.stacks.values()) {
      for (const event of stack.reverse()) this.push({ ph: 'E', cat: event.cat, name: event.name, pid: event.pid, tid: event.tid, ts });
    }
    open.asyncOpen.clear();
    open.stacks.clear();
  }
}

/** Keeps what the event opens or closes in `open`. */
function track(event: TraceEvent, open: OpenSlices): void {
  if (event.ph === 'B') {
    const stack = open.stacks.get(event.tid) ?? [];
    stack.push(event);
    open.stacks.set(event.tid, stack);
  } else if (event.ph === 'E') {
    const stack = open.stacks.get(event.tid);
    stack?.pop();
    if (stack?.length === 0) open.stacks.delete(event.tid);
  } else if (event.ph === 'b') {
    open.asyncOpen.set(`${event.cat}\u0000${event.id}`, event);
  } else if (event.ph === 'e') {
    open.asyncOpen.delete(`${event.cat}\u0000${event.id}`);
  }
}
