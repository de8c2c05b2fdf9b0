/** Every `.demo` under a root gets a terminal view and a run controller; one dispose removes them all. */
import type { IDisposable } from '@xterm/xterm';
import type { SocketClient } from '../socket-client.ts';
import { RunController } from './run-controller.ts';
import { TerminalView } from './terminal-view.ts';

export interface MountedDemos extends IDisposable {
  readonly controllers: readonly RunController[];
}

export function mountDemos(root: ParentNode, socket: SocketClient, readOnly: boolean): MountedDemos {
  const controllers: RunController[] = [];
  for (const element of root.querySelectorAll<HTMLElement>('.demo')) {
    const key = element.dataset['demoKey'];
    const name = element.dataset['demo'] ?? key ?? 'demo';
    const view = new TerminalView(element, { name, readOnly });
    if (key === undefined || key === '') {
      view.showPhase('idle', 'this demo has no data-demo-key');
      continue;
    }
    controllers.push(new RunController({ key, input: element.hasAttribute('data-input') }, view, socket));
  }
  return {
    controllers,
    dispose: () => {
      for (const controller of controllers.splice(0)) controller.dispose();
    },
  };
}
