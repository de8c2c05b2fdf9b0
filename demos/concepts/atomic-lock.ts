/** A lock in one slot of a shared Int32Array, built on `Atomics.compareExchange` and `Atomics.wait`. */

/** Takes lock `i` (0 = free, 1 = taken); false when it stays taken for `timeoutMs`. */
export function acquire(locks: Int32Array, i: number, timeoutMs = Infinity): boolean {
  const deadline = performance.now() + timeoutMs;
  while (Atomics.compareExchange(locks, i, 0, 1) !== 0) {
    const left = deadline - performance.now();
    if (left <= 0 || Atomics.wait(locks, i, 1, left) === 'timed-out') return false;
  }
  return true;
}

export function release(locks: Int32Array, i: number): void {
  Atomics.store(locks, i, 0);
  Atomics.notify(locks, i, 1);
}
