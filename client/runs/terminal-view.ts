/**
 * What a demo looks like on a slide: a toolbar (Run, Stop, the demo's name, a status) and an
 * xterm.js terminal. It draws and reports what the speaker does; it knows nothing of the
 * protocol (the run controller does), so a presenter view, an audience view, a replay and
 * an editor can each reuse it.
 *
 * Keys belong to the deck: Run does not move focus into the terminal. The terminal takes keys
 * only when the speaker clicks into it (or the demo reads input and this page started it);
 * Esc gives them back to the deck, and so does a clicker's PageDown or PageUp, which then
 * moves the deck as always.
 */
import { Terminal } from '@xterm/xterm';
import type { IDisposable } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { TERMINAL_FONT_FAMILY, TERMINAL_FONT_SIZE, terminalOptions } from '../terminal-options.ts';
import { PUNCHLINE_OSC } from '../../server/punchline.ts';

export interface TerminalViewOptions {
  /** The demo's name in the toolbar. */
  readonly name: string;
  /** Read-only: no Run or Stop, no keyboard into the demo (an audience page). */
  readonly readOnly: boolean;
}

export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

export type ViewPhase = 'idle' | 'starting' | 'running' | 'stopping';

/** What a presentation clicker sends. */
const CLICKER_KEYS = new Set(['PageDown', 'PageUp']);

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
/** RIS, a full reset, parsed in turn: output of the last run still waiting to be drawn is wiped with the rest. */
const FULL_RESET = '\x1bc';

/** The terminal's font as CSS: xterm measures its cells once, at open, so it must be loaded by then. */
const TERMINAL_FONT = `${TERMINAL_FONT_SIZE}px ${TERMINAL_FONT_FAMILY}`;

