/**
 * One page's socket: validates every frame, refuses what its role may not do, and hands the
 * rest to the run hub (runs) and the stage (where the talk is). It maps nothing itself: the
 * hub and the stage speak the protocol's vocabulary through the `Viewer` it implements.
 */
import type { WebSocket } from 'ws';
import { encodeServerMessage, type ClientMessageType, type Role, type ServerMessageMap, type ServerMessageType } from '../protocol.ts';
import type { Stage } from '../stage.ts';
import { decodeClientMessage } from './decode-client-message.ts';
import type { RunHub, Viewer } from './run-hub.ts';

/** What an audience page may send: it follows, and nothing else. */
const AUDIENCE_MAY: ReadonlySet<ClientMessageType> = new Set(['watch']);

export class Session implements Viewer {
  constructor(
    private readonly socket: WebSocket,
    readonly role: Role,
    private readonly hub: RunHub,
    private readonly stage: Stage,
  ) {
    hub.attach(this);
    stage.attach(this);
  }

  /** Handles one frame; a bad or forbidden frame is answered with an `error`, never thrown. */
  receive(raw: string): void {
    const decoded = decodeClientMessage(raw);
    if (!decoded.ok) {
      this.send('error', { message: decoded.error });
      return;
    }
    const message = decoded.message;
    if (this.role !== 'presenter' && !AUDIENCE_MAY.has(message.type)) {
      this.send('error', { message: `an audience page cannot ${message.type}: it follows the presenter, read-only` });
      return;
    }
    switch (message.type) {
      case 'watch':
        this.hub.watch(this, message.demos);
        return;
      case 'run':
        this.hub.start(this, message);
        return;
      case 'edit':
        this.hub.edit(this, message.demo, message.text);
        return;
      case 'save':
        this.hub.save(this, message);
        return;
      case 'input':
        this.hub.input(this, message.run, message.data);
        return;
      case 'resize':
        this.hub.resize(this, message.run, message.cols, message.rows);
        return;
      case 'stop':
        this.hub.stop(this, message.run);
        return;
      case 'ack':
        this.hub.acknowledge(this, message.run, message.bytes);
        return;
      case 'goto':
        this.stage.goto(message, this);
        return;
      case 'rehearsal':
        if (message.action === 'start') this.stage.startRehearsal();
        else void this.stage.endRehearsal(this);
        return;
    }
  }

  close(): void {
    this.hub.detach(this);
    this.stage.detach(this);
  }

  backlog(): number {
    return this.socket.bufferedAmount;
  }

  send<K extends ServerMessageType>(type: K, payload: ServerMessageMap[K], written?: () => void): void {
    this.sendFrame(encodeServerMessage(type, payload), written);
  }

  sendFrame(frame: string, written?: () => void): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(frame, written && ((error) => { if (!error) written(); }));
  }
}
