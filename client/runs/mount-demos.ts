/**
 * Every `.demo` under a root gets a terminal view and a run controller, and its code pane an
 * edit controller (Run runs the edit on show); one dispose removes them all. In the presenter
 * screen (the deck in its frame, `?view=frame`), each terminal also gets a "Play recording"
 * button beside Run and Stop: plan B, where the projected deck shows no such button.
 * Each demo also gets its timeline, shown from the start when its line says `timeline`.
 */
import type { IDisposable } from '@xterm/xterm';
import { EditController } from '../editing/edit-controller.ts';
import { EditStore } from '../editing/edit-storage.ts';
import type { KeyValueStorage } from '../editing/edit-storage.ts';
import type { SocketClient } from '../socket-client.ts';
import { cycleVariants, isShownVariant, mountVariantTabs, showDemo } from '../variants.ts';
import { tagRequirement } from './requirement-tag.ts';
import { RunController } from './run-controller.ts';
import { listen, TerminalView } from './terminal-view.ts';
import { TimelineController } from '../timeline/timeline-controller.ts';

export interface MountedDemos extends IDisposable {
  /** Every demo's controller, shown variant or not: the page watches them all. */
  readonly controllers: readonly RunController[];
  readonly edits: readonly EditController[];
  /** The controllers and editors of the variants on show: what `r`, `.`, `Shift+R`, `e` and `t` act on. */
  shownControllers(): RunController[];
  shownEdits(): EditController[];
  /** Shows the next variant of every group (the `l` key), its terminal fitted. */
  cycleVariants(): void;
  /** Shows the timelines of the demos on show, or hides them if one is shown (the `i` key). */
  toggleTimelines(): void;
}

export function mountDemos(root: HTMLElement, socket: SocketClient, readOnly: boolean): MountedDemos {
  const controllers: RunController[] = [];
  const edits: EditController[] = [];
  const buttons: IDisposable[] = [];
  const shown: { element: HTMLElement; controller: RunController; edit: EditController; timeline: TimelineController }[] = [];
  const recordingButton = !readOnly && inPresenterScreen();
  // An audience page keeps no edits: it shows what the server says is being typed.
  const store = new EditStore(readOnly ? null : pageStorage());
  for (const element of root.querySelectorAll<HTMLElement>('.demo')) {
    const key = element.dataset['demoKey'];
    const name = element.dataset['demo'] ?? key ?? 'demo';
    const view = new TerminalView(element, { name, readOnly });
    tagRequirement(view, element);
    if (key === undefined || key === '') {
      view.showPhase('idle', 'this demo has no data-demo-key');
      continue;
    }
    const edit = new EditController(
      element,
      {
        key,
        name,
        language: element.dataset['runtime'] === 'python' ? 'python' : 'typescript',
        version: element.dataset['version'] ?? '',
        firstLine: Math.max(1, Math.trunc(Number(element.dataset['firstLine'] ?? '1')) || 1),
        readOnly,
      },
      socket,
      store,
    );
    edits.push(edit);
    const timeline = new TimelineController(element, { demo: element.dataset['demo'] ?? name, shown: element.hasAttribute('data-timeline') });
    const controller = new RunController({ key, input: element.hasAttribute('data-input'), editedSource: () => edit.editedSource() }, view, socket, timeline);
    controllers.push(controller);
    shown.push({ element, controller, edit, timeline });
    // A run of a hidden variant, started from any page, switches its group to it: the room sees what runs.
    const follow = (): void => void showDemo(element);
    buttons.push(
      socket.on('starting', (m) => { if (m.demo === key) follow(); }),
      socket.on('screen', (m) => { if (m.demo === key && m.end === null) follow(); }),
    );
    if (recordingButton) {
      const play = view.addButton('Play recording', `Play the recording of ${name} instead of running it`, 'demo-skip demo-play-recording');
      buttons.push(listen(play, 'click', () => controller.playRecording()));
    }
  }
  const fitShown = (demo: HTMLElement): void => shown.find((entry) => entry.element === demo)?.controller.fit();
  buttons.push(mountVariantTabs(root, fitShown));
  const onShow = (): typeof shown => shown.filter((entry) => isShownVariant(entry.element));
  return {
    controllers,
    edits,
    shownControllers: () => onShow().map((entry) => entry.controller),
    shownEdits: () => onShow().map((entry) => entry.edit),
    cycleVariants: () => cycleVariants(root),
    toggleTimelines: () => {
      const entries = onShow();
      const show = !entries.some((entry) => entry.timeline.shown);
      for (const entry of entries) entry.timeline.show(show);
      // The terminal gave the timeline room (or takes it back): its rows follow.
      requestAnimationFrame(() => { for (const entry of entries) entry.controller.fit(); });
    },
    dispose: () => {
      shown.splice(0);
      for (const button of buttons.splice(0)) button.dispose();
      for (const controller of controllers.splice(0)) controller.dispose();
      for (const edit of edits.splice(0)) edit.dispose();
    },
  };
}

/** The page's `localStorage`, or null where the browser denies it. */
function pageStorage(): KeyValueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The deck as the presenter screen shows it in its frame. */
function inPresenterScreen(): boolean {
  return new URLSearchParams(window.location.search).get('view') === 'frame';
}
