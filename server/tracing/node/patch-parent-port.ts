/**
 * The worker's ends of its messages with its parent (patch-worker.ts writes the parent's):
 * `parentPort.postMessage` writes the `s` of each message it sends, and each message the
 * port delivers writes its `f`. Delivery is watched where Node dispatches a port's
 * messages (its internal hybrid dispatch, found by its symbol's name), not by adding a
 * listener: a listener would start the port early and keep the worker alive. Where that
 * hook is not found, received messages are simply not drawn.
 */
import type { MessagePort } from 'node:worker_threads';
import { messageId } from './patch-worker.ts';
import type { ThreadTrace } from './thread-trace.ts';
import { nowMicros } from './trace-writer.ts';

type Dispatch = (this: MessagePort, value: unknown, type: string, event: unknown) => unknown;

export function patchParentPort(trace: ThreadTrace, port: MessagePort): void {
  let sent = 0;
  let received = 0;
  const post = port.postMessage;
  port.postMessage = function postMessage(this: MessagePort, ...args: Parameters<MessagePort['postMessage']>): void {
    sent += 1;
    if (trace.budget.allow('messages', nowMicros())) trace.emit({ ph: 's', cat: 'message', name: 'message', id: messageId(trace.pid, trace.tid, 'u', sent) });
    Reflect.apply(post, this, args);
  };
  const key = dispatchSymbol(port);
  if (key === null) return;
  const holder = port as unknown as Record<symbol, Dispatch>;
  const dispatch = holder[key];
  if (typeof dispatch !== 'function') return;
  holder[key] = function hybridDispatch(this: MessagePort, value: unknown, type: string, event: unknown): unknown {
    if (type === 'message') {
      received += 1;
      if (trace.budget.allow('messages', nowMicros())) trace.emit({ ph: 'f', cat: 'message', name: 'message', bp: 'e', id: messageId(trace.pid, trace.tid, 'd', received) });
    }
    return Reflect.apply(dispatch, this, [value, type, event]);
  };
}

function dispatchSymbol(port: MessagePort): symbol | null {
  for (let object: object | null = port; object !== null; object = Object.getPrototypeOf(object) as object | null) {
    const found = Object.getOwnPropertySymbols(object).find((symbol) => symbol.description?.endsWith('kHybridDispatch'));
    if (found !== undefined) return found;
  }
  return null;
}
