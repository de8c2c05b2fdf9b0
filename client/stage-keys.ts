/**
 * The speaker's keys, in reveal.js's own key bindings (so `?` lists them in its help):
 * `r` runs the demos of the current slide, `.` stops them, `e` edits the code of its first
 * demo, `t` types its next prepared code, `s` opens the presenter screen. Keys only reach reveal.js while no terminal or editor
 * has focus: a terminal takes keys when clicked into, the editor while editing, and Esc gives
 * them back.
 */
import type { RevealApi } from 'reveal.js';

export interface StageActions {
  run(): void;
  stop(): void;
  /** Edits the code of the current slide's first demo. */
  edit(): void;
  /** Types the next prepared code into it (again while it types: faster). */
  type(): void;
  openPresenter(): void;
}

export function mountStageKeys(deck: RevealApi, actions: StageActions): void {
  deck.addKeyBinding({ keyCode: 82, key: 'R', description: 'Run the demos on this slide' }, () => actions.run());
  deck.addKeyBinding({ keyCode: 190, key: '.', description: 'Stop the demos on this slide' }, () => actions.stop());
  // The `e` itself must not land in the editor it opens.
  deck.addKeyBinding({ keyCode: 69, key: 'E', description: 'Edit the code on this slide' }, (event) => {
    event.preventDefault();
    actions.edit();
  });
  deck.addKeyBinding({ keyCode: 84, key: 'T', description: 'Type the prepared code into the editor (again: faster)' }, (event) => {
    event.preventDefault();
    actions.type();
  });
  deck.addKeyBinding({ keyCode: 83, key: 'S', description: 'Presenter screen' }, () => actions.openPresenter());
  // reveal.js lists `.` with B as Pause; here `.` stops the demos.
  deck.registerKeyboardShortcut('B  ,  .', 'Pause (B; here . stops the demos)');
  deck.registerKeyboardShortcut('Click a terminal', 'Type into the demo');
  deck.registerKeyboardShortcut('ESC (in a terminal or the editor)', 'Give the keys back to the deck');
}
