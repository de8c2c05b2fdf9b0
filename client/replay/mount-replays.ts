/**
 * Every `.demo` under a root of the site page gets a terminal view marked as a recording and
 * a replay controller, with the demo's timeline (replayed from a traced run's recording); a
 * demo without a recording gets a read-only view that says so (no Run). One dispose removes
 * them all.
 */
import type { IDisposable } from '@xterm/xterm';
import type { Recording } from '../../server/recordings/recording.ts';
import { DIM, RESET } from '../../server/describe-exit.ts';
import { recordingLabel } from '../runs/recorded-date.ts';
import { tagRequirement } from '../runs/requirement-tag.ts';
import { TerminalView } from '../runs/terminal-view.ts';
import { cycleVariants, isShownVariant, mountVariantTabs } from '../variants.ts';
import { TimelineController } from '../timeline/timeline-controller.ts';
import { ReplayController } from './replay-controller.ts';

export interface MountedReplays extends IDisposable {
  readonly controllers: readonly ReplayController[];
  /** The replays on `slide` that show (a group's visible variant): what `r` and `.` act on. */
  shownOn(slide: Element | undefined): ReplayController[];
  /** Shows the next variant of every group on `slide` (the `l` key), its terminal fitted. */
  cycleVariantsOn(slide: Element | undefined): void;
  /** Every view, with or without a recording (each is opened once its slide shows). */
  fitOn(slide: Element | undefined): void;
  /** Shows the timelines of the demos on `slide`, or hides them if one is shown (the `i` key). */
  toggleTimelinesOn(slide: Element | undefined): void;
}

export function mountReplays(root: HTMLElement, recordingFor: (demo: HTMLElement) => Promise<Recording | null>): MountedReplays {
  const controllers: ReplayController[] = [];
  const views: TerminalView[] = [];
  const byElement = new Map<HTMLElement, { view: TerminalView; controller: ReplayController | null; timeline: TimelineController | null }>();
  for (const element of root.querySelectorAll<HTMLElement>('.demo')) {
    const name = element.dataset['demo'] ?? 'demo';
    const hasRecording = (element.dataset['recording'] ?? '') !== '';
    const view = new TerminalView(element, { name, readOnly: !hasRecording });
    views.push(view);
    tagRequirement(view, element);
    if (!hasRecording) {
      byElement.set(element, { view, controller: null, timeline: null });
      view.write(`${DIM}No recording of this demo: this copy of the talk cannot run code.${RESET}\r\n`);
      view.showStatus('no recording');
      continue;
    }
    // The badge says it all until it plays: the name keeps the toolbar's room.
    const recordedAt = element.dataset['recordedAt'];
    view.showRecording(recordedAt === undefined ? 'recording' : recordingLabel(recordedAt));
    view.showStatus('');
    const timeline = new TimelineController(element, { demo: name, shown: element.hasAttribute('data-timeline') });
    const controller = new ReplayController(view, name, () => recordingFor(element), timeline);
    controllers.push(controller);
    byElement.set(element, { view, controller, timeline });
  }
  const fitShown = (demo: HTMLElement): void => void byElement.get(demo)?.view.fit();
  const tabs = mountVariantTabs(root, fitShown);
  return {
    controllers,
    shownOn: (slide) => [...byElement].flatMap(([element, { view, controller }]) => (controller !== null && view.isOn(slide) && isShownVariant(element) ? [controller] : [])),
    cycleVariantsOn: (slide) => {
      if (slide !== undefined) cycleVariants(slide);
    },
    fitOn: (slide) => {
      for (const view of views) if (view.isOn(slide)) view.fit();
    },
    toggleTimelinesOn: (slide) => {
      const entries = [...byElement].filter(([element, { view, timeline }]) => timeline !== null && view.isOn(slide) && isShownVariant(element));
      const show = !entries.some(([, { timeline }]) => timeline?.shown === true);
      for (const [, { timeline }] of entries) timeline?.show(show);
      // The terminal gave the timeline room (or takes it back): its rows follow.
      requestAnimationFrame(() => { for (const [, { view }] of entries) view.fit(); });
    },
    dispose: () => {
      tabs.dispose();
      byElement.clear();
      for (const controller of controllers.splice(0)) controller.dispose();
      for (const view of views.splice(0)) view.dispose();
    },
  };
}
