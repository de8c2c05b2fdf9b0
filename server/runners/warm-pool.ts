/**
 * Keeps one interpreter of a runtime started and waiting for its demo, so that Run does
 * not wait for one to boot. A spare belongs to the settings it was started with (its key,
 * e.g. which Python): asked for other settings, the pool ends it instead of handing it out.
 */
export interface Spare {
  /** Still waiting, and able to take a demo. */
  readonly isSpare: boolean;
  /** Ends it; resolves once it is gone. */
  terminate(): Promise<void>;
}

export class WarmPool<T extends Spare> {
  private spare: { readonly key: string; readonly item: T } | null = null;
  private disposed = false;

  /** The spare started for `key`, if it is still waiting; the pool is empty afterwards. */
  take(key: string): T | null {
    const spare = this.spare;
    this.spare = null;
    if (!spare) return null;
    if (spare.key === key && spare.item.isSpare) return spare.item;
    void spare.item.terminate();
    return null;
  }

  /** Makes sure a spare for `key` is waiting, starting one if needed; null once disposed. */
  fill(key: string, start: () => T): T | null {
    if (this.disposed) return null;
    if (this.spare?.key === key && this.spare.item.isSpare) return this.spare.item;
    // A spare of other settings, or one that died.
    if (this.spare) void this.spare.item.terminate();
    const item = start();
    this.spare = { key, item };
    return item;
  }

  /** Ends the spare and starts no more. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const spare = this.spare;
    this.spare = null;
    if (spare) await spare.item.terminate();
  }
}
