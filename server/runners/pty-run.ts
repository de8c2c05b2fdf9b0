/**
 * One run in a pseudo-terminal (node-pty): an interpreter started on our bootstrap, first
 * waiting for its demo (a spare, see warm-pool.ts), then running it (launch-line.ts).
 *
 * node-pty starts the child with `setsid`, so it leads its own session and process group
 * (pid == pgid) and everything it starts, short of `setsid`/`detached`, stays in that
 * group: Stop signals the whole group, the memory limit counts the whole group, and when
 * the child exits by itself the group is killed too, so no orphan outlives its run.
 *
 * Output is never lost at the end. We hold the terminal's slave side open ourselves,
 * because when the last slave descriptor closes the kernel may end reads of the master
 * (EIO) while the child's last output is still in its buffers. Once the child has exited
 * (child-exit-watch.ts), we write a marker of our own through that slave descriptor; when
 * it comes out of the master, everything before it has been read, and we close our
 * descriptor: the master ends at once, instead of node-pty's 200 ms wait.
 */
import { randomInt } from 'node:crypto';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { spawn } from 'node-pty';
import type { IDisposable, IPty } from 'node-pty';
import { watchChildExit } from './child-exit-watch.ts';
import { GO_MARKER, READY_MARKER } from './launch-line.ts';
import { formatMemory, watchGroupMemory } from './memory-watch.ts';
import { signalGroup, signalProcess } from './process-group.ts';
import type { Disposable, RunExit, RunHandle } from './runner.ts';
import { RunEvents } from './run-events.ts';

export interface PtyCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** Added to the server's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LaunchSettings {
  readonly cols: number;
  readonly rows: number;
  readonly memoryLimitBytes: number;
}

/** Variables of the server's own terminal that would mislead the demo's. */
const HOST_TERMINAL_VARS = ['TMUX', 'TMUX_PANE', 'STY', 'WINDOW', 'WINDOWID', 'TERMCAP', 'COLUMNS', 'LINES'];

const signalNames = new Map<number, string>(Object.entries(osConstants.signals).map(([name, number]) => [number, name]));

/** Output before GO_MARKER kept to explain an interpreter that died there; more is cut from the front. */
const MAX_PREAMBLE = 64 * 1024;
/** How long the end marker may take to come through before the slave is closed anyway (a tty stopped by `tcflow`, say). */
const DRAIN_TIMEOUT_MS = 250;

type Stage = 'booting' | 'launched' | 'running';

export class PtyRun implements RunHandle {
  readonly pid: number;
  /** Resolves once the bootstrap waits for its demo; rejects if the interpreter exits first. */
  readonly ready: Promise<void>;
  private readonly pty: IPty;
  private readonly events = new RunEvents();
  private readonly subscriptions: IDisposable[] = [];
  private readonly exited: Promise<RunExit>;
  private readonly childWatch: Disposable;
  private memoryWatch: Disposable | null = null;
  private stage: Stage = 'booting';
  private preamble = '';
  private launchLine = '';
  private readySeen = false;
  private settleReady: { resolve: () => void; reject: (error: Error) => void } | null = null;
  /** Our own descriptor of the pty's slave side (see the top of this file). */
  private slave: number | null;
  private childGone = false;
  /** Set from the child's exit until the marker has come back through the master. */
  private endMarker: string | null = null;
  /** A tail of output that may be the start of the end marker. */
  private held = '';
  private drainTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private limit: RunExit['limit'] = undefined;

