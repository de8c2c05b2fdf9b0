/**
 * The memory limit of a run in its own process group: a few times a second, the resident
 * memory of every watched group is summed from /proc (one pass over the process table for
 * all runs), and a group past its limit is reported once. Linux only: where there is no
 * /proc nothing is ever reported.
 */
import { groupResidentBytes } from './process-group.ts';
import type { Disposable } from './runner.ts';

export const MEMORY_POLL_MS = 200;

interface Watch {
  readonly limitBytes: number;
  readonly onExceeded: (residentBytes: number) => void;
}

const watches = new Map<number, Set<Watch>>();
let timer: NodeJS.Timeout | null = null;

/** Calls `onExceeded` once, when the group led by `pgid` holds more than `limitBytes` resident. */
export function watchGroupMemory(pgid: number, limitBytes: number, onExceeded: (residentBytes: number) => void): Disposable {
  const watch: Watch = { limitBytes, onExceeded };
  let group = watches.get(pgid);
  if (!group) watches.set(pgid, (group = new Set()));
  group.add(watch);
  // The timer must not keep the server alive by itself: the run's own handles do that.
  timer ??= setInterval(sample, MEMORY_POLL_MS).unref();
  return { dispose: () => unwatch(pgid, watch) };
}

function unwatch(pgid: number, watch: Watch): void {
  const group = watches.get(pgid);
  group?.delete(watch);
  if (group?.size === 0) watches.delete(pgid);
  if (watches.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
  }
}

function sample(): void {
  const resident = groupResidentBytes(new Set(watches.keys()));
  for (const [pgid, group] of [...watches]) {
    const bytes = resident.get(pgid) ?? 0;
    for (const watch of [...group]) {
      if (bytes <= watch.limitBytes) continue;
      unwatch(pgid, watch);
      watch.onExceeded(bytes);
    }
  }
}

/** A size as the limit messages give it: `1 GB`, `200 MB`, `512 kB` (binary multiples, as the output limit's). */
export function formatMemory(bytes: number): string {
  const units: readonly [number, string][] = [
    [1024 ** 3, 'GB'],
    [1024 ** 2, 'MB'],
    [1024, 'kB'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}
