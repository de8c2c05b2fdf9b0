/**
 * Time spent per slide while the deck is presented: pure bookkeeping, fed by the session
 * (which slide the presenter is on, which runs ended) and read by rehearsal records and the
 * presenter screen. The time source is injected so tests need no sleeps.
 */

/** A demo run as the clock keeps it: which demo, on which slide, how long, and how it ended. */
export interface ClockRun {
  readonly demo: string;
  readonly slide: string | null;
  readonly durationMs: number;
  readonly reason: string;
}

/** What pages are sent: plain JSON. */
export interface TalkClockSnapshot {
  readonly startedAt: number | null;
  readonly elapsedMs: number;
  readonly current: string | null;
  readonly spentMs: Record<string, number>;
}

export class TalkClock {
  /** Closed stays, by slide id, in the order slides were first shown. */
  private readonly spent = new Map<string, number>();
  private readonly recordedRuns: ClockRun[] = [];
  private currentSlide: string | null = null;
  private enteredAt = 0;
  private firstMoveAt: number | null = null;

  /** `now` is wall-clock ms (the record stamps `startedAt` with it); it may step back, so every span is clamped at 0. */
  constructor(readonly now: () => number = Date.now) {}

  get current(): string | null {
    return this.currentSlide;
  }

  /** Time of the first `moveTo` since construction or `reset()`. */
  get startedAt(): number | null {
    return this.firstMoveAt;
  }

  /** The talk is now on `slideId`. Staying on the same slide (a fragment step, a re-sent position) changes nothing. */
  moveTo(slideId: string): void {
    if (slideId === this.currentSlide) return;
    const at = this.now();
    this.closeStay(at);
    if (this.firstMoveAt === null) this.firstMoveAt = at;
    this.currentSlide = slideId;
    this.enteredAt = at;
    if (!this.spent.has(slideId)) this.spent.set(slideId, 0);
  }

  /** Ms per slide id, the current stay included up to now. */
  spentMs(): Record<string, number> {
    return this.spentAt(this.now());
  }

  /** Ms since the first `moveTo`; 0 before it. */
  elapsedMs(): number {
    return this.elapsedAt(this.now());
  }

  /** Keeps a finished run. A negative or non-finite duration (a bug upstream) is kept as 0 rather than thrown on stage. */
  recordRun(run: ClockRun): void {
    const durationMs = Number.isFinite(run.durationMs) ? Math.max(0, run.durationMs) : 0;
    this.recordedRuns.push({ demo: run.demo, slide: run.slide, durationMs, reason: run.reason });
  }

  /** The recorded runs, oldest first (a copy). */
  runs(): ClockRun[] {
    return this.recordedRuns.map((run) => ({ ...run }));
  }

  /** Forgets everything: slides, runs, start. */
  reset(): void {
    this.spent.clear();
    this.recordedRuns.length = 0;
    this.currentSlide = null;
    this.enteredAt = 0;
    this.firstMoveAt = null;
  }

  /** One reading of the clock, so its figures agree with each other. */
  snapshot(): TalkClockSnapshot {
    const at = this.now();
    return { startedAt: this.firstMoveAt, elapsedMs: this.elapsedAt(at), current: this.currentSlide, spentMs: this.spentAt(at) };
  }

  toJSON(): TalkClockSnapshot {
    return this.snapshot();
  }

  private spentAt(at: number): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [id, ms] of this.spent) result[id] = ms;
    if (this.currentSlide !== null) result[this.currentSlide] = (result[this.currentSlide] ?? 0) + this.openStayMs(at);
    return result;
  }

  private elapsedAt(at: number): number {
    return this.firstMoveAt === null ? 0 : Math.max(0, at - this.firstMoveAt);
  }

  private openStayMs(at: number): number {
    return Math.max(0, at - this.enteredAt);
  }

  private closeStay(at: number): void {
    if (this.currentSlide === null) return;
    this.spent.set(this.currentSlide, (this.spent.get(this.currentSlide) ?? 0) + this.openStayMs(at));
  }
}
