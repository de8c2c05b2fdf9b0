/**
 * A run's terminal kept on the server, in a headless xterm: what every page that joins late,
 * reloads or comes back to the slide draws first, and what stays after the run ends (the
 * PDF and recordings use it). It parses the same stream the pages get, so its snapshot is
 * their screen.
 *
 * Parsing costs the server as much CPU as a page's terminal costs its browser, so output is
 * parsed when it pauses, not as it comes: a flood is held unparsed (only its last
 * `TAIL_CHARS`, far more than a screen and its scrollback show) until it stops or a page
 * needs the screen. What a flood scrolled past that tail never reaches this terminal.
 * A flood's short pauses (the run waiting for its readers) do not count as stopping: parsing
 * 256 KiB at each of them took CPU that the presenter's browser needed, on a 2-core laptop.
 */
import headless from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import serialize from '@xterm/addon-serialize';
import type { SerializeAddon } from '@xterm/addon-serialize';
import { PUNCHLINE_OSC, punchlineSequence } from '../punchline.ts';

/** Lines kept above the screen; a snapshot carries them all. */
const SCROLLBACK = 1000;
/** Unparsed output kept while it keeps coming: the last this many characters. */
const TAIL_CHARS = 256 * 1024;
/** A pause in the output this long has what came parsed… */
const SETTLE_MS = 40;
/** …unless more than this much came: then it is a flood, and its pause must be this long. */
const FLOOD_CHARS = 16 * 1024;
const FLOOD_SETTLE_MS = 500;

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
  /** Output not handed to the terminal yet, oldest first, and its length. */
  private pending: string[] = [];
  private pendingChars = 0;
  /** Older pending output was let go: parsing starts at the next line of what is left. */
  private skipped = false;
  private lastWrite = 0;
  private settleTimer: NodeJS.Timeout | null = null;
  /** The run's latest punchline (client/runs/punchline.ts): a screen carries it, as the stream did. */
  private punchline: string | null = null;

  /** `onParsed`: the terminal caught up with some output (its `lag` went down). */
  constructor(cols: number, rows: number, private readonly onParsed?: () => void) {
    this.term = new headless.Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true, convertEol: true });
    this.serializer = new serialize.SerializeAddon();
    // The addon's types name the browser terminal; the headless one has the same API.
    this.term.loadAddon(this.serializer as unknown as Parameters<Terminal['loadAddon']>[0]);
    this.term.parser.registerOscHandler(PUNCHLINE_OSC, (text) => {
      this.punchline = text;
      return true;
    });
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Output handed to the terminal that it has not parsed yet (held output is bounded and not counted). */
  get lag(): number {
    return this.written - this.parsed;
  }

  write(data: string): void {
    if (this.disposed || data.length === 0) return;
    this.pending.push(data);
    this.pendingChars += data.length;
    while (this.pending.length > 1 && this.pendingChars - (this.pending[0]?.length ?? 0) >= TAIL_CHARS) {
      this.pendingChars -= this.pending.shift()?.length ?? 0;
      this.skipped = true;
    }
    this.lastWrite = performance.now();
    this.settleTimer ??= setTimeout(() => this.settle(), SETTLE_MS);
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return;
    this.flush();
    this.term.resize(cols, rows);
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

  /** Parses what came once the output has paused for `SETTLE_MS` (`FLOOD_SETTLE_MS` after a flood). */
  private settle(): void {
    this.settleTimer = null;
    const quiet = performance.now() - this.lastWrite;
    const needed = this.pendingChars > FLOOD_CHARS ? FLOOD_SETTLE_MS : SETTLE_MS;
    if (quiet >= needed) this.flush();
    else this.settleTimer = setTimeout(() => this.settle(), needed - quiet);
  }

  /** Hands the held output to the terminal. */
  private flush(): void {
    if (this.pendingChars === 0 || this.disposed) return;
    let data = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (this.skipped) {
      // The first line of what is left may start inside an escape sequence.
      data = data.slice(data.indexOf('\n') + 1);
      this.skipped = false;
    }
    this.written += data.length;
    this.term.write(data, () => {
      this.parsed += data.length;
      this.onParsed?.();
    });
  }

  private take(scrollback?: number): Promise<ScreenSnapshot> {
    this.flush();
    return new Promise((resolve) => {
      const take = (): void => {
        const screen = this.disposed ? '' : this.serializer.serialize(scrollback === undefined ? undefined : { scrollback });
        const punchline = this.disposed || this.punchline === null ? '' : punchlineSequence(this.punchline);
        resolve({ data: punchline + screen, cols: this.term.cols, rows: this.term.rows });
      };
      if (this.disposed) take();
      else this.term.write('', take);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.pending = [];
    this.pendingChars = 0;
    this.term.dispose();
  }
}
