/**
 * How a demo sits on its slide: its code pane beside its terminal (`side`) or above it
 * (`stacked`), chosen from the shown code alone (the renderer writes it as `data-layout`), so the renderer, `npm run record` and the
 * claim tests agree without a browser. Pure: no I/O, no DOM.
 *
 * The sizes are what the theme (client/styles.css) gives a 1280×720 slide with a heading and
 * the demo (language tabs sit in the heading's line and take no room), at 22 px code and
 * terminal text in JetBrains Mono (13.2 px a column, 29 px a terminal row, 29 px a code
 * line), measured in Chromium (test/browser/theme.test.ts keeps them honest): how much code a
 * pane shows without scrolling, and the terminal's cols × rows, which is also the size a demo
 * is recorded at. The content rule for demos (shown code ≤ 44 × 14, output ≤ 44 × 12 plus the
 * exit line) leaves room inside the side-by-side figures.
 */

export type DemoLayout = 'side' | 'stacked';

export const DEMO_LAYOUTS: readonly DemoLayout[] = ['side', 'stacked'];

export interface CodeArea {
  /** Characters per line shown without scrolling sideways. */
  readonly columns: number;
  /** Lines shown without scrolling. */
  readonly lines: number;
}

export interface TerminalGrid {
  readonly cols: number;
  readonly rows: number;
}

/** Code each layout's pane shows whole. */
const CODE_AREA_STACKED: CodeArea = { columns: 92, lines: 6 };

export const CODE_AREA: Readonly<Record<DemoLayout, CodeArea>> = {
  side: { columns: 44, lines: 19 },
  stacked: CODE_AREA_STACKED,
};

/**
 * The promise to whoever writes a demo: shown code within 44 characters × 14 lines and output
 * within 44 columns × 12 lines (the exit line apart) fit the side-by-side layout, with room
 * to spare for a step's highlight and a punchline, at 22 px.
 */
export const CONTENT_RULE = {
  code: { columns: 44, lines: 14 },
  output: { cols: 44, rows: 12 },
} as const;

/** The code a demo of each layout may show so that it fits (the side layout at the content rule). */
export const CODE_FITS: Readonly<Record<DemoLayout, CodeArea>> = {
  side: CONTENT_RULE.code,
  stacked: CODE_AREA_STACKED,
};

/** The terminal of each layout on a 1280×720 slide. */
export const TERMINAL_SIZE: Readonly<Record<DemoLayout, TerminalGrid>> = {
  side: { cols: 44, rows: 17 },
  stacked: { cols: 92, rows: 8 },
};

/**
 * The terminal of each layout when the demo shows its timeline (client/timeline/timeline.css):
 * side by side, the timeline takes the terminal's lower rows; stacked, the right half of the
 * terminal's row. A demo that shows its timeline prints within these to be read whole.
 */
export const TIMELINE_TERMINAL_SIZE: Readonly<Record<DemoLayout, TerminalGrid>> = {
  side: { cols: 44, rows: 10 },
  stacked: { cols: 44, rows: 8 },
};

/**
 * Side by side while every line of the shown code fits its pane: that layout gives both the
 * code and the output the most lines. Wider code is stacked, where it has the slide's width;
 * longer code stays side by side, where it has the most height (and scrolls past it).
 */
export function chooseDemoLayout(code: string): DemoLayout {
  return codeWidth(code) <= CODE_AREA.side.columns ? 'side' : 'stacked';
}

/** The widest line in columns (a tab counts as the 4 spaces the code pane shows). */
export function codeWidth(code: string): number {
  return Math.max(0, ...code.split('\n').map((line) => [...line.replace(/\t/g, '    ').trimEnd()].length));
}
