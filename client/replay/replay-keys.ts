/**
 * The site's keys for its demos, in reveal.js's own key bindings (so `?` lists them), the
 * same keys as on stage (client/stage-keys.ts): `r` plays the current slide's recordings,
 * `.` pauses them. The stage's other keys (edit, type, presenter screen) have nothing to do
 * on a read-only copy.
 */
import type { RevealApi } from 'reveal.js';

export interface ReplayActions {
  play(): void;
  pause(): void;
}

export function mountReplayKeys(deck: RevealApi, actions: ReplayActions): void {
  deck.addKeyBinding({ keyCode: 82, key: 'R', description: 'Play the recorded demos on this slide' }, () => actions.play());
  deck.addKeyBinding({ keyCode: 190, key: '.', description: 'Pause the recorded demos on this slide' }, () => actions.pause());
  // reveal.js lists `.` with B as Pause; here `.` pauses the demos.
  deck.registerKeyboardShortcut('B  ,  .', 'Pause (B; here . pauses the demos)');
}
