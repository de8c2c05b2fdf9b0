/**
 * The site's keys for its demos, in reveal.js's own key bindings (so `?` lists them), the
 * same keys as on stage (client/stage-keys.ts): `r` plays the current slide's recordings,
 * `.` pauses them, `l` switches the language of their variants, `i` shows or hides their
 * timelines. The stage's other keys (edit, type, presenter screen) have nothing to do
 * on a read-only copy.
 */
import type { RevealApi } from 'reveal.js';
import { LANGUAGE_KEY } from '../variants.ts';

export interface ReplayActions {
  play(): void;
  pause(): void;
  /** Shows the next variant (Python, TypeScript) of every demo group on the current slide. */
  language(): void;
  /** Shows or hides the timelines of the current slide's demos. */
  timeline(): void;
}

export function mountReplayKeys(deck: RevealApi, actions: ReplayActions): void {
  deck.addKeyBinding({ keyCode: 82, key: 'R', description: 'Play the recorded demos on this slide' }, () => actions.play());
  deck.addKeyBinding({ keyCode: 190, key: '.', description: 'Pause the recorded demos on this slide' }, () => actions.pause());
  deck.addKeyBinding(LANGUAGE_KEY, () => actions.language());
  deck.addKeyBinding({ keyCode: 73, key: 'I', description: 'Show or hide the timeline of the demos on this slide' }, () => actions.timeline());
  // reveal.js lists `.` with B as Pause; here `.` pauses the demos.
  deck.registerKeyboardShortcut('B  ,  .', 'Pause (B; here . pauses the demos)');
}