  constructor(
    command: PtyCommand,
    private readonly killGraceMs: number,
  ) {
    this.pty = spawn(command.file, [...command.args], {
      name: 'xterm-256color',
      cols: 80,
      rows: 24,
      cwd: process.cwd(),
      env: buildEnv(command.env),
      encoding: 'utf8',
    });
    this.pid = this.pty.pid;
    this.slave = holdSlave(this.pty);
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    // A spare nobody asks about must not become an unhandled rejection.
    this.ready.catch(() => undefined);
    this.subscriptions.push(this.pty.onData((data) => this.onPtyData(data)));
    // node-pty reports exit once the pty has been read to its end (or 200 ms after the
    // child's exit when something outside the run holds the terminal), so after the last data.
    this.exited = new Promise<RunExit>((resolve) => {
      this.subscriptions.push(
        this.pty.onExit(({ exitCode, signal }) => {
          const exit: RunExit = signal ? { code: null, signal: signalNames.get(signal) ?? `SIG${signal}` } : { code: exitCode, signal: null };
          resolve(this.finish(exit));
        }),
      );
    });
    this.childWatch = watchChildExit(this.pid, () => this.onChildGone());
  }

  /** Still waiting for a demo, and able to run one. */
  get isSpare(): boolean {
    return this.stage === 'booting' && !this.childGone && this.events.exit === null;
  }

  /** Hands the waiting bootstrap its demo (a line from `encodeLaunch`), in a terminal of the given size. */
  launch(line: string, settings: LaunchSettings): void {
    this.stage = 'launched';
    this.launchLine = line;
    if (settings.cols !== this.pty.cols || settings.rows !== this.pty.rows) this.resize(settings.cols, settings.rows);
    this.pty.write(line);
    this.memoryWatch = watchGroupMemory(this.pid, settings.memoryLimitBytes, () => {
      this.limit = { kind: 'memory-limit', message: `memory limit of ${formatMemory(settings.memoryLimitBytes)} reached` };
      this.signal('SIGKILL');
    });
  }

  onData(listener: (data: string) => void): Disposable {
    return this.events.onData(listener);
  }

  onExit(listener: (exit: RunExit) => void): Disposable {
    return this.events.onExit(listener);
  }

