/**
 * Tells, within a few milliseconds, that a child process of the server has exited. node-pty
 * reaps its children on a thread of its own and reports the exit only once the pty has
 * closed (or 200 ms later), which a run whose terminal we hold open never does by itself:
 * this is how a pty run learns early that its child is gone and it may close the terminal.
 *
 * The kernel sends SIGCHLD on every child's exit. Node lets JavaScript listen to it next to
 * libuv's own child handling (both are libuv signal watchers; neither reaps the other's
 * children). Worker threads get no signals, so there a short poll stands in.
 */
import { isMainThread } from 'node:worker_threads';
import { hasExited } from './process-group.ts';
import type { Disposable } from './runner.ts';

const POLL_MS = 20;

const watched = new Map<number, Set<() => void>>();
let poll: NodeJS.Timeout | null = null;

/**
 * Calls `onExit` once, soon after `pid` (a child of this process) has stopped running.
 * Linux only: elsewhere there is no /proc to ask, and the run waits for node-pty's own report.
 */
export function watchChildExit(pid: number, onExit: () => void): Disposable {
  if (process.platform !== 'linux') return { dispose: () => undefined };
  let done = false;
  const fire = (): void => {
    if (done) return;
    done = true;
    remove();
    onExit();
  };
  const remove = (): void => {
    const listeners = watched.get(pid);
    listeners?.delete(fire);
    if (listeners?.size === 0) watched.delete(pid);
    if (watched.size === 0) stopListening();
  };
  let listeners = watched.get(pid);
  if (!listeners) watched.set(pid, (listeners = new Set()));
  listeners.add(fire);
  startListening();
  // It may have exited before we listened.
  if (hasExited(pid)) queueMicrotask(fire);
  return {
    dispose: () => {
      done = true;
      remove();
    },
  };
}

function check(): void {
  for (const [pid, listeners] of [...watched]) {
    if (hasExited(pid)) for (const listener of [...listeners]) listener();
  }
}

function startListening(): void {
  if (isMainThread) {
    // Signals that arrive close together are delivered once: check every watched pid.
    if (!process.listeners('SIGCHLD').includes(check)) process.on('SIGCHLD', check);
  } else {
    poll ??= setInterval(check, POLL_MS).unref();
  }
}

function stopListening(): void {
  process.off('SIGCHLD', check);
  if (poll) clearInterval(poll);
  poll = null;
}
