/** How every demo terminal looks; shared with the benchmark, which must measure the same terminal. */
import type { ITerminalOptions } from '@xterm/xterm';

export const terminalOptions = {
  // Keeps an accessibility tree of the rows: screen readers and tests read the text there.
  screenReaderMode: true,
  convertEol: true,
  scrollback: 5000,
  fontSize: 15,
  lineHeight: 1.1,
  fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
  cursorBlink: false,
  allowProposedApi: false,
  theme: {
    background: '#101418',
    foreground: '#e6e6e6',
    cursor: '#e6e6e6',
    selectionBackground: '#3a4a5a',
    black: '#1c2126', red: '#ff6b6b', green: '#8fd18f', yellow: '#ffd166',
    blue: '#74b3ff', magenta: '#d7a0ff', cyan: '#6fdde0', white: '#e6e6e6',
    brightBlack: '#7d8590', brightRed: '#ff8787', brightGreen: '#a9e5a9', brightYellow: '#ffe08a',
    brightBlue: '#9ccaff', brightMagenta: '#e4bfff', brightCyan: '#9ff0f2', brightWhite: '#ffffff',
  },
} as const satisfies ITerminalOptions;
