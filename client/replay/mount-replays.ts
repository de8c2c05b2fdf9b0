/**
 * Every `.demo` under a root of the site page gets a terminal view marked as a recording and
 * a replay controller; a demo without a recording gets a read-only view that says so (no
 * Run). One dispose removes them all.
 */
import type { IDisposable } from '@xterm/xterm';
import type { Recording } from '../../server/recordings/recording.ts';
import { DIM, RESET } from '../runs/describe-exit.ts';
import { recordingLabel } from '../runs/recorded-date.ts';
import { TerminalView } from '../runs/terminal-view.ts';
import { ReplayController } from './replay-controller.ts';

export interface MountedReplays extends IDisposable {
  readonly controllers: readonly ReplayController[];
  /** Every view, with or without a recording (each is opened once its slide shows). */
  fitOn(slide: Element | undefined): void;
}

export function mountReplays(root: ParentNode, recordingFor: (demo: HTMLElement) => Promise<Recording | null>): MountedReplays {
  const controllers: ReplayController[] = [];
  const views: TerminalView[] = [];
  for (const element of root.querySelectorAll<HTMLElement>('.demo')) {
    const name = element.dataset['demo'] ?? 'demo';
    const hasRecording = (element.dataset['recording'] ?? '') !== '';
    const view = new TerminalView(element, { name, readOnly: !hasRecording });
    views.push(view);
    if (!hasRecording) {
      view.write(`${DIM}No recording of this demo: this copy of the talk cannot run code.${RESET}\r\n`);
      view.showStatus('no recording');
      continue;
    }
    // The badge says it all until it plays: the name keeps the toolbar's room.
    const recordedAt = element.dataset['recordedAt'];
    view.showRecording(recordedAt === undefined ? 'recording' : recordingLabel(recordedAt));
    view.showStatus('');
    controllers.push(new ReplayController(view, name, () => recordingFor(element)));
  }
  return {
    controllers,
    fitOn: (slide) => {
      for (const view of views) if (view.isOn(slide)) view.fit();
    },
    dispose: () => {
      for (const controller of controllers.splice(0)) controller.dispose();
      for (const view of views.splice(0)) view.dispose();
    },
  };
}
