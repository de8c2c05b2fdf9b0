/**
 * The page's one WebSocket to the server. Every server message goes to the listeners of
 * its type; the run controllers, the position follower, hot reload and the presenter screen
 * each listen to what they need. When the socket closes it reconnects with backoff, and says
 * so on the page; when the server no longer accepts the page's token (it restarted with a new
 * one), it stops and says plainly that the page needs the new URL.
 */
import type { IDisposable } from '@xterm/xterm';
import { decodeServerMessage, encodeClientMessage } from '../server/protocol.ts';
import type { ClientMessage, Role, ServerMessage, ServerMessageMap, ServerMessageType } from '../server/protocol.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

type Listener<K extends ServerMessageType> = (message: ServerMessageMap[K]) => void;

export interface SocketClientOptions {
  /** Absolute ws:// URL of the socket, token included. */
  readonly url: string;
  /** Asks the server whether the token is still good: false when it is refused for good. */
  readonly tokenAccepted?: () => Promise<boolean>;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export function socketUrl(location: Location, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return `${scheme}//${location.host}/ws${query}`;
}

/** `GET /session`: 403 means the server does not know this token (any other failure is a server still starting). */
export async function checkToken(token: string | null): Promise<boolean> {
  try {
    const response = await fetch(`/session?token=${encodeURIComponent(token ?? '')}`, { cache: 'no-store' });
    return response.status !== 403;
  } catch {
    return true;
  }
}

export class SocketClient implements IDisposable {
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'closed';
  private backoffMs: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private currentRole: Role | null = null;
  private readonly listeners = new Map<ServerMessageType, Set<(message: never) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: SocketClientOptions) {
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 4_000;
    this.backoffMs = this.minBackoffMs;
  }

  /** Connects, once every listener is in place (the first message, `welcome`, is not repeated). */
  open(): void {
    if (this.socket === null && this.reconnectTimer === null) this.connect();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** The role the server gave this page (in `welcome`); null before. */
  get role(): Role | null {
    return this.currentRole;
  }

  /** Sends one message; false when the socket is not open (the caller reports it). */
  send(message: ClientMessage): boolean {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(encodeClientMessage(message));
    return true;
  }

  on<K extends ServerMessageType>(type: K, listener: Listener<K>): IDisposable {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    const entry = listener as (message: never) => void;
    set.add(entry);
    return { dispose: () => set.delete(entry) };
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
    this.setState('closed');
    this.listeners.clear();
    this.stateListeners.clear();
  }

  private connect(): void {
    if (this.disposed) return;
    this.setState('connecting');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      opened = true;
      this.backoffMs = this.minBackoffMs;
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
      void this.afterClose(opened);
    });
  }

  /** A socket that never opened may mean the token is gone: ask before retrying. */
  private async afterClose(opened: boolean): Promise<void> {
    if (!opened && this.options.tokenAccepted !== undefined && !(await this.options.tokenAccepted())) {
      this.setState('refused');
      return;
    }
    this.scheduleReconnect();
  }

  private dispatch(message: ServerMessage): void {
    if (message.type === 'welcome') {
      this.currentRole = message.role;
      this.setState('open');
    }
    if (message.type === 'error' && message.run === undefined && message.demo === undefined) console.error(`server: ${message.message}`);
    const set = this.listeners.get(message.type);
    if (set === undefined) return;
    for (const listener of [...set]) (listener as (m: ServerMessage) => void)(message);
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
