/**
 * Lost updates: several worker threads increment one shared counter with a plain
 * `view[0]++`, which is three steps (read, add, write). Increments that interleave
 * overwrite each other. All workers start together behind a barrier, so they overlap.
 * The workers, the barrier and the printout are in shared-counter.ts.
 * Runtime: worker.
 */
import { COUNTER, INCREMENTS, raceCounter } from './shared-counter.ts';

await raceCounter(import.meta.url, 'view[0]++', (view) => {
  // #region increment
  for (let i = 0; i < INCREMENTS; i++) {
    view[COUNTER]!++; // read, add, write
  }
  // #endregion
});
