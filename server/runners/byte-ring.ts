/**
 * A single-producer, single-consumer byte ring on a SharedArrayBuffer. A worker thread
 * writes its output into it and blocks (Atomics.wait) while it is full; the main thread of
 * its host process (worker-host.ts) reads without blocking (Atomics.waitAsync) and copies
 * it into the run's terminal. That gives a worker demo the backpressure a pty gives a
 * process: when the page falls behind, the demo waits instead of piling its output up.
 */

/** `Atomics.waitAsync` is in Node since 16; TypeScript lists it only from lib es2024. */
interface AtomicsWithWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** Int32 slots of the header. */
const USED = 0;
const CLOSED = 1;
const HEADER_BYTES = 8;

export function createRingBuffer(capacity: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

/** What both ends see of the ring; each keeps its own position. */
abstract class RingEnd {
  protected readonly header: Int32Array;
  protected readonly data: Uint8Array;
  protected position = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2);
    this.data = new Uint8Array(buffer, HEADER_BYTES);
  }
}

/** The worker's end. */
export class RingWriter extends RingEnd {
  /** Copies all of `bytes` in, waiting for room as needed. Returns false once the reader has closed the ring. */
  write(bytes: Uint8Array): boolean {
    const capacity = this.data.length;
    let offset = 0;
    while (offset < bytes.length) {
      if (Atomics.load(this.header, CLOSED) !== 0) return false;
      const used = Atomics.load(this.header, USED);
      if (used === capacity) {
        // Bounded, so a terminate() between waits always finds the thread awake.
        Atomics.wait(this.header, USED, used, 100);
        continue;
      }
      const count = Math.min(capacity - used, bytes.length - offset, capacity - this.position);
      this.data.set(bytes.subarray(offset, offset + count), this.position);
      this.position = (this.position + count) % capacity;
      offset += count;
      Atomics.add(this.header, USED, count);
      Atomics.notify(this.header, USED);
    }
    return true;
  }
}

/** The host's end. */
export class RingReader extends RingEnd {
  /**
   * Hands everything written so far (at most two views into the ring, valid only during
   * the call) to `consume`, then frees its room for the writer. Returns the byte count.
   * No copy is made here: the ring's memory is reused, so a flood leaves no garbage.
   */
  read(consume: (bytes: Uint8Array) => void): number {
    const used = Atomics.load(this.header, USED);
    if (used === 0) return 0;
    const capacity = this.data.length;
    const first = Math.min(used, capacity - this.position);
    consume(this.data.subarray(this.position, this.position + first));
    if (first < used) consume(this.data.subarray(0, used - first));
    this.position = (this.position + used) % capacity;
    Atomics.sub(this.header, USED, used);
    Atomics.notify(this.header, USED);
    return used;
  }

  /** Resolves when something is waiting to be read. */
  async readable(): Promise<void> {
    const result = (Atomics as unknown as AtomicsWithWaitAsync).waitAsync(this.header, USED, 0);
    if (result.async) await result.value;
  }

  /** Tells the writer to stop waiting and drop what it still has. */
  close(): void {
    Atomics.store(this.header, CLOSED, 1);
    Atomics.notify(this.header, USED);
  }
}
