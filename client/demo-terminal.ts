/**
 * One `.demo` on a slide: a Run/Stop toolbar and an xterm.js terminal that shows one run
 * at a time. The terminal acknowledges output once xterm has written it, which
 * is what lets the server pause a demo that prints faster than the page can render.
 * Everything the terminal holds (its run, listeners, xterm) ends in `dispose()`.
 */
import { Terminal } from '@xterm/xterm';
import type { IDisposable } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { LIMITS } from '../server/protocol.ts';
import type { RunRequest } from '../server/protocol.ts';
import type { RunMessage, SocketClient } from './socket-client.ts';
import { terminalOptions } from './terminal-options.ts';

type ExitMessage = Extract<RunMessage, { type: 'exit' }>;

interface ActiveRun {
  readonly id: string;
  readonly subscription: IDisposable;
  stopping: boolean;
}

interface DemoSpec {
  /** The demo's key in the deck: all the server needs to know what to run, and under which limits. */
  readonly key: string;
  /** The demo file, as the toolbar names it. */
  readonly demo: string;
}

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export function newRunId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

function readSpec(root: HTMLElement): DemoSpec | string {
  const key = root.dataset['demoKey'];
  if (key === undefined || key === '') return 'this demo has no data-demo-key';
  return { key, demo: root.dataset['demo'] ?? key };
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The last line a run leaves in its terminal, and the short status beside the buttons. */
export function describeExit(exit: Omit<ExitMessage, 'type' | 'run'>): { line: string; status: string } {
  const time = formatSeconds(exit.durationMs);
  const signal = exit.signal === null ? '' : ` (${exit.signal})`;
  switch (exit.reason) {
    case 'exit': {
      const code = exit.code ?? 0;
      const color = code === 0 ? DIM : RED;
      return { line: `${color}⏎ exit ${code}${signal} · ${time}${RESET}`, status: `exit ${code}` };
    }
    case 'stopped':
      return { line: `${YELLOW}■ stopped${signal} · ${time}${RESET}`, status: 'stopped' };
    case 'timeout':
      return { line: `${YELLOW}⏱ stopped: time limit${signal} · ${time}${RESET}`, status: 'time limit' };
    case 'output-limit':
      return { line: `${YELLOW}⏹ stopped: output limit${signal} · ${time}${RESET}`, status: 'output limit' };
    case 'memory-limit':
      return { line: `${YELLOW}⏹ stopped: memory limit${signal} · ${time}${RESET}`, status: 'memory limit' };
    case 'disconnected':
      return { line: `${RED}⚠ disconnected · ${time}${RESET}`, status: 'disconnected' };
    case 'shutdown':
      return { line: `${YELLOW}⏻ server shutting down · ${time}${RESET}`, status: 'server stopped' };
    case 'error':
      return { line: `${RED}✖ error${signal} · ${time}${RESET}`, status: 'error' };
  }
}

export class DemoTerminal implements IDisposable {
  private readonly term: Terminal;
  private readonly fitAddon = new FitAddon();
  private readonly host: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly spec: DemoSpec | string;
  private readonly disposables: IDisposable[] = [];
  private readonly addedNodes: HTMLElement[] = [];
  private run: ActiveRun | null = null;
  private opened = false;
  /** Counts runs, so a late callback of an earlier run leaves the new one alone. */
  private generation = 0;
  private disposed = false;
  /** Output of the current run that xterm has written and the server has not yet been told of. */
  private writtenUnacked = 0;

  constructor(private readonly root: HTMLElement, private readonly socket: SocketClient) {
    this.spec = readSpec(root);
    const name = typeof this.spec === 'string' ? 'demo' : this.spec.demo;
    const box = root.querySelector<HTMLElement>('.demo-terminal') ?? root;

    const toolbar = document.createElement('div');
    toolbar.className = 'demo-toolbar';
    this.runButton = this.button('Run', `Run ${name}`, 'demo-run');
    this.stopButton = this.button('Stop', `Stop ${name}`, 'demo-stop');
    const label = document.createElement('span');
    label.className = 'demo-name';
    label.textContent = name;
    this.status = document.createElement('span');
    this.status.className = 'demo-status';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    toolbar.append(this.runButton, this.stopButton, label, this.status);

    this.host = document.createElement('div');
    this.host.className = 'demo-xterm';
    box.append(toolbar, this.host);
    this.addedNodes.push(toolbar, this.host);

    this.term = new Terminal({ ...terminalOptions, theme: { ...terminalOptions.theme } });
    this.term.loadAddon(this.fitAddon);
    this.term.write(HIDE_CURSOR); // no cursor until something runs
    this.disposables.push(
      this.term.onData((data) => this.sendInput(data)),
      listen(this.runButton, 'click', () => this.start()),
      listen(this.stopButton, 'click', () => this.stop()),
    );
    // Clicks inside the terminal must not reach reveal (which would advance the slide).
    this.disposables.push(listen(this.host, 'click', (event) => event.stopPropagation()));

    if (typeof this.spec === 'string') {
      this.setIdle(this.spec);
      this.runButton.disabled = true;
    } else {
      this.setIdle('ready');
    }
  }

  /** Fits the terminal when it lives on `slide` (the slide just shown). */
  fitIfIn(slide: Element | undefined): void {
    if (slide !== undefined && slide.contains(this.root)) this.fit();
  }

  /** Opens xterm once its box has a size, fits it, and tells the server about a new size. */
  fit(): void {
    if (this.disposed || this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    if (!this.opened) {
      this.term.open(this.host);
      this.opened = true;
    }
    const before = { cols: this.term.cols, rows: this.term.rows };
    try {
      this.fitAddon.fit();
    } catch {
      return; // not measurable yet (e.g. fonts still loading); the next fit will do
    }
    const { cols, rows } = this.term;
    if (this.run !== null && (cols !== before.cols || rows !== before.rows)) {
      this.socket.send({ type: 'resize', run: this.run.id, cols, rows });
    }
  }

  start(): void {
    if (this.disposed || typeof this.spec === 'string') return;
    this.endRun();
    this.fit();
    this.term.reset();
    this.term.write(SHOW_CURSOR);
    this.generation += 1;
    const id = newRunId();
    const request: RunRequest = {
      type: 'run',
      run: id,
      demo: this.spec.key,
      cols: Math.max(LIMITS.cols.min, this.term.cols),
      rows: Math.max(LIMITS.rows.min, this.term.rows),
    };
    const subscription = this.socket.listenToRun(id, {
      onMessage: (message) => this.handle(id, message),
      onDisconnect: () => this.handleDisconnect(id),
    });
    this.run = { id, subscription, stopping: false };
    if (!this.socket.send(request)) {
      this.endRun();
      this.term.writeln(`${RED}⚠ not connected to the server; try again in a moment${RESET}`);
      this.setIdle('not connected');
      return;
    }
    this.setRunning('starting…');
    if (this.opened) this.term.focus();
  }

  stop(): void {
    if (this.run === null || this.run.stopping) return;
    this.run.stopping = true;
    this.socket.send({ type: 'stop', run: this.run.id });
    this.status.textContent = 'stopping…';
  }

  dispose(): void {
    if (this.disposed) return;
    if (this.run !== null) this.socket.send({ type: 'stop', run: this.run.id });
    this.endRun();
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.term.dispose();
    for (const node of this.addedNodes.splice(0)) node.remove();
  }

  private handle(id: string, message: RunMessage): void {
    if (this.run?.id !== id) return;
    switch (message.type) {
      case 'started':
        if (!this.run.stopping) this.status.textContent = 'running…';
        return;
      case 'output': {
        const bytes = message.data.length;
        this.term.write(message.data, () => this.acknowledge(id, bytes));
        return;
      }
      case 'error':
        this.term.write(`\r\n${RED}✖ ${message.message}${RESET}\r\n`);
        return;
      case 'exit': {
        const { line, status } = describeExit(message);
        const note = message.message !== undefined && message.message !== '' ? `${DIM}${message.message}${RESET}\r\n` : '';
        // Queued behind the run's output, so the cursor column is the output's last one.
        const generation = this.generation;
        this.term.write('', () => {
          if (generation !== this.generation) return;
          const newline = this.term.buffer.active.cursorX === 0 ? '' : '\r\n';
          this.term.write(`${newline}${line}\r\n${note}${HIDE_CURSOR}`);
        });
        this.endRun();
        this.setIdle(status);
        return;
      }
    }
  }

  /**
   * xterm calls back once per chunk it has written, and writes several chunks in one slice
   * of its work: the chunks of one slice are acknowledged in one message, sent as the slice ends.
   */
  private acknowledge(id: string, bytes: number): void {
    if (this.run?.id !== id) return;
    const scheduled = this.writtenUnacked > 0;
    this.writtenUnacked += bytes;
    if (scheduled) return;
    queueMicrotask(() => {
      const written = this.writtenUnacked;
      this.writtenUnacked = 0;
      if (this.run?.id === id && written > 0) this.socket.send({ type: 'ack', run: id, bytes: written });
    });
  }

  private handleDisconnect(id: string): void {
    if (this.run?.id !== id) return;
    this.endRun();
    this.term.write(`\r\n${RED}⚠ disconnected from the server${RESET}\r\n${HIDE_CURSOR}`);
    this.setIdle('disconnected');
  }

  private sendInput(data: string): void {
    if (this.run === null) return;
    for (let i = 0; i < data.length; i += LIMITS.maxInputChars) {
      this.socket.send({ type: 'input', run: this.run.id, data: data.slice(i, i + LIMITS.maxInputChars) });
    }
  }

  private endRun(): void {
    const run = this.run;
    this.run = null;
    run?.subscription.dispose();
    // Give the keyboard back to reveal.js once nothing listens to it.
    if (run !== null && this.opened && this.root.contains(document.activeElement)) this.term.blur();
  }

  private setRunning(status: string): void {
    this.root.classList.add('is-running');
    this.runButton.disabled = true;
    this.stopButton.disabled = false;
    this.status.textContent = status;
  }

  private setIdle(status: string): void {
    this.root.classList.remove('is-running');
    this.runButton.disabled = false;
    this.stopButton.disabled = true;
    this.status.textContent = status;
  }

  private button(text: string, label: string, className: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = className;
    button.textContent = text;
    button.setAttribute('aria-label', label);
    return button;
  }
}

function listen<K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void): IDisposable {
  target.addEventListener(type, handler);
  return { dispose: () => target.removeEventListener(type, handler) };
}