export class TerminalView implements IDisposable {
  private readonly term: Terminal;
  private readonly fitAddon = new FitAddon();
  private readonly host: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly punchline: HTMLElement;
  private readonly disposables: IDisposable[] = [];
  private opened = false;
  /** The size of a run this page did not start: drawn at that size, whatever the box. */
  private pinned: TerminalSize | null = null;
  private disposed = false;
  /** Counts the resets: a line waiting for the last run's output belongs to that run only. */
  private resets = 0;
  /** Waiting for the terminal's font before the first open. */
  private fontPending = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: TerminalViewOptions,
  ) {
    const box = root.querySelector<HTMLElement>('.demo-terminal') ?? root;
    this.toolbar = document.createElement('div');
    this.toolbar.className = 'demo-toolbar';
    this.runButton = button('Run', `Run ${options.name}`, 'demo-run');
    this.stopButton = button('Stop', `Stop ${options.name}`, 'demo-stop');
    const label = document.createElement('span');
    label.className = 'demo-name';
    label.textContent = options.name;
    this.status = document.createElement('span');
    this.status.className = 'demo-status';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.badge = document.createElement('span');
    this.badge.className = 'demo-recording-badge';
    this.badge.hidden = true;
    if (options.readOnly) this.toolbar.append(label, this.badge, this.status);
    else this.toolbar.append(this.runButton, this.stopButton, label, this.badge, this.status);

    this.host = document.createElement('div');
    this.host.className = 'demo-xterm';
    this.punchline = document.createElement('div');
    this.punchline.className = 'demo-punchline';
    this.punchline.setAttribute('aria-live', 'polite');
    box.append(this.toolbar, this.host, this.punchline);

    this.term = new Terminal({ ...terminalOptions, theme: { ...terminalOptions.theme }, disableStdin: options.readOnly });
    this.term.loadAddon(this.fitAddon);
    this.term.write(HIDE_CURSOR); // no cursor until something runs
    this.term.attachCustomKeyEventHandler((event) => {
      if (CLICKER_KEYS.has(event.key)) {
        // A clicker's page keys always move the talk: the terminal lets go, and the key goes on to reveal.js.
        if (event.type === 'keydown') this.releaseKeys();
        return false;
      }
      if (event.key !== 'Escape') return true;
      // This Esc is the terminal's: it must not also reach reveal.js (which would open the overview).
      event.stopPropagation();
      if (event.type === 'keydown') this.releaseKeys();
      return false;
    });
    this.disposables.push(
      this.term.parser.registerOscHandler(PUNCHLINE_OSC, (text) => {
        this.punchline.textContent = text;
        return true;
      }),
      // Cleared where the reset is parsed, not when it is asked for: a punchline of the last run still waiting to be drawn goes with it.
      this.term.parser.registerEscHandler({ final: 'c' }, () => {
        this.punchline.textContent = '';
        return false;
      }),
    );
    // Clicks inside the terminal must not reach reveal.js (which would advance the slide).
    this.disposables.push(listen(this.host, 'click', (event) => event.stopPropagation()));
    this.showPhase('idle', 'ready');
  }

  onRun(handler: () => void): IDisposable {
    return listen(this.runButton, 'click', handler);
  }

  onStop(handler: () => void): IDisposable {
    return listen(this.stopButton, 'click', handler);
  }

  /** Keys typed into the terminal (only ever when it has focus). */
  onInput(handler: (data: string) => void): IDisposable {
    return this.term.onData(handler);
  }

  /** Whether this view lives on `slide`. */
  isOn(slide: Element | undefined): boolean {
    return slide !== undefined && slide.contains(this.root);
  }

  get size(): TerminalSize {
    return { cols: this.term.cols, rows: this.term.rows };
  }

  /**
   * Opens xterm once its box has a size and fits it (or holds it at a pinned run's size).
   * Returns the size when it changed.
   */
  fit(): TerminalSize | null {
    if (this.disposed || this.host.clientWidth === 0 || this.host.clientHeight === 0) return null;
    if (!this.opened && !document.fonts.check(TERMINAL_FONT)) {
      this.openOnceFontLoaded();
      return null;
    }
    if (!this.opened) {
      this.term.open(this.host);
      this.opened = true;
    }
    const before = this.size;
    if (this.pinned !== null) {
      this.term.resize(this.pinned.cols, this.pinned.rows);
    } else {
      try {
        this.fitAddon.fit();
      } catch {
        return null; // not measurable yet (fonts still loading); the next fit will do
      }
    }
    const after = this.size;
    return after.cols !== before.cols || after.rows !== before.rows ? after : null;
  }

  /**
   * A clean screen for a run. `pin` draws it at the run's size (a run another page started);
   * without it the terminal fits its box.
   */
  reset(pin: TerminalSize | null): void {
    this.pinned = pin;
    this.resets += 1;
    this.term.write(FULL_RESET + SHOW_CURSOR);
    if (pin !== null) this.term.resize(pin.cols, pin.rows);
    else this.fit();
  }

  /** Opens (and fits) the terminal once its font is there; a font that fails to load opens it with the fallback. */
  private openOnceFontLoaded(): void {
    if (this.fontPending) return;
    this.fontPending = true;
    const open = (): void => {
      this.fontPending = false;
      if (!this.disposed && !this.opened && this.host.clientWidth > 0) {
        this.term.open(this.host);
        this.opened = true;
        this.fit();
      }
    };
    document.fonts.load(TERMINAL_FONT).then(open, open);
  }

  /** A run another page started changed size. */
  resizeTo(size: TerminalSize): void {
    this.pinned = size;
    this.term.resize(size.cols, size.rows);
  }

  write(data: string, written?: () => void): void {
    this.term.write(data, written);
  }

  /** Writes `line` on a line of its own once everything written before it is drawn. */
  writeLine(line: string, afterwards = ''): void {
    const resets = this.resets;
    this.term.write('', () => {
      if (this.disposed || resets !== this.resets) return;
      const newline = this.term.buffer.active.cursorX === 0 ? '' : '\r\n';
      this.term.write(`${newline}${line}\r\n${afterwards}`);
    });
  }

  /** The run is over: no cursor, keys back to the deck. */
  finish(): void {
    this.term.write(HIDE_CURSOR);
    this.releaseKeys();
  }

  showPhase(phase: ViewPhase, status: string): void {
    const busy = phase !== 'idle';
    this.root.classList.toggle('is-running', busy);
    this.runButton.disabled = busy;
    this.stopButton.disabled = !busy || phase === 'stopping';
    this.status.textContent = status;
  }

  showStatus(status: string): void {
    this.status.textContent = status;
  }

  /**
   * Marks what the terminal shows as a recording, plainly (`label`: "recording of 28 Nov 2026"),
   * or as live again (null).
   */
  showRecording(label: string | null): void {
    this.root.classList.toggle('is-recording', label !== null);
    this.badge.hidden = label === null;
    this.badge.textContent = label ?? '';
  }

  /** A small tag beside the demo's name, for good: what the demo needs ("Python ≥ 3.14"). */
  showTag(text: string): void {
    const tag = document.createElement('span');
    tag.className = 'demo-tag';
    tag.textContent = text;
    this.badge.before(tag);
  }

  /** A toolbar button of the view's kind, after Run and Stop (a replay's "Skip to end"). */
  addButton(text: string, label: string, className: string): HTMLButtonElement {
    const element = button(text, label, className);
    this.stopButton.after(element);
    if (this.options.readOnly) element.hidden = true;
    return element;
  }

  /** Gives the keyboard to the demo (a demo that reads input, run from this page). */
  takeKeys(): void {
    if (this.opened && !this.options.readOnly) this.term.focus();
  }

  /** Gives the keyboard back to the deck. */
  releaseKeys(): void {
    if (this.opened && this.root.contains(document.activeElement)) this.term.blur();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.term.dispose();
    this.toolbar.remove();
    this.host.remove();
    this.punchline.remove();
  }
}

function button(text: string, label: string, className: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  element.setAttribute('aria-label', label);
  return element;
}

export function listen<K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void): IDisposable {
  target.addEventListener(type, handler);
  return { dispose: () => target.removeEventListener(type, handler) };
}
