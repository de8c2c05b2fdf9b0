/**
 * A timeline demo's picture on paper: its recording's trace folded whole into the timeline
 * beside the terminal, as the room saw it after the run (the deadlock's caption included).
 * A demo without a trace prints no timeline.
 */
import type { Recording } from '../../server/recordings/recording.ts';
import { TimelineController } from '../timeline/timeline-controller.ts';

/** Draws the timeline of `demo` from its recording's trace; null when it shows none. */
export function drawTimeline(demo: HTMLElement, recording: Recording | null): TimelineController | null {
  const trace = recording?.trace;
  if (!demo.hasAttribute('data-timeline') || trace === undefined || trace.length === 0) return null;
  const timeline = new TimelineController(demo, { demo: demo.dataset['demo'] ?? 'demo', shown: true });
  timeline.begin('recording', true, 0);
  timeline.add('recording', 0, trace);
  timeline.end();
  return timeline;
}
