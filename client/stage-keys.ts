/**
 * The speaker's keys, in reveal.js's own key bindings (so `?` lists them in its help):
 * `r` runs the demos of the current slide, `.` stops them, `s` opens the presenter screen.
 * Keys only reach reveal.js while no terminal has focus: a terminal takes keys when clicked
 * into, and Esc gives them back.
 */
import type { RevealApi } from 'reveal.js';

export interface StageActions {
  run(): void;
  stop(): void;
  openPresenter(): void;
}

export function mountStageKeys(deck: RevealApi, actions: StageActions): void {
  deck.addKeyBinding({ keyCode: 82, key: 'R', description: 'Run the demos on this slide' }, () => actions.run());
  deck.addKeyBinding({ keyCode: 190, key: '.', description: 'Stop the demos on this slide' }, () => actions.stop());
  deck.addKeyBinding({ keyCode: 83, key: 'S', description: 'Presenter screen' }, () => actions.openPresenter());
  // reveal.js lists `.` with B as Pause; here `.` stops the demos.
  deck.registerKeyboardShortcut('B  ,  .', 'Pause (B; here . stops the demos)');
  deck.registerKeyboardShortcut('Click a terminal', 'Type into the demo');
  deck.registerKeyboardShortcut('ESC (in a terminal)', 'Give the keys back to the deck');
}
