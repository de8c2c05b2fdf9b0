/**
 * Runs as the bench's page sockets start and follow them, in protocol v2: a run belongs to
 * the server, which names it. A page watches the demo, sends `run` by the demo's key, and
 * learns the run's id from the `starting` that every watcher gets; a refused run (its demo
 * already running, too many runs, an unknown key) is answered with `error {demo}` instead,
 * which `startRun` throws at once rather than waiting out its time.
 *
 * These waits listen on the socket only while they wait: a lost race leaves no waiter
 * behind that would re-scan every later message of a long soak.
 */
import type { ServerMessage } from '../server/protocol.ts';
import type { DeckSocket } from '../test/helpers/deck-socket.ts';

/** The terminal the bench's runs ask for. */
export const BENCH_TERMINAL = { cols: 80, rows: 24 } as const;

/**
 * Sends `run` for `demo` (which `socket` must already watch: only watchers hear of a run)
 * and resolves with the server's id for the run, from its `starting`.
 */
export async function startRun(socket: DeckSocket, demo: string, timeoutMs: number, size: { cols: number; rows: number } = BENCH_TERMINAL): Promise<string> {
  const from = socket.messages.length;
  socket.send({ type: 'run', demo, ...size });
  const answer = await awaitMessages(
    socket,
    () => socket.messages.slice(from).find((m) => (m.type === 'starting' || m.type === 'error') && m.demo === demo),
    timeoutMs,
    `no "starting" for ${demo}`,
  );
  if (answer.type === 'error') throw new Error(`the server refused to run ${demo}: ${answer.message}`);
  if (answer.type !== 'starting') throw new Error(`unexpected ${answer.type} for ${demo}`);
  return answer.run;
}

/** The id of `demo`'s run that this socket was told of and has seen no `exit` of, or null. */
export function liveRunOf(socket: DeckSocket, demo: string): string | null {
  const starting = socket.messages.findLast((m) => m.type === 'starting' && m.demo === demo);
  if (starting?.type !== 'starting') return null;
  return socket.messages.some((m) => m.type === 'exit' && m.run === starting.run) ? null : starting.run;
}

/** The run's output matching `pattern`; throws, with what it printed, if the run ends or the time passes first. */
export async function outputOrExit(socket: DeckSocket, run: string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const exited = (): ServerMessage | undefined => socket.messages.find((m) => m.type === 'exit' && m.run === run);
  const found = await awaitMessages(socket, () => pattern.exec(socket.output(run)) ?? (exited() === undefined ? undefined : null), timeoutMs, '').catch(() => null);
  if (found !== null) return found;
  const exit = exited();
  throw new Error(`run ${run} printed nothing matching ${pattern} (${exit ? `it ended: ${JSON.stringify(exit)}` : `within ${timeoutMs} ms`}); it printed ${JSON.stringify(socket.output(run).slice(-500))}`);
}

/**
 * Resolves with what `probe` returns once it returns something, checked now and after every
 * message the socket receives (after the socket has recorded it); rejects if the socket
 * closes or the time passes first. Stops listening either way.
 */
function awaitMessages<T>(socket: DeckSocket, probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      socket.ws.off('message', check);
      socket.ws.off('close', closed);
    };
    const check = (): void => {
      const value = probe();
      if (value === undefined) return;
      done();
      resolve(value);
    };
    const closed = (): void => {
      done();
      reject(new Error(`${what}: the socket closed`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what} within ${timeoutMs} ms; last messages: ${JSON.stringify(socket.messages.slice(-5)).slice(0, 2000)}`));
    }, timeoutMs);
    socket.ws.on('message', check);
    socket.ws.on('close', closed);
    check();
  });
}
