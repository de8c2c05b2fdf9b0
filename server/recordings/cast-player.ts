/**
 * Plays a recording's output at its recorded pace: each event when its time has come, with
 * pause, resume and skip to the end, and, for a traced run, its trace events in step with
 * the output. Timers only, no Node or DOM API, so the server (the fallback on stage) and the
 * page (the hosted site) play recordings the same way.
 */
import type { TraceEvent } from '../trace/trace-event.ts';
import type { CastEvent } from './recording.ts';

export interface CastPlayerEvents {
  /** One or more events' output whose time has come, in order. */
  readonly output: (data: string) => void;
  /** Trace events whose time has come, in order. */
  readonly trace?: (events: readonly TraceEvent[]) => void;
  /** Everything was played (or skipped to); fires once. */
  readonly end: () => void;
}

export class CastPlayer {
  private next = 0;
  private nextTrace = 0;
  /** The trace by time (metadata first: it has no time of its own). */
  private readonly trace: readonly TraceEvent[];
  /** Recording time (ms) reached when the player last paused; playing from here on. */
  private offsetMs = 0;
  /** Wall time at which recording time `offsetMs` was reached, while playing. */
  private resumedAt: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ended = false;

  constructor(
    private readonly events: readonly CastEvent[],
    private readonly on: CastPlayerEvents,
    private readonly now: () => number = () => performance.now(),
    trace: readonly TraceEvent[] = [],
  ) {
    this.trace = [...trace].sort((a, b) => a.ts - b.ts);
  }

  get playing(): boolean {
    return this.resumedAt !== null;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Where the playback is, in ms of recording time. */
  get positionMs(): number {
    return this.resumedAt === null ? this.offsetMs : this.offsetMs + (this.now() - this.resumedAt);
  }

  /** Starts or resumes playing. */
  play(): void {
    if (this.ended || this.resumedAt !== null) return;
    this.resumedAt = this.now();
    this.tick();
  }

  /** Holds the playback where it is (flow control, or the viewer's Pause). */
  pause(): void {
    if (this.resumedAt === null) return;
    this.offsetMs = this.positionMs;
    this.resumedAt = null;
    this.clearTimer();
  }

  /** Plays everything left at once and ends. */
  skipToEnd(): void {
    if (this.ended) return;
    this.emit(this.events.length);
    this.emitTrace(this.trace.length);
    if (!this.ended) this.finish();
  }

  /** Stops for good, without `end`. */
  dispose(): void {
    this.ended = true;
    this.resumedAt = null;
    this.clearTimer();
  }

  private tick(): void {
    this.clearTimer();
    if (this.resumedAt === null || this.ended) return;
    const position = this.positionMs;
    let dueTrace = this.nextTrace;
    while (dueTrace < this.trace.length && (this.trace[dueTrace]?.ts ?? 0) / 1000 <= position) dueTrace += 1;
    this.emitTrace(dueTrace);
    let due = this.next;
    while (due < this.events.length && (this.events[due]?.[0] ?? 0) * 1000 <= position) due += 1;
    this.emit(due);
    // `output` may have paused or disposed the player.
    if (this.ended) return;
    if (this.next >= this.events.length) {
      // The trace's last events (a process's end) may come after the last output.
      this.emitTrace(this.trace.length);
      if (!this.ended) this.finish();
      return;
    }
    if (this.resumedAt === null) return;
    const nextTraceMs = this.nextTrace < this.trace.length ? (this.trace[this.nextTrace]?.ts ?? 0) / 1000 : Infinity;
    const waitMs = Math.min((this.events[this.next]?.[0] ?? 0) * 1000, nextTraceMs) - position;
    this.timer = setTimeout(() => this.tick(), Math.max(0, waitMs));
  }

  /** Hands on the events before `until` as one chunk. */
  private emit(until: number): void {
    if (until <= this.next) return;
    const data = this.events.slice(this.next, until).map((event) => event[2]).join('');
    this.next = until;
    if (data !== '') this.on.output(data);
  }

  /** Hands on the trace events before `until` as one batch. */
  private emitTrace(until: number): void {
    if (until <= this.nextTrace) return;
    const batch = this.trace.slice(this.nextTrace, until);
    this.nextTrace = until;
    this.on.trace?.(batch);
  }

  private finish(): void {
    this.ended = true;
    this.resumedAt = null;
    this.clearTimer();
    this.on.end();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
