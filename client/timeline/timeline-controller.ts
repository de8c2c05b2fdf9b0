/**
 * The timeline of one demo on a page: the run controller tells it when a run begins (and
 * whether it is traced), hands it each `trace` batch and says when the run ends; it folds the
 * events into its model and has the view draw them. While the run goes on, the picture
 * follows the newest events (the last few seconds) and the clock, so a hanging demo's waits
 * keep growing; after the exit it fits the whole run. Shown or hidden by the demo line's
 * `timeline` and the `i` key; shown on a demo that is not traced, it asks for its next run
 * to be traced, and a traced run shows it on every page.
 */
import type { IDisposable } from '@xterm/xterm';
import { TimelineModel } from '../../server/trace/timeline-model.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';
import { downloadTrace } from './download-trace.ts';
import { TimelineView } from './timeline-view.ts';
import type { TimeWindow } from './timeline-view.ts';

/** How much of a live run the picture shows: enough to see a pattern, recent enough to follow. */
const LIVE_WINDOW_US = 8_000_000;
/** A live run's picture is never narrower than this, so its first moments do not fill the width. */
const MIN_SPAN_US = 2_000_000;
/** How often a live picture moves on with the clock when no events come (a hanging demo). */
const TICK_MS = 250;

export interface TimelineOptions {
  /** The demo's path under demos/, for the download's name. */
  readonly demo: string;
  /** Shown from the start (the demo line says `timeline`). */
  readonly shown: boolean;
}

export class TimelineController implements IDisposable {
  private readonly view: TimelineView;
  private model = new TimelineModel();
  private run: string | null = null;
  private traced = false;
  private live = false;
  private startedAt = 0;
  private frame: number | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;
  private readonly resize: ResizeObserver;
  private readonly onDownload = (): void => {
    if (this.run !== null) downloadTrace(this.options.demo, this.run, this.model.events);
  };

  constructor(
    private readonly root: HTMLElement,
    private readonly options: TimelineOptions,
  ) {
    this.view = new TimelineView(root, options.demo);
    this.view.downloadButton.addEventListener('click', this.onDownload);
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.view.element);
    this.show(options.shown);
  }

  /** Shown: the next run this page asks for is traced. */
  get wantsTrace(): boolean {
    return this.view.shown;
  }

  get shown(): boolean {
    return this.view.shown;
  }

  /**
   * A run begins, or a page joins one that has been going for `elapsedMs`. A traced run shows
   * its timeline on every screen: the speaker's `i` and Run on the presenter screen reach the room.
   */
  begin(run: string, traced: boolean, elapsedMs: number): void {
    if (traced && !this.view.shown) this.show(true);
    this.run = run;
    this.traced = traced;
    this.live = true;
    this.model = new TimelineModel();
    this.startedAt = performance.now() - elapsedMs;
    this.view.showMessage(traced ? 'Waiting for the first events…' : 'This run is not traced: press i before Run, or give the demo line `timeline`.');
    this.startTicking();
    this.schedule();
  }

  /** The run's events from index `from` on. */
  add(run: string, from: number, events: readonly TraceEvent[]): void {
    if (run !== this.run) return;
    this.traced = true;
    if (this.model.add(from, events)) this.schedule();
  }

  /** The run is over: the picture fits all of it (and takes what still comes). */
  end(): void {
    this.live = false;
    this.stopTicking();
    if (this.traced && this.model.events.length === 0) this.view.showMessage('The run ended before its tracer sent anything.');
    this.schedule();
  }

  dispose(): void {
    this.stopTicking();
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.view.downloadButton.removeEventListener('click', this.onDownload);
    this.view.dispose();
    this.root.classList.remove('has-timeline');
  }

  /** Shows or hides the timeline (the `i` key). */
  show(shown: boolean): void {
    this.view.show(shown);
    this.root.classList.toggle('has-timeline', shown);
    if (shown) {
      this.startTicking();
      this.schedule();
    } else {
      this.stopTicking();
    }
  }

  /** One drawing per frame, however many batches came in it; none while hidden. */
  private schedule(): void {
    if (this.frame !== null || !this.view.shown) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      if (this.view.shown && this.run !== null) this.view.draw(this.model, this.window());
    });
  }

  private window(): TimeWindow {
    const end = this.model.endTs;
    if (!this.live) return { from: 0, to: Math.max(end, 1), now: end, live: false };
    const now = Math.max(end, (performance.now() - this.startedAt) * 1000);
    const to = Math.max(now, MIN_SPAN_US);
    return { from: Math.max(0, to - LIVE_WINDOW_US), to, now, live: true };
  }

  private startTicking(): void {
    if (this.tick !== null || !this.live || !this.view.shown) return;
    this.tick = setInterval(() => this.schedule(), TICK_MS);
  }

  private stopTicking(): void {
    if (this.tick !== null) clearInterval(this.tick);
    this.tick = null;
  }
}
