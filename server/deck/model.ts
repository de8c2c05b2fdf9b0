/**
 * The deck as the parser sees it: plain data, no I/O. `parse-deck.ts` produces it from
 * Markdown text; `render-deck.ts` turns it into reveal.js HTML.
 */
import type { RuntimeName } from '../protocol.ts';

/** A problem in a slide or demo, located for the speaker. `line` is 1-based. */
export interface DeckError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A `<<< runtime path#region {steps} key=value` line in a slide. */
export interface DemoRef {
  readonly runtime: RuntimeName;
  /** Path relative to `demos/`, as written. */
  readonly path: string;
  /** Region name to show (`#region name` … `#endregion` in the demo file), or null for the whole file. */
  readonly region: string | null;
  /** Line-highlight steps, 1-based lines relative to the shown code; [] means no highlight. */
  readonly steps: readonly (readonly number[])[];
  readonly timeoutMs: number | null;
  readonly maxOutputBytes: number | null;
  /** Expected outcome for `npm run check`: `ok` (exit 0) or `fail` (any other end). */
  readonly expect: 'ok' | 'fail';
  readonly line: number;
}

export interface Slide {
  readonly file: string;
  /** First line of the slide in its file. */
  readonly line: number;
  /** Markdown body with each demo line replaced by a placeholder the renderer fills. */
  readonly markdown: string;
  readonly notes: string;
  readonly demos: readonly DemoRef[];
  readonly errors: readonly DeckError[];
}

export interface Section {
  readonly file: string;
  readonly title: string;
  /** Planned minutes for rehearsal timing, from the file's front matter. */
  readonly minutes: number | null;
  /** Length of the talk's slot in minutes; said once, in the first section. */
  readonly slot: number | null;
  readonly slides: readonly Slide[];
  readonly errors: readonly DeckError[];
}

export interface Deck {
  readonly sections: readonly Section[];
}
