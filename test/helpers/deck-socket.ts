/**
 * A page's socket, seen from a test: connects like the browser does (same Origin, the
 * token), sends protocol messages and awaits the server's answers.
 */
import WebSocket from 'ws';
import { decodeServerMessage, encodeClientMessage, type ClientMessage, type ServerMessage, type ServerMessageMap } from '../../server/protocol.ts';

export interface DeckSocketOptions {
  /** Acknowledge every output message at once, as a fast terminal would. */
  readonly autoAck?: boolean;
  readonly origin?: string | null;
  readonly token?: string | null;
}

export class DeckSocket {
  /** Every message but `output`, whose text is gathered per run in `output()`. */
  readonly messages: ServerMessage[] = [];
  private readonly outputs = new Map<string, string>();
  private readonly watching = new Set<string>();
  private readonly runsSeen = new Set<string>();
  private waiters: (() => void)[] = [];
  private closedWith: { code: number } | null = null;

  private constructor(
    readonly ws: WebSocket,
    private readonly autoAck: boolean,
  ) {
    ws.on('message', (data) => {
      const decoded = decodeServerMessage(data.toString());
      if (!decoded.ok) throw new Error(decoded.error);
      const message = decoded.message;
      if (message.type === 'output') {
        this.outputs.set(message.run, (this.outputs.get(message.run) ?? '') + message.data);
        if (this.autoAck) this.acknowledge(message.run, message.data.length);
      } else {
        this.messages.push(message);
      }
      this.wake();
    });
    ws.on('close', (code) => {
      this.closedWith = { code };
      this.wake();
    });
  }

  static async open(origin: string, token: string, options: DeckSocketOptions = {}): Promise<DeckSocket> {
    const headers: Record<string, string> = {};
    const sendOrigin = options.origin === undefined ? origin : options.origin;
    if (sendOrigin !== null) headers.Origin = sendOrigin;
    const query = options.token === null ? '' : `?token=${encodeURIComponent(options.token ?? token)}`;
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws${query}`, { headers });
    // Listening from the start: the server's `welcome` may arrive with the handshake, before `open` is awaited.
    const socket = new DeckSocket(ws, options.autoAck ?? true);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** Adds `demos` to what this page watches (each one with a run is answered by a `screen`). */
  watch(...demos: string[]): void {
    for (const demo of demos) this.watching.add(demo);
    this.send({ type: 'watch', demos: [...this.watching] });
  }

  /** Watches `demo` and runs it, as a page does on Run; resolves with the id the server gave the run. */
  async run(demo: string, size: { cols: number; rows: number } = { cols: 100, rows: 30 }): Promise<string> {
    if (!this.watching.has(demo)) this.watch(demo);
    this.send({ type: 'run', demo, ...size });
    const starting = await this.waitFor('starting', (m) => m.demo === demo && !this.runsSeen.has(m.run));
    this.runsSeen.add(starting.run);
    return starting.run;
  }

  send(message: ClientMessage | Record<string, unknown>): void {
    this.ws.send(encodeClientMessage(message as ClientMessage));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Resolves with the first non-output message (already received or still to come) that matches. */
  async waitFor<K extends ServerMessage['type']>(type: K, match: (m: { type: K } & ServerMessageMap[K]) => boolean = () => true, timeoutMs = 20_000): Promise<{ type: K } & ServerMessageMap[K]> {
    type Message = { type: K } & ServerMessageMap[K];
    const found = (): Message | undefined => this.messages.find((m) => m.type === type && match(m as unknown as Message)) as Message | undefined;
    return this.until(found, `no "${type}" message`, timeoutMs);
  }

  /** Everything a run has printed so far. */
  output(run: string): string {
    return this.outputs.get(run) ?? '';
  }

  acknowledge(run: string, bytes: number): void {
    this.send({ type: 'ack', run, bytes });
  }

  async waitForOutput(run: string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    return this.until(() => pattern.exec(this.output(run)) ?? undefined, `no output matching ${pattern} from run ${run}`, timeoutMs);
  }

  async closed(): Promise<number> {
    const result = await this.until(() => this.closedWith ?? undefined, 'socket still open', 20_000);
    return result.code;
  }

  close(): void {
    this.ws.close();
  }

  /** Resolves when `probe` returns a value; re-checked on every message, no polling. */
  until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`${what} within ${timeoutMs} ms; received: ${JSON.stringify(this.messages.slice(-5)).slice(0, 2000)}`));
      }, timeoutMs);
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(value);
      };
      this.waiters.push(check);
      check();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