  // Once the child is gone, node-pty may close the master before it reports the exit, and
  // its descriptor number may already belong to another run's terminal: nothing more goes in.
  write(data: string): void {
    if (!this.events.exit && !this.childGone) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.events.exit || this.childGone) return;
    try {
      this.pty.resize(cols, rows);
    } catch {
      // The pty closed between the check and the call; nothing to resize.
    }
  }

  /**
   * Flow control that a demo cannot get around: we stop reading the master, so once the
   * terminal's buffers are full (some 64 KiB) the demo blocks in its next write, whatever
   * it did to its terminal. Nothing is lost meanwhile: see the top of this file. (Not
   * XOFF: a demo may turn IXON off, and then the tty echoes it as `^S` into the output and
   * hands it to the demo as input.)
   */
  pause(): void {
    if (!this.events.exit && !this.childGone) this.pty.pause();
  }

  resume(): void {
    if (!this.events.exit) this.pty.resume();
  }

  async kill(): Promise<void> {
    if (!this.events.exit) {
      // Output flows to the end, also when the run was paused.
      this.resume();
      if (!this.childGone) {
        this.signal('SIGTERM');
        this.graceTimer ??= setTimeout(() => this.signal('SIGKILL'), this.killGraceMs);
      }
    }
    await this.exited;
  }

  /** Ends a spare that is no longer wanted. */
  async terminate(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /**
   * Signals the run's whole group, and its process by pid while that is not known to be
   * gone: a child started a moment ago may not have called `setsid` yet, and then no group
   * of that id exists and the group signal reaches nobody.
   */
  private signal(signal: NodeJS.Signals): void {
    signalGroup(this.pid, signal);
    if (!this.childGone && this.events.exit === null) signalProcess(this.pid, signal);
  }

  private onPtyData(chunk: string): void {
    const data = this.endMarker === null ? chunk : this.cutAtEndMarker(chunk);
    if (this.stage === 'running') {
      if (data) this.events.emitData(data);
      return;
    }
    this.preamble += data;
    if (!this.readySeen && this.preamble.includes(READY_MARKER)) {
      this.readySeen = true;
      this.settleReady?.resolve();
    }
    const go = this.stage === 'launched' ? this.preamble.indexOf(GO_MARKER) : -1;
    if (go !== -1) {
      const first = this.preamble.slice(go + GO_MARKER.length);
      this.preamble = '';
      this.stage = 'running';
      if (first) this.events.emitData(first);
    } else if (this.preamble.length > MAX_PREAMBLE) {
      this.preamble = this.preamble.slice(-MAX_PREAMBLE);
    }
  }

  /** The child has exited (its group may live on): end the group and read the terminal to its end. */
  private onChildGone(): void {
    this.childGone = true;
    // Whatever the child left in its group goes too: nothing may outlive its run.
    signalGroup(this.pid, 'SIGKILL');
    this.memoryWatch?.dispose();
    // What is left to read is bounded by the terminal's buffers: read it, paused or not.
    this.resume();
    if (this.slave === null) return;
    this.endMarker = `\x1b]697;${randomInt(1e9)}${randomInt(1e9)}\x07`;
    this.drainTimer = setTimeout(() => this.releaseSlave(), DRAIN_TIMEOUT_MS);
    this.writeEndMarker(Buffer.from(this.endMarker, 'latin1'));
  }

  private writeEndMarker(bytes: Buffer): void {
    if (this.slave === null) return;
    let written = 0;
    try {
      written = writeSync(this.slave, bytes);
    } catch (error) {
      // EAGAIN: the terminal is full (or stopped by a typed Ctrl-S); anything else: give up draining.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return this.releaseSlave();
    }
    if (written < bytes.length) setTimeout(() => this.writeEndMarker(bytes.subarray(written)), 2);
  }

  /** Passes output through until the end marker, which it removes; holds back what may be its beginning. */
  private cutAtEndMarker(chunk: string): string {
    const marker = this.endMarker ?? '';
    const text = this.held + chunk;
    const at = text.indexOf(marker);
    if (at !== -1) {
      this.held = '';
      this.endMarker = null;
      this.releaseSlave();
      return text.slice(0, at) + text.slice(at + marker.length);
    }
    let keep = Math.min(marker.length - 1, text.length);
    while (keep > 0 && !marker.startsWith(text.slice(text.length - keep))) keep -= 1;
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  private releaseSlave(): void {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    if (this.slave !== null) closeSync(this.slave);
    this.slave = null;
  }

  private finish(exit: RunExit): RunExit {
    this.childWatch.dispose();
    this.memoryWatch?.dispose();
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    // The marker did not come back (the terminal was closed from elsewhere): keep what was held for it.
    const held = this.held;
    this.held = '';
    this.endMarker = null;
    if (held) this.onPtyData(held);
    this.releaseSlave();
    // The child is gone and reaped; whatever it left in its group goes too.
    signalGroup(this.pid, 'SIGKILL');
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
    if (this.stage !== 'running') {
      const said = this.unsaid();
      // A bootstrap that died before running its demo: what it printed is the reason.
      if (this.stage === 'launched' && said) this.events.emitData(said);
      this.settleReady?.reject(new Error(`the interpreter exited (${exit.signal ?? `code ${exit.code}`}) before it was ready${said ? `: ${said.trim()}` : ''}`));
    }
    const ended: RunExit = this.limit ? { ...exit, limit: this.limit } : exit;
    this.events.emitExit(ended);
    return ended;
  }

  /** The preamble without the handshake: the interpreter's own words, if any. */
  private unsaid(): string {
    const echo = this.launchLine.replace(/\n$/, '\r\n');
    return this.preamble.replace(READY_MARKER, '').replace(echo, '').replace(GO_MARKER, '');
  }
}

function buildEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const key of HOST_TERMINAL_VARS) delete env[key];
  return { ...env, FORCE_COLOR: '1', COLORTERM: 'truecolor', ...extra };
}

/** Our descriptor of the pty's slave side: non-blocking, so a stopped terminal never blocks the server. */
function holdSlave(pty: IPty): number | null {
  const name = (pty as IPty & { readonly ptsName?: string }).ptsName;
  if (typeof name !== 'string') return null;
  try {
    return openSync(name, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
}
