/**
 * The wait-for graph of a moment in a run: each lane that waits for a lock points at the
 * lane that holds it. A cycle is a deadlock: nobody in it can ever go on. The timeline asks
 * for it while the demo still hangs, and names the cycle the way the speaker would say it.
 * Pure: no DOM, no Node API.
 */

/** A lane waiting for a lock now. */
export interface OpenWait {
  readonly lane: string;
  readonly lock: string;
}

/** A lane holding a lock now. */
export interface OpenHold {
  readonly lane: string;
  readonly lock: string;
}

export interface Deadlock {
  /** The lanes of the cycle, each waiting for a lock the next one holds (the last for the first's). */
  readonly lanes: readonly string[];
  /** The locks of the cycle: `locks[i]` is held by `lanes[i]` and waited for by the lane before it. */
  readonly locks: readonly string[];
  /** "A holds lock1 and waits for lock2; B holds lock2 and waits for lock1". */
  readonly caption: string;
}

export interface Names {
  lane(key: string): string;
  lock(id: string): string;
}

/**
 * The first cycle of waits, or null. A lock held by several lanes (a semaphore, a re-entered
 * lock's bookkeeping) points at each of them; a lane waiting for several things at once
 * (it cannot, but a tracer may lag) follows each.
 */
export function findDeadlock(waits: readonly OpenWait[], holds: readonly OpenHold[], names: Names): Deadlock | null {
  const holders = new Map<string, string[]>();
  for (const hold of holds) holders.set(hold.lock, [...(holders.get(hold.lock) ?? []), hold.lane]);
  // lane → [lock it waits for, lane holding that lock]
  const edges = new Map<string, [string, string][]>();
  for (const wait of waits) {
    for (const holder of holders.get(wait.lock) ?? []) {
      // A lane waiting for a lock it holds itself (a plain Lock taken twice) is a cycle of one.
      edges.set(wait.lane, [...(edges.get(wait.lane) ?? []), [wait.lock, holder]]);
    }
  }
  const done = new Set<string>();
  for (const start of edges.keys()) {
    const cycle = cycleFrom(start, edges, done);
    if (cycle !== null) return describe(cycle, names);
  }
  return null;
}

interface Step {
  readonly lane: string;
  /** The lock this lane waits for. */
  readonly waitsFor: string;
}

/** Depth-first from `start`; the cycle as lanes with the lock each waits for. */
function cycleFrom(start: string, edges: ReadonlyMap<string, [string, string][]>, done: Set<string>): Step[] | null {
  const path: Step[] = [];
  const onPath = new Map<string, number>();
  const visit = (lane: string): Step[] | null => {
    if (done.has(lane)) return null;
    const at = onPath.get(lane);
    if (at !== undefined) return path.slice(at);
    onPath.set(lane, path.length);
    for (const [lock, holder] of edges.get(lane) ?? []) {
      path.push({ lane, waitsFor: lock });
      const found = visit(holder);
      if (found !== null) return found;
      path.pop();
    }
    onPath.delete(lane);
    done.add(lane);
    return null;
  };
  return visit(start);
}

function describe(cycle: readonly Step[], names: Names): Deadlock {
  // Lane i holds what the lane before it waits for.
  const held = cycle.map((_, i) => cycle[(i + cycle.length - 1) % cycle.length]?.waitsFor ?? '');
  const caption = cycle.map((step, i) => `${names.lane(step.lane)} holds ${names.lock(held[i] ?? '')} and waits for ${names.lock(step.waitsFor)}`).join('; ');
  return { lanes: cycle.map((step) => step.lane), locks: held, caption };
}
