/**
 * Names for the SharedArrayBuffers a traced thread waits on, the same in every thread of
 * the run. Each thread has its own object for one shared buffer, so identity cannot cross
 * threads; but `workerData` arrives in the same shape it was sent. The parent lists the
 * shared buffers of a new worker's `workerData` in a fixed order (`sharedBuffersOf`) with
 * their labels, and the worker walks its copy in the same order and adopts those labels.
 * A buffer first met elsewhere (in a message) gets a label of the thread that met it.
 */

const MAX_NODES = 10_000;

export class SharedBufferLabels {
  private readonly labels = new WeakMap<SharedArrayBuffer, string>();
  private count = 0;

  constructor(private readonly prefix: string) {}

  /** The run-wide label of `buffer`, given now if it has none. */
  labelOf(buffer: SharedArrayBuffer): string {
    let label = this.labels.get(buffer);
    if (label === undefined) {
      this.count += 1;
      label = `${this.prefix}${this.count}`;
      this.labels.set(buffer, label);
    }
    return label;
  }

  /** Takes on the labels another thread gave these buffers (same order as `sharedBuffersOf`). */
  adopt(buffers: readonly SharedArrayBuffer[], labels: readonly string[]): void {
    buffers.forEach((buffer, i) => {
      const label = labels[i];
      if (label !== undefined && !this.labels.has(buffer)) this.labels.set(buffer, label);
    });
  }
}

/** The shared buffers reachable in `value` (arrays, plain objects, typed arrays), depth first, each once. */
export function sharedBuffersOf(value: unknown): SharedArrayBuffer[] {
  const found: SharedArrayBuffer[] = [];
  const seen = new Set<unknown>();
  const visit = (item: unknown): void => {
    if (typeof item !== 'object' || item === null || seen.has(item) || seen.size > MAX_NODES) return;
    seen.add(item);
    if (item instanceof SharedArrayBuffer) {
      found.push(item);
    } else if (ArrayBuffer.isView(item)) {
      if (item.buffer instanceof SharedArrayBuffer && !seen.has(item.buffer)) visit(item.buffer);
    } else if (Array.isArray(item)) {
      for (const element of item) visit(element);
    } else if (Object.getPrototypeOf(item) === Object.prototype || Object.getPrototypeOf(item) === null) {
      for (const key of Object.keys(item)) visit((item as Record<string, unknown>)[key]);
    }
  };
  visit(value);
  return found;
}
