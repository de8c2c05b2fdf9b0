/**
 * The presenter screen's keys, pure: a clicker's keys (PageDown/PageUp, arrows, space) move
 * the talk; `r` and `.` run and stop the current slide's demos, Shift+R plays their
 * recordings, `l` switches their language (Python, TypeScript) and `i` shows or hides their
 * timeline, as on the deck page;
 * Shift+T starts or ends a rehearsal (its timing).
 */

export type PresenterAction = 'next' | 'prev' | 'first' | 'last' | 'run' | 'stop' | 'edit' | 'type' | 'language' | 'timeline' | 'recording' | 'rehearsal' | 'dismiss';

/** The parts of a `KeyboardEvent` that choose the action. */
export interface KeyPress {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

const PLAIN_KEYS: Readonly<Record<string, PresenterAction>> = {
  ArrowRight: 'next',
  ArrowDown: 'next',
  PageDown: 'next',
  ' ': 'next',
  n: 'next',
  ArrowLeft: 'prev',
  ArrowUp: 'prev',
  PageUp: 'prev',
  p: 'prev',
  Home: 'first',
  End: 'last',
  r: 'run',
  '.': 'stop',
  e: 'edit',
  t: 'type',
  l: 'language',
  i: 'timeline',
  Escape: 'dismiss',
};

/** Null for a key the screen leaves alone (any with Ctrl, Alt or Meta: the browser's own shortcuts). */
export function actionForKey(press: KeyPress): PresenterAction | null {
  if (press.ctrlKey || press.altKey || press.metaKey) return null;
  // The same key as on the deck page: when a live run fails, the recording is one key away on either screen.
  if (press.key === 'R' && press.shiftKey) return 'recording';
  if (press.key === 'T' && press.shiftKey) return 'rehearsal';
  // Shift+Space is "previous" in reveal.js too.
  if (press.key === ' ' && press.shiftKey) return 'prev';
  return Object.hasOwn(PLAIN_KEYS, press.key) ? (PLAIN_KEYS[press.key] ?? null) : null;
}

/** The legend the screen shows: keys, then what they do. */
export const KEY_LEGEND: readonly (readonly [keys: string, does: string])[] = [
  ['→ PgDn Space', 'next'],
  ['← PgUp', 'back'],
  ['r', 'run'],
  ['.', 'stop'],
  ['e', 'edit'],
  ['t', 'type prepared'],
  ['l', 'Python / TypeScript'],
  ['i', 'timeline'],
  ['⇧R', 'play recording'],
  ['⇧T', 'rehearsal start/end'],
  ['Esc', 'close'],
];
