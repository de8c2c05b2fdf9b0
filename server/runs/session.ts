/**
 * One page's socket: validates every frame, multiplexes that page's runs, and ends them
 * all when the socket closes. The page names a demo by its key; what runs, and under which
 * limits, comes from the server's own deck.
 */
import path from 'node:path';
import type { WebSocket } from 'ws';
import { encodeServerMessage, type ClientMessage, type RunRequest, type RuntimeName, type ServerMessageMap, type ServerMessageType } from '../protocol.ts';
import type { RunHandle, RunnerRegistry } from '../runners/runner.ts';
import { decodeClientMessage } from './decode-client-message.ts';
import { Run, type FlowOptions, type RunLimits } from './run.ts';
import type { RunBudget } from './run-budget.ts';

/** A demo of the deck, resolved to what the server runs. */
export interface RunTarget extends RunLimits {
  readonly runtime: RuntimeName;
  /** Absolute path inside `demos/`. */
  readonly file: string;
}

export interface SessionOptions {
  readonly runners: RunnerRegistry;
  /** The deck's demo with this key, or why there is none. */
  readonly resolveDemo: (key: string) => RunTarget | string;
  readonly memoryLimitBytes: number;
  readonly flow: FlowOptions;
  /** Runs one page may have at once. */
  readonly maxRunsPerPage: number;
  /** Runs the whole server may have at once; shared by every session. */
  readonly budget: RunBudget;
}

export class Session {
  private readonly runs = new Map<string, Run>();
  /** Runs whose runner is still starting (compiling, spawning), by id. */
  private readonly starting = new Map<string, Promise<void>>();
  /** Starting runs the page already asked to stop. */
  private readonly stopRequested = new Set<string>();
  private closed: 'disconnected' | 'shutdown' | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SessionOptions,
  ) {}

  get runCount(): number {
    return this.runs.size;
  }

  /** Handles one frame; a bad frame is answered with an `error`, never thrown. */
  receive(raw: string): void {
    const decoded = decodeClientMessage(raw);
    if (!decoded.ok) {
      this.send('error', { message: decoded.error });
      return;
    }
    const message = decoded.message;
    if (message.type === 'run') {
      this.start(message);
      return;
    }
    this.forward(message);
  }

  /** Ends every run of this page; resolves when all have exited. */
  async close(reason: 'disconnected' | 'shutdown'): Promise<void> {
    this.closed = reason;
    await Promise.all(this.starting.values());
    await Promise.all([...this.runs.values()].map((run) => run.end(reason)));
  }

  private forward(message: Exclude<ClientMessage, RunRequest>): void {
    const run = this.runs.get(message.run);
    if (!run) {
      if (message.type === 'stop' && this.starting.has(message.run)) {
        this.stopRequested.add(message.run);
        return;
      }
      // A terminal still drawing a finished run's output acks it, and may resize: routine, not an error.
      if (message.type !== 'ack' && message.type !== 'resize') this.send('error', { run: message.run, message: `no run "${message.run}" on this page` });
      return;
    }
    switch (message.type) {
      case 'input':
        run.write(message.data);
        break;
      case 'resize':
        run.resize(message.cols, message.rows);
        break;
      case 'stop':
        void run.end('stopped');
        break;
      case 'ack':
        run.acknowledge(message.bytes);
        break;
    }
  }

  private start(request: RunRequest): void {
    const { run: id } = request;
    if (this.closed) return;
    if (this.runs.has(id) || this.starting.has(id)) {
      this.send('error', { run: id, message: `run "${id}" is already running` });
      return;
    }
    const target = this.options.resolveDemo(request.demo);
    if (typeof target === 'string') {
      this.failToStart(id, target);
      return;
    }
    if (this.runs.size + this.starting.size >= this.options.maxRunsPerPage) {
      this.failToStart(id, `too many runs: a page may have ${this.options.maxRunsPerPage} at once; stop one first`);
      return;
    }
    if (!this.options.budget.take()) {
      this.failToStart(id, `too many runs: the server runs at most ${this.options.budget.max} at once; stop one first`);
      return;
    }
    this.starting.set(id, this.launch(id, target, request));
  }

  private async launch(id: string, target: RunTarget, request: RunRequest): Promise<void> {
    let handle: RunHandle;
    try {
      const runner = this.options.runners[target.runtime];
      handle = await runner.start({ file: target.file, cwd: path.dirname(target.file), cols: request.cols, rows: request.rows, memoryLimitBytes: this.options.memoryLimitBytes });
    } catch (error) {
      this.options.budget.give();
      this.failToStart(id, error instanceof Error ? error.message : String(error));
      return;
    } finally {
      this.starting.delete(id);
    }
    const stopped = this.stopRequested.delete(id);
    const run = new Run(id, handle, target, this.options.flow, {
      output: (payload) => this.send('output', payload, () => this.reviewFlow()),
      backlog: () => this.socket.bufferedAmount,
      exit: (payload) => {
        this.runs.delete(id);
        this.options.budget.give();
        this.send('exit', payload);
      },
    });
    this.runs.set(id, run);
    this.send('started', { run: id, pid: run.pid });
    if (this.closed) await run.end(this.closed);
    else if (stopped) await run.end('stopped');
  }

  /** The socket wrote some of its backlog: runs paused on it may go on. */
  private reviewFlow(): void {
    for (const run of this.runs.values()) run.reviewFlow();
  }

  private failToStart(id: string, message: string): void {
    this.send('exit', { run: id, code: null, signal: null, durationMs: 0, reason: 'error', message });
  }

  private send<K extends ServerMessageType>(type: K, payload: ServerMessageMap[K], written?: () => void): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(encodeServerMessage(type, payload), written && ((error) => { if (!error) written(); }));
  }
}
