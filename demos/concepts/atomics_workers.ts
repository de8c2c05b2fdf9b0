/**
 * Atomic increments: the same race as lost_updates_workers.ts, but every increment is
 * one indivisible `Atomics.add`, so no update is lost however the workers interleave.
 * The workers, the barrier and the printout are in shared-counter.ts.
 * Runtime: worker.
 */
import { COUNTER, INCREMENTS, raceCounter } from './shared-counter.ts';

await raceCounter(import.meta.url, 'Atomics.add', (view) => {
  // #region increment
  for (let i = 0; i < INCREMENTS; i++) {
    Atomics.add(view, COUNTER, 1); // atomic
  }
  // #endregion
});
