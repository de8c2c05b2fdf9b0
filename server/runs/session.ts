/**
 * One page's socket: validates every frame, multiplexes that page's runs, and ends them
 * all when the socket closes.
 */
import path from 'node:path';
import type { WebSocket } from 'ws';
import { decodeClientMessage, encodeServerMessage, type ClientMessage, type RunRequest, type ServerMessageMap, type ServerMessageType } from '../protocol.ts';
import type { RunnerRegistry } from '../runners/runner.ts';
import { Run, type FlowOptions } from './run.ts';

export interface SessionOptions {
  readonly runners: RunnerRegistry;
  /** Resolves a demo id to an absolute file inside `demos/`, or null. */
  readonly resolveDemo: (id: string) => string | null;
  readonly defaultTimeoutMs: number;
  readonly defaultMaxOutputBytes: number;
  readonly memoryLimitBytes: number;
  readonly flow: FlowOptions;
}

export class Session {
  private readonly runs = new Map<string, Run>();
  /** Runs whose runner is still starting (compiling, spawning), by id. */
  private readonly starting = new Map<string, Promise<void>>();
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
    const file = this.options.resolveDemo(request.demo);
    if (!file) {
      this.failToStart(id, `unknown demo "${request.demo}": not a file inside demos/`);
      return;
    }
    this.starting.set(id, this.launch(request, file));
  }

  private async launch(request: RunRequest, file: string): Promise<void> {
    const id = request.run;
    let handle;
    try {
      handle = await this.options.runners[request.runtime].start({ file, cwd: path.dirname(file), cols: request.cols, rows: request.rows, memoryLimitBytes: this.options.memoryLimitBytes });
    } catch (error) {
      this.failToStart(id, error instanceof Error ? error.message : String(error));
      return;
    } finally {
      this.starting.delete(id);
    }
    const limits = {
      timeoutMs: request.timeoutMs ?? this.options.defaultTimeoutMs,
      maxOutputBytes: request.maxOutputBytes ?? this.options.defaultMaxOutputBytes,
    };
    const run = new Run(id, handle, limits, this.options.flow, {
      output: (payload) => this.send('output', payload),
      exit: (payload) => {
        this.runs.delete(id);
        this.send('exit', payload);
      },
    });
    this.runs.set(id, run);
    this.send('started', { run: id, pid: run.pid });
    if (this.closed) await run.end(this.closed);
  }

  private failToStart(id: string, message: string): void {
    this.send('exit', { run: id, code: null, signal: null, durationMs: 0, reason: 'error', message });
  }

  private send<K extends ServerMessageType>(type: K, payload: ServerMessageMap[K]): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(encodeServerMessage(type, payload));
  }
}
