/**
 * The speaker's keys, in reveal.js's own key bindings (so `?` lists them in its help):
 * `r` runs the demos of the current slide, `.` stops them, `Shift+R` plays their recordings
 * instead (plan B on stage), `e` edits the code of its first demo, `t` types its next
 * prepared code, `l` switches the language of the slide's demo variants, `i` shows or hides
 * the timeline of its demos (a demo not traced is traced from its next run), `s` opens the
 * presenter screen. Keys only reach reveal.js while no terminal
 * or editor has focus: a terminal takes keys when clicked into, the editor while editing, and
 * Esc gives them back.
 */
import type { RevealApi } from 'reveal.js';
import { LANGUAGE_KEY } from './variants.ts';

export interface StageActions {
  run(): void;
  stop(): void;
  /** Plays the recordings of the current slide's demos instead of running them. */
  playRecording(): void;
  /** Edits the code of the current slide's first demo. */
  edit(): void;
  /** Types the next prepared code into it (again while it types: faster). */
  type(): void;
  /** Shows the next variant (Python, TypeScript) of every demo group on the current slide. */
  language(): void;
  /** Shows or hides the timeline of the current slide's demos. */
  timeline(): void;
  openPresenter(): void;
}

export function mountStageKeys(deck: RevealApi, actions: StageActions): void {
  deck.addKeyBinding({ keyCode: 82, key: 'R', description: 'Run the demos on this slide' }, () => actions.run());
  deck.addKeyBinding({ keyCode: 190, key: '.', description: 'Stop the demos on this slide' }, () => actions.stop());
  mountRecordingKey(deck, actions);
  // The `e` itself must not land in the editor it opens.
  deck.addKeyBinding({ keyCode: 69, key: 'E', description: 'Edit the code on this slide' }, (event) => {
    event.preventDefault();
    actions.edit();
  });
  deck.addKeyBinding({ keyCode: 84, key: 'T', description: 'Type the prepared code into the editor (again: faster)' }, (event) => {
    event.preventDefault();
    actions.type();
  });
  // reveal.js's own `l` (next slide, as →) gives way: the arrows and the clicker still move on.
  deck.addKeyBinding(LANGUAGE_KEY, () => actions.language());
  deck.addKeyBinding({ keyCode: 73, key: 'I', description: 'Show or hide the timeline of the demos on this slide (threads, processes, tasks, locks)' }, () => actions.timeline());
  deck.addKeyBinding({ keyCode: 83, key: 'S', description: 'Presenter screen' }, () => actions.openPresenter());
  // reveal.js lists `.` with B as Pause; here `.` stops the demos.
  deck.registerKeyboardShortcut('B  ,  .', 'Pause (B; here . stops the demos)');
  deck.registerKeyboardShortcut('Click a terminal', 'Type into the demo');
  deck.registerKeyboardShortcut('ESC (in a terminal or the editor)', 'Give the keys back to the deck');
}

/**
 * Shift+R plays the recordings. reveal.js drops every key pressed with Shift that is not one
 * of its own, so this one is heard beside it, under the same conditions: not while a terminal,
 * the editor or a field has the keys, and not on a page whose deck keys are off (an audience
 * page follows and never runs anything).
 */
function mountRecordingKey(deck: RevealApi, actions: StageActions): void {
  deck.registerKeyboardShortcut('⇧ R', 'Play the recordings of the demos on this slide');
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'R' || !event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
    if (deck.getConfig().keyboard === false || holdsKeys(document.activeElement)) return;
    event.preventDefault();
    if (!event.repeat) actions.playRecording();
  });
}

function holdsKeys(element: Element | null): boolean {
  return element instanceof HTMLElement && (element.isContentEditable || /^(input|textarea|select)$/i.test(element.tagName));
}
