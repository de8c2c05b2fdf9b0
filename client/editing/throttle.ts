/**
 * At most one delivery per interval, and the latest value always delivered: the first value
 * goes out at once, values pushed within the interval are held, and the last of them goes out
 * when the interval ends. No DOM: the clock is handed in, so tests drive it.
 */

export interface Clock<Handle> {
  now(): number;
  setTimeout(callback: () => void, ms: number): Handle;
  clearTimeout(handle: Handle): void;
}

export class Throttle<T, Handle = unknown> {
  private held: { readonly value: T } | null = null;
  private timer: Handle | null = null;
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deliver: (value: T) => void,
    private readonly intervalMs: number,
    private readonly clock: Clock<Handle>,
  ) {}

  /** The newest value; it replaces any value still held. */
  push(value: T): void {
    this.held = { value };
    if (this.timer !== null) return;
    const wait = this.lastSent + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** Delivers the held value now, if there is one. */
  flush(): void {
    this.stopTimer();
    const held = this.held;
    if (held === null) return;
    this.held = null;
    this.lastSent = this.clock.now();
    this.deliver(held.value);
  }

  /** Drops the held value, if any. */
  cancel(): void {
    this.stopTimer();
    this.held = null;
  }

  get pending(): boolean {
    return this.held !== null;
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
