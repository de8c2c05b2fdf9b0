/**
 * A demo's terminal on paper: the toolbar without Run or Stop (the demo's name, the
 * recording's date, how it ended) and an xterm.js terminal at the recorded size showing the
 * recording's final screen and its exit line, as the room saw it when the run ended. xterm
 * draws with its DOM renderer, so the PDF holds the output as text.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { Recording } from '../../server/recordings/recording.ts';
import { describeExit, DIM, RESET } from '../../server/describe-exit.ts';
import { recordingLabel } from '../runs/recorded-date.ts';
import { terminalOptions } from '../terminal-options.ts';

const HIDE_CURSOR = '\x1b[?25l';

export interface DrawnTerminal {
  /**
   * Resolves once xterm has drawn the rows. xterm pauses drawing a terminal outside the
   * viewport, so the terminal must be scrolled into view first.
   */
  paint(): Promise<void>;
}

/** Writes `recording` (or "no recording") into the demo's terminal box; resolves once xterm holds it all. */
export async function drawRecording(demo: HTMLElement, recording: Recording | null): Promise<DrawnTerminal> {
  const box = demo.querySelector<HTMLElement>('.demo-terminal') ?? demo;
  const host = document.createElement('div');
  host.className = 'demo-xterm';
  box.replaceChildren(toolbar(demo.dataset['demo'] ?? 'demo', recording), host);
  demo.classList.toggle('is-recording', recording !== null);

  const term = new Terminal({
    ...terminalOptions,
    theme: { ...terminalOptions.theme },
    // Paper has no screen reader: its hidden copy of the rows would be a second copy of the text in the PDF.
    screenReaderMode: false,
    disableStdin: true,
  });
  term.open(host);
  if (recording === null) {
    const fit = new FitAddon();
    term.loadAddon(fit);
    fit.fit();
    await write(term, `${HIDE_CURSOR}${DIM}no recording${RESET}`);
    return painter(term);
  }
  const { meta } = recording;
  term.resize(meta.cols, meta.rows);
  await write(term, HIDE_CURSOR + meta.finalScreen + HIDE_CURSOR);
  // The exit line on a line of its own, as the page writes it when a run ends.
  const newline = term.buffer.active.cursorX === 0 ? '' : '\r\n';
  await write(term, `${newline}${describeExit(meta.end).line}\r\n`);
  shrinkToFit(host, term);
  return painter(term);
}

function painter(term: Terminal): DrawnTerminal {
  return {
    paint: () =>
      new Promise((resolve) => {
        const rendered = term.onRender(() => {
          rendered.dispose();
          resolve();
        });
        term.refresh(0, term.rows - 1);
      }),
  };
}

function toolbar(name: string, recording: Recording | null): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'demo-toolbar';
  const label = document.createElement('span');
  label.className = 'demo-name';
  label.textContent = name;
  const status = document.createElement('span');
  status.className = 'demo-status';
  bar.append(label);
  if (recording !== null) {
    const badge = document.createElement('span');
    badge.className = 'demo-recording-badge';
    badge.textContent = recordingLabel(recording.meta.recordedAt);
    bar.append(badge);
  }
  status.textContent = recording === null ? 'no recording' : describeExit(recording.meta.end).status;
  bar.append(status);
  return bar;
}

function write(term: Terminal, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

/**
 * A recording made wider or taller than this box (another screen's size) is drawn smaller,
 * whole, rather than cut at the box's edge.
 */
function shrinkToFit(host: HTMLElement, term: Terminal): void {
  const screen = host.querySelector<HTMLElement>('.xterm-screen');
  const element = term.element;
  if (screen === null || element === undefined) return;
  const style = getComputedStyle(host);
  const width = host.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = host.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const scale = Math.min(1, width / screen.offsetWidth, height / screen.offsetHeight);
  if (scale < 1) element.style.zoom = String(scale);
}
