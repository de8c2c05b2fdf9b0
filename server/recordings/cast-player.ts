/**
 * Plays a recording's output at its recorded pace: each event when its time has come, with
 * pause, resume and skip to the end. Timers only, no Node or DOM API, so the server (the
 * fallback on stage) and the page (the hosted site) play recordings the same way.
 */
import type { CastEvent } from './recording.ts';

export interface CastPlayerEvents {
  /** One or more events' output whose time has come, in order. */
  readonly output: (data: string) => void;
  /** Everything was played (or skipped to); fires once. */
  readonly end: () => void;
}

export class CastPlayer {
  private next = 0;
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
  ) {}

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
    this.finish();
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
    let due = this.next;
    while (due < this.events.length && (this.events[due]?.[0] ?? 0) * 1000 <= position) due += 1;
    this.emit(due);
    // `output` may have paused or disposed the player.
    if (this.ended) return;
    if (this.next >= this.events.length) {
      this.finish();
      return;
    }
    if (this.resumedAt === null) return;
    const waitMs = (this.events[this.next]?.[0] ?? 0) * 1000 - position;
    this.timer = setTimeout(() => this.tick(), Math.max(0, waitMs));
  }

  /** Hands on the events before `until` as one chunk. */
  private emit(until: number): void {
    if (until <= this.next) return;
    const data = this.events.slice(this.next, until).map((event) => event[2]).join('');
    this.next = until;
    if (data !== '') this.on.output(data);
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
