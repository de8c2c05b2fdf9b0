/**
 * Every `.demo` under a root gets a terminal view and a run controller, and its code pane an
 * edit controller (Run runs the edit on show); one dispose removes them all.
 */
import type { IDisposable } from '@xterm/xterm';
import { EditController } from '../editing/edit-controller.ts';
import { EditStore } from '../editing/edit-storage.ts';
import type { KeyValueStorage } from '../editing/edit-storage.ts';
import type { SocketClient } from '../socket-client.ts';
import { RunController } from './run-controller.ts';
import { TerminalView } from './terminal-view.ts';

export interface MountedDemos extends IDisposable {
  readonly controllers: readonly RunController[];
  readonly edits: readonly EditController[];
}

export function mountDemos(root: ParentNode, socket: SocketClient, readOnly: boolean): MountedDemos {
  const controllers: RunController[] = [];
  const edits: EditController[] = [];
  // An audience page keeps no edits: it shows what the server says is being typed.
  const store = new EditStore(readOnly ? null : pageStorage());
  for (const element of root.querySelectorAll<HTMLElement>('.demo')) {
    const key = element.dataset['demoKey'];
    const name = element.dataset['demo'] ?? key ?? 'demo';
    const view = new TerminalView(element, { name, readOnly });
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
    controllers.push(new RunController({ key, input: element.hasAttribute('data-input'), editedSource: () => edit.editedSource() }, view, socket));
  }
  return {
    controllers,
    edits,
    dispose: () => {
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
