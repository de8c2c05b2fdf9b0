/**
 * Keeps a thread's frequent events (Atomics waits, messages) under a rate: past
 * `perSecond` in the current second they are counted instead of sent, and the count goes
 * out as one `sampled` event per flush, so the timeline can say what it does not show.
 */
export class FloodBudget {
  private windowStart = 0;
  private used = 0;
  private skipped = new Map<string, number>();

  constructor(private readonly perSecond = 2000) {}

  /** True when one more event of `what` may be sent at `nowUs`; otherwise it is counted. */
  allow(what: string, nowUs: number): boolean {
    if (nowUs - this.windowStart >= 1_000_000) {
      this.windowStart = nowUs;
      this.used = 0;
    }
    if (this.used < this.perSecond) {
      this.used += 1;
      return true;
    }
    this.skipped.set(what, (this.skipped.get(what) ?? 0) + 1);
    return false;
  }

  /** What was left out since the last call, by kind. */
  takeSkipped(): ReadonlyMap<string, number> {
    const skipped = this.skipped;
    this.skipped = new Map();
    return skipped;
  }
}
