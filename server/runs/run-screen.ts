/**
 * A run's terminal kept on the server, in a headless xterm: what every page that joins late,
 * reloads or comes back to the slide draws first, and what stays after the run ends (the
 * PDF and recordings use it). It parses the same stream the pages get, so its snapshot is
 * their screen.
 */
import headless from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import serialize from '@xterm/addon-serialize';
import type { SerializeAddon } from '@xterm/addon-serialize';

/** Lines kept above the screen; a snapshot carries them all. */
const SCROLLBACK = 1000;

export interface ScreenSnapshot {
  /** Escape sequences that redraw the screen (and its scrollback) in an empty terminal. */
  readonly data: string;
  readonly cols: number;
  readonly rows: number;
}

export class RunScreen {
  private readonly term: Terminal;
  private readonly serializer: SerializeAddon;
  private written = 0;
  private parsed = 0;
  private disposed = false;
  private final: Promise<ScreenSnapshot> | null = null;

  constructor(cols: number, rows: number) {
    this.term = new headless.Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true, convertEol: true });
    this.serializer = new serialize.SerializeAddon();
    // The addon's types name the browser terminal; the headless one has the same API.
    this.term.loadAddon(this.serializer as unknown as Parameters<Terminal['loadAddon']>[0]);
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Output handed to `write` that the terminal has not parsed yet. */
  get lag(): number {
    return this.written - this.parsed;
  }

  write(data: string, parsed?: () => void): void {
    if (this.disposed || data.length === 0) return;
    this.written += data.length;
    this.term.write(data, () => {
      this.parsed += data.length;
      parsed?.();
    });
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed) this.term.resize(cols, rows);
  }

  /**
   * The screen once everything written so far is parsed, and nothing written after: output
   * that arrives while this waits belongs after the snapshot. After `freeze`, the last screen.
   * `scrollback` caps the lines above the screen it carries (all by default).
   */
  snapshot(scrollback?: number): Promise<ScreenSnapshot> {
    return this.final ?? this.take(scrollback);
  }

  /** The run has ended: keeps its last screen as text and lets the terminal (and its memory) go. */
  freeze(): void {
    this.final ??= this.take().then((last) => {
      this.dispose();
      return last;
    });
  }

  private take(scrollback?: number): Promise<ScreenSnapshot> {
    return new Promise((resolve) => {
      const take = (): void => resolve({ data: this.disposed ? '' : this.serializer.serialize(scrollback === undefined ? undefined : { scrollback }), cols: this.term.cols, rows: this.term.rows });
      if (this.disposed) take();
      else this.term.write('', take);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.term.dispose();
  }
}
