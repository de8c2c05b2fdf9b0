/**
 * The deck as the parser sees it: plain data, no I/O. `parse-deck.ts` produces it from
 * Markdown text; `render-deck.ts` turns it into reveal.js HTML.
 */
import type { RuntimeName } from '../runtimes.ts';

/** A problem in a slide or demo, located for the speaker. `line` is 1-based. */
export interface DeckError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A reference in a slide to something the page would load from another host. */
export interface RemoteResource {
  readonly file: string;
  readonly line: number;
  readonly url: string;
  /** What refers to it: `![](…)`, `<img src>`, `<style> url()`, … */
  readonly via: string;
  /** Why the page does not load it (the reference is disarmed), or null when the deck allows it. */
  readonly blocked: string | null;
}

/** A file under `demos/`, whole (`region` null) or one region of it, as a demo line names it. */
export interface DemoTarget {
  /** Path relative to `demos/`, as written. */
  readonly path: string;
  /** Region name (`#region name` … `#endregion` in the file), or null for the whole file. */
  readonly region: string | null;
}

/** The languages a demo is written in: what a deck says it is presented in (`language:`), and what a variant's tab says. */
export type DemoLanguage = 'python' | 'typescript';

/**
 * `requires=3.13` (at least CPython 3.13) or `requires=3.13t` (a free-threaded build, 3.13 or
 * later): what a Python demo needs of the interpreter that runs it.
 */
export interface PythonRequirement {
  readonly major: number;
  readonly minor: number;
  readonly freeThreaded: boolean;
}

/** A `<<< runtime path#region {steps} key=value flag` line in a slide. */
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
  /** `input`: the demo reads keyboard input, so the page focuses its terminal when it runs. */
  readonly input: boolean;
  /** `timing`: the demo's claim depends on timings (a speed-up), so starting it while another run is busy warns. */
  readonly timing: boolean;
  /** `timeline`: the demo is traced and its slide shows the timeline of its threads, processes, tasks and locks. */
  readonly timeline: boolean;
  /**
   * `typing=a.py#one,a.py#two`: the code the speaker "types" into the demo's shown code, in
   * order (prepared typing); each a file of the demo's runtime, whole or one region. [] without.
   */
  readonly typing: readonly DemoTarget[];
  /** `requires=3.14` / `requires=3.13t` (Python demos only): an older interpreter does not run it. Null without. */
  readonly requires: PythonRequirement | null;
  readonly line: number;
}

export interface Slide {
  readonly file: string;
  /** First line of the slide in its file. */
  readonly line: number;
  /**
   * Markdown body with each demo line replaced by a one-line placeholder the renderer fills
   * (a broken one by an empty line), so its line n (0-based) is file line `line + n`.
   */
  readonly markdown: string;
  readonly notes: string;
  /** File line of the notes' first line (their line n is file line `notesLine + n`); null without notes. */
  readonly notesLine: number | null;
  readonly demos: readonly DemoRef[];
  /**
   * The slide's demos as the page shows them, by index into `demos`, in order: demo lines
   * directly one after the other (no blank line between) are one group, shown as one box with
   * a tab per variant (a Python and a TypeScript take on one point); a demo alone is a group of one.
   */
  readonly groups: readonly (readonly number[])[];
  readonly errors: readonly DeckError[];
}

export type RemotePolicy = 'allow' | 'block';

export interface Section {
  readonly file: string;
  readonly title: string;
  /** Planned minutes for rehearsal timing, from the file's front matter. */
  readonly minutes: number | null;
  /** Length of the talk's slot in minutes; said once, in the first section. */
  readonly slot: number | null;
  /**
   * `remote: allow` lets the page load images, media, fonts and styles from other hosts; by
   * default (and with `block`) they are blocked. Said once, in the first section.
   */
  readonly remote: RemotePolicy | null;
  /** The language the talk is presented in (`language: python|typescript`): each variant group opens on its tab. Said once, in the first section. */
  readonly language: DemoLanguage | null;
  readonly slides: readonly Slide[];
  readonly errors: readonly DeckError[];
}

export interface Deck {
  readonly sections: readonly Section[];
}
