/** How every demo terminal looks; shared with the benchmark, which must measure the same terminal. */
import type { ITerminalOptions } from '@xterm/xterm';

/**
 * 22 px JetBrains Mono (bundled by client/styles.css): the size server/deck/demo-layout.ts's
 * terminal sizes are measured at. Line height 1: the font's own line gap already spaces rows.
 */
export const TERMINAL_FONT_SIZE = 22;
export const TERMINAL_FONT_FAMILY = '"JetBrains Mono", ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace';

export const terminalOptions = {
  // Keeps an accessibility tree of the rows: screen readers and tests read the text there.
  screenReaderMode: true,
  convertEol: true,
  scrollback: 5000,
  fontSize: TERMINAL_FONT_SIZE,
  lineHeight: 1,
  fontFamily: TERMINAL_FONT_FAMILY,
  fontWeightBold: 'bold',
  cursorBlink: false,
  allowProposedApi: false,
  // Colours that keep apart with red-green colour blindness: a bluish green and a vermilion, a clear yellow.
  theme: {
    background: '#0a1017',
    foreground: '#e8edf2',
    cursor: '#e8edf2',
    selectionBackground: '#2f5f8a',
    black: '#1c2630', red: '#ff7b54', green: '#4fd6a5', yellow: '#ffd43b',
    blue: '#6cb6ff', magenta: '#e08fd0', cyan: '#7fdcf0', white: '#e8edf2',
    brightBlack: '#8796a5', brightRed: '#ff9d7e', brightGreen: '#7fe6c0', brightYellow: '#ffe27a',
    brightBlue: '#9ccdff', brightMagenta: '#f0b5e4', brightCyan: '#a8ecf8', brightWhite: '#ffffff',
  },
} as const satisfies ITerminalOptions;
