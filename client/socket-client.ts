/**
 * The page's one WebSocket to the server. Runs are multiplexed on it by run id; each
 * terminal listens to its own run. When the socket closes, every run still listening is
 * told it was disconnected (the server ends those runs too), and the client reconnects
 * with backoff for the next Run.
 */
import type { IDisposable } from '@xterm/xterm';
import { decodeServerMessage, encodeClientMessage } from '../server/protocol.ts';
import type { ClientMessage, ServerMessage, ServerMessageMap } from '../server/protocol.ts';

/** The server messages that belong to one run. */
export type RunMessage = Extract<ServerMessage, { type: 'started' | 'output' | 'exit' | 'error' }>;

export interface RunListener {
  onMessage(message: RunMessage): void;
  /** The socket closed while this run was active. */
  onDisconnect(): void;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface SocketClientOptions {
  /** Absolute ws:// URL of the socket, token included. */
  readonly url: string;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export function socketUrl(location: Location, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return `${scheme}//${location.host}/ws${query}`;
}

export class SocketClient implements IDisposable {
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'closed';
  private backoffMs: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly runs = new Map<string, RunListener>();
  private readonly deckListeners = new Set<(message: ServerMessageMap['deck-changed']) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: SocketClientOptions) {
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.backoffMs = this.minBackoffMs;
    this.connect();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Sends one message; false when the socket is not open (the caller reports it). */
  send(message: ClientMessage): boolean {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(encodeClientMessage(message));
    return true;
  }

  /** Routes the messages of `run` to `listener` until disposed. */
  listenToRun(run: string, listener: RunListener): IDisposable {
    this.runs.set(run, listener);
    return { dispose: () => { if (this.runs.get(run) === listener) this.runs.delete(run); } };
  }

  onDeckChanged(listener: (message: ServerMessageMap['deck-changed']) => void): IDisposable {
    this.deckListeners.add(listener);
    return { dispose: () => this.deckListeners.delete(listener) };
  }

  onStateChange(listener: (state: ConnectionState) => void): IDisposable {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'page closed');
    this.socket = null;
    this.reportDisconnect();
    this.deckListeners.clear();
    this.stateListeners.clear();
  }

  private connect(): void {
    if (this.disposed) return;
    this.setState('connecting');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      this.backoffMs = this.minBackoffMs;
      this.setState('open');
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (socket !== this.socket || typeof event.data !== 'string') return;
      const decoded = decodeServerMessage(event.data);
      if (!decoded.ok) {
        console.warn(`ignored a socket frame: ${decoded.error}`);
        return;
      }
      this.dispatch(decoded.message);
    });
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.setState('closed');
      this.reportDisconnect();
      this.scheduleReconnect();
    });
  }

  private dispatch(message: ServerMessage): void {
    switch (message.type) {
      case 'deck-changed':
        for (const listener of [...this.deckListeners]) listener(message);
        return;
      case 'error':
        if (message.run === undefined) {
          console.error(`server: ${message.message}`);
          return;
        }
        this.runs.get(message.run)?.onMessage(message);
        return;
      case 'started':
      case 'output':
      case 'exit':
        this.runs.get(message.run)?.onMessage(message);
        return;
    }
  }

  private reportDisconnect(): void {
    const listeners = [...this.runs.values()];
    this.runs.clear();
    for (const listener of listeners) listener.onDisconnect();
  }

  private scheduleReconnect(): void {
    if (this.disposed || this.reconnectTimer !== null) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
