/**
 * Records one run of a demo as it goes: each output chunk becomes a cast event, timed from
 * the moment the run was started, and goes into a headless terminal (`RunScreen`, the same
 * the server keeps for late pages) whose last screen the recording keeps. The run itself is
 * the caller's; this only watches its output and, at its end, makes the `Recording`.
 */
import { describeExit } from '../describe-exit.ts';
import { chooseDemoLayout, TERMINAL_SIZE, TIMELINE_TERMINAL_SIZE } from '../deck/demo-layout.ts';
import type { TerminalGrid } from '../deck/demo-layout.ts';
import { extractRegion } from '../deck/regions.ts';
import type { RunEnd } from '../run-outcome.ts';
import type { Disposable } from '../runners/runner.ts';
import { RunScreen } from '../runs/run-screen.ts';
import type { RuntimeName } from '../runtimes.ts';
import type { DemoHash } from './demo-hash.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import type { CastEvent, Recording } from './recording.ts';

/**
 * The size a demo is recorded at: its terminal's on its slide at 1280×720, in the layout the
 * renderer gives its shown code (server/deck/demo-layout.ts), smaller beside a timeline.
 * Code whose region cannot be read gets the side-by-side size (the deck check reports the
 * region).
 */
export function recordingSize(source: string, region: string | null, timeline = false): TerminalGrid {
  const code = extractRegion(source, region);
  return (timeline ? TIMELINE_TERMINAL_SIZE : TERMINAL_SIZE)[code.ok ? chooseDemoLayout(code.value) : 'side'];
}

/**
 * Output kept as events, counted as written in the cast (JSON-escaped). A flood past it is not
 * kept: the cast ends with one event that draws the final screen instead, so a replay still
 * ends where the run did, and the file stays well under a megabyte.
 */
export const MAX_CAST_CHARS = 768 * 1024;

/** Clears the screen and its scrollback before the final screen is drawn in a cut cast. */
const CLEAR = '\x1b[H\x1b[2J\x1b[3J';

export interface RecordedDemo {
  readonly runtime: RuntimeName;
  /** Relative to `demos/`. */
  readonly demo: string;
  readonly hash: DemoHash;
}

export interface RecorderOptions {
  readonly cols: number;
  readonly rows: number;
  /** The cast's event budget (default `MAX_CAST_CHARS`). */
  readonly maxCastChars?: number;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** Wall-clock milliseconds for the header and the meta (default `Date.now`). */
  readonly clock?: () => number;
}

export class DemoRecorder implements Disposable {
  private readonly screen: RunScreen;
  private readonly now: () => number;
  private readonly clock: () => number;
  private readonly maxCastChars: number;
  private readonly events: CastEvent[] = [];
  private readonly traceEvents: TraceEvent[] = [];
  private startedAt = 0;
  private startedAtWall = 0;
  private castChars = 0;
  private totalChars = 0;
  private keptChars = 0;
  private lastTime = 0;

  constructor(private readonly options: RecorderOptions) {
    this.screen = new RunScreen(options.cols, options.rows);
    this.now = options.now ?? (() => performance.now());
    this.clock = options.clock ?? (() => Date.now());
    this.maxCastChars = options.maxCastChars ?? MAX_CAST_CHARS;
  }

  /** The run starts now: event times count from here. */
  start(): void {
    this.startedAt = this.now();
    this.startedAtWall = this.clock();
  }

  /** One output chunk, as the run delivers it. */
  output(data: string): void {
    if (data.length === 0) return;
    this.screen.write(data);
    this.totalChars += data.length;
    this.lastTime = this.elapsed();
    if (this.keptChars < this.totalChars - data.length) return;
    const encoded = JSON.stringify(data).length;
    if (this.castChars + encoded > this.maxCastChars) return;
    this.castChars += encoded;
    this.keptChars += data.length;
    this.events.push([this.lastTime, 'o', data]);
  }

  /** A batch of a traced run's trace events (times already relative to the run's start). */
  trace(events: readonly TraceEvent[]): void {
    for (const event of events) this.traceEvents.push(event);
  }

  /** The recording of the run that ended with `end`; the recorder is done after it. */
  async finish(demo: RecordedDemo, end: RunEnd): Promise<Recording> {
    this.screen.freeze();
    const finalScreen = (await this.screen.snapshot()).data;
    const cut = this.keptChars < this.totalChars;
    const events = cut ? [...this.events, [this.lastTime, 'o', `${CLEAR}${finalScreen}`] as const] : this.events;
    return {
      header: {
        version: 2,
        width: this.options.cols,
        height: this.options.rows,
        timestamp: Math.floor(this.startedAtWall / 1000),
        title: `${demo.runtime} ${demo.demo}`,
        env: { TERM: 'xterm-256color' },
      },
      events,
      ...(this.traceEvents.length === 0 ? {} : { trace: this.traceEvents }),
      meta: {
        format: 1,
        runtime: demo.runtime,
        demo: demo.demo,
        hash: demo.hash.hash,
        files: demo.hash.files,
        recordedAt: new Date(this.startedAtWall).toISOString(),
        cols: this.options.cols,
        rows: this.options.rows,
        end,
        exitLine: plainExitLine(end),
        finalScreen,
        ...(cut ? { cut: { keptChars: this.keptChars, totalChars: this.totalChars } } : {}),
      },
    };
  }

  dispose(): void {
    this.screen.dispose();
  }

  /** Seconds since the start, to the millisecond; never less than the last event's. */
  private elapsed(): number {
    return Math.max(this.lastTime, Math.round(this.now() - this.startedAt) / 1000);
  }
}

/** The line the page ends a run's terminal with, without its colours: `⏎ exit 0 · 1.23 s`. */
export function plainExitLine(end: RunEnd): string {
  return describeExit(end).line.replace(/\x1b\[[0-9;]*m/g, '');
}
