/**
 * Runs a command in a pseudo-terminal (node-pty): colours, keyboard input, window size.
 * node-pty starts the child with `setsid`, so it leads its own session and process group
 * (pid == pgid) and everything it starts, short of `setsid`/`detached`, stays in that
 * group. Stop signals the whole group; when the child exits by itself the group is
 * killed too, so no orphaned grandchild outlives its run.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { spawn } from 'node-pty';
import type { IDisposable, IPty } from 'node-pty';
import type { Disposable, RunExit, RunHandle, Runner, RunSpec } from './runner.ts';
import { RunEvents } from './run-events.ts';

export interface PtyCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** Added to the server's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface PtyRunnerOptions {
  /** Time between SIGTERM and SIGKILL to the group on `kill()`. Default 300 ms. */
  readonly killGraceMs?: number;
}

export const defaultKillGraceMs = 300;

/** Variables of the server's own terminal that would mislead the demo's. */
const HOST_TERMINAL_VARS = ['TMUX', 'TMUX_PANE', 'STY', 'WINDOW', 'WINDOWID', 'TERMCAP', 'COLUMNS', 'LINES'];

export function createPtyRunner(command: (spec: RunSpec) => Promise<PtyCommand>, options: PtyRunnerOptions = {}): Runner {
  const killGraceMs = options.killGraceMs ?? defaultKillGraceMs;
  const start = async (spec: RunSpec): Promise<RunHandle> => {
    const { file, args, env } = await command(spec);
    const pty = spawn(file, [...args], {
      name: 'xterm-256color',
      cols: spec.cols,
      rows: spec.rows,
      cwd: spec.cwd,
      env: buildEnv(env),
      encoding: 'utf8',
    });
    return new PtyRun(pty, killGraceMs);
  };
  return { start, prepare: async () => undefined, dispose: async () => undefined };
}

function buildEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const key of HOST_TERMINAL_VARS) delete env[key];
  return { ...env, FORCE_COLOR: '1', COLORTERM: 'truecolor', ...extra };
}

const signalNames = new Map<number, string>(Object.entries(osConstants.signals).map(([name, number]) => [number, name]));

/** The tty's STOP and START characters (IXON is on in a new pty). */
const XOFF = '\x13';
const XON = '\x11';

/**
 * Opens the pty's slave side and keeps it open until the run is over. Without it, the
 * child's exit closes the last slave descriptor and the kernel may end reads of the master
 * (EIO) while the child's last output is still in its buffers: the end of a flood was lost.
 * With it, the master is read to its end, and node-pty closes it after the child's exit.
 */
function holdSlave(pty: IPty): number | null {
  const name = (pty as IPty & { readonly ptsName?: string }).ptsName;
  if (typeof name !== 'string') return null;
  try {
    return openSync(name, constants.O_RDWR | constants.O_NOCTTY);
  } catch {
    return null;
  }
}

class PtyRun implements RunHandle {
  readonly pid: number;
  private readonly events = new RunEvents();
  private readonly subscriptions: IDisposable[] = [];
  private readonly exited: Promise<RunExit>;
  private graceTimer: NodeJS.Timeout | null = null;
  /** Our own descriptor of the pty's slave side: see `holdSlave`. */
  private slave: number | null;

  constructor(
    private readonly pty: IPty,
    private readonly killGraceMs: number,
  ) {
    this.pid = pty.pid;
    this.slave = holdSlave(pty);
    this.subscriptions.push(pty.onData((data) => this.events.emitData(data)));
    // node-pty reports exit only once the pty has been read to its end (or after its own
    // 200 ms timeout when a grandchild holds the terminal open), so this is after the last data.
    this.exited = new Promise<RunExit>((resolve) => {
      this.subscriptions.push(
        pty.onExit(({ exitCode, signal }) => {
          const exit: RunExit = signal ? { code: null, signal: signalNames.get(signal) ?? `SIG${signal}` } : { code: exitCode, signal: null };
          this.finish(exit);
          resolve(exit);
        }),
      );
    });
  }

  onData(listener: (data: string) => void): Disposable {
    return this.events.onData(listener);
  }

  onExit(listener: (exit: RunExit) => void): Disposable {
    return this.events.onExit(listener);
  }

  write(data: string): void {
    if (!this.events.exit) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.events.exit) return;
    try {
      this.pty.resize(cols, rows);
    } catch {
      // The pty closed between the check and the call; nothing to resize.
    }
  }

  /**
   * Terminal flow control, as a real terminal does it: XOFF stops the tty's output, so the
   * demo blocks inside its next write and its output stays in the demo. (Not reading the
   * pty instead would leave output in kernel buffers that are dropped when the child exits.)
   */
  pause(): void {
    if (!this.events.exit) this.pty.write(XOFF);
  }

  resume(): void {
    if (!this.events.exit) this.pty.write(XON);
  }

  async kill(): Promise<void> {
    if (!this.events.exit) {
      // A stopped tty would hold the group's writes; the signals end them anyway, but output flows to the end.
      this.resume();
      this.signalGroup('SIGTERM');
      this.graceTimer ??= setTimeout(() => this.signalGroup('SIGKILL'), this.killGraceMs);
    }
    await this.exited;
  }

  private finish(exit: RunExit): void {
    if (this.slave !== null) closeSync(this.slave);
    this.slave = null;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    // The child is gone and reaped; whatever it left in its group goes too.
    this.signalGroup('SIGKILL');
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
    this.events.emitExit(exit);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    // Never let a bad pid turn into kill(0) or kill(-1): those reach the server's own group or every process.
    if (!Number.isInteger(this.pid) || this.pid <= 1) return;
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      // ESRCH: the group is already empty. EPERM: the id is no longer ours to signal.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ESRCH' && code !== 'EPERM') throw error;
    }
  }

}
