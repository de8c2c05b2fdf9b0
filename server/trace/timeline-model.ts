/**
 * A run's trace events (trace-event.ts) folded into what the timeline draws: a lane per
 * thread, process, worker and asyncio task, labelled with its name, with its life span, the
 * slices it ran, the locks it waited for and held, the event loop's stalls, and the arrows of
 * locks handed from one lane to another and of messages. Events come in batches by index (the
 * `trace` message's `from`), possibly overlapping, possibly after the run's exit, and from
 * several processes whose batches interleave: every fold tolerates an end before its start.
 * Pure: no DOM, no Node API, so the page imports it as it does the recordings' format.
 */
import type { LaneKind, TraceArg, TraceEvent } from './trace-event.ts';
import { findDeadlock } from './wait-for-graph.ts';
import type { Deadlock, OpenHold, OpenWait } from './wait-for-graph.ts';

export type TimelineLaneKind = LaneKind | 'task';

/** A stretch of time in µs since the run's start; `end` null while it lasts. */
export interface Span {
  readonly start: number;
  end: number | null;
}

/** A wait for, or a hold of, a lock. */
export interface LockSpan extends Span {
  /** The lock's id in the run (`<pid>:L3`). */
  readonly lock: string;
  /** The lock's name as the demo knows it (`lock1`), else its id. */
  readonly name: string;
  /** What kind of lock (`Lock`, `Condition`, `Atomics.wait`…); waits only. */
  readonly kind: string | null;
}

export interface StallSpan extends Span {
  /** What held the event loop. */
  readonly by: string;
}

export interface Lane {
  /** Unique in the run: `<pid>:<tid>` for a thread, `task:<id>` for a task. */
  readonly key: string;
  readonly pid: number;
  readonly tid: number;
  kind: TimelineLaneKind;
  /** The label at the lane's left. */
  label: string;
  /** When it started and ended; null while unknown or still alive. */
  start: number | null;
  end: number | null;
  /** A process's exit code, when its lane's end says it. */
  code: number | null;
  readonly running: Span[];
  readonly waits: LockSpan[];
  readonly holds: LockSpan[];
  readonly stalls: StallSpan[];
}

export interface Arrow {
  readonly kind: 'handoff' | 'message';
  /** The lock's name (hand-off), or the message's. */
  readonly name: string;
  readonly from: { readonly lane: string; readonly ts: number };
  readonly to: { readonly lane: string; readonly ts: number };
}

/** A running slice this close after the last one (µs) continues it. */
const MERGE_GAP_US = 100;

interface ThreadNames {
  /** `thread_name` metadata, the tracer's last word on it. */
  meta: string | null;
  /** The name its lane's start gave. */
  lane: string | null;
}

/** Half an arrow, waiting for its other end. */
interface ArrowEnd {
  readonly lane: string;
  readonly ts: number;
  readonly name: string;
}

export class TimelineModel {
  /** How many events of the run it has folded: the next batch's new part starts here. */
  private folded = 0;
  private readonly lanes = new Map<string, Lane>();
  /** Appearance order of lanes, to keep their places stable while the run goes on. */
  private readonly order = new Map<string, number>();
  private readonly processNames = new Map<number, string>();
  private readonly threadNames = new Map<string, ThreadNames>();
  /** Processes in order of appearance: the first is the run's own. */
  private readonly pids: number[] = [];
  /** The wait-for graph now, kept as events come: each lock's open holds (latest last) with their lanes, the lock each lane waits for. */
  private readonly openHolds = new Map<string, { readonly span: LockSpan; readonly lane: string }[]>();
  private readonly waitingNow = new Map<string, string>();
  /** Locks by id, as the tracers name them. */
  private readonly lockNames = new Map<string, string>();
  private readonly starts = new Map<string, ArrowEnd>();
  private readonly finishes = new Map<string, ArrowEnd>();
  private readonly arrowList: Arrow[] = [];
  private readonly skipped = new Map<string, number>();
  private readonly all: TraceEvent[] = [];
  private latest = 0;
  private sortedLanes: Lane[] | null = null;
  private found: Deadlock | null = null;

  /** Every event folded so far, in order: what the download saves. */
  get events(): readonly TraceEvent[] {
    return this.all;
  }

  /** The last moment any event speaks of (µs since the run's start). */
  get endTs(): number {
    return this.latest;
  }

  get arrows(): readonly Arrow[] {
    return this.arrowList;
  }

  /**
   * Folds the run's events from index `from` on, skipping those it has already. Returns
   * whether anything new came. A batch that starts past what it has (one was lost) is folded
   * anyway: a picture with a hole beats none.
   */
  add(from: number, events: readonly TraceEvent[]): boolean {
    const fresh = from >= this.folded ? events : events.slice(this.folded - from);
    if (fresh.length === 0) return false;
    for (const event of fresh) {
      this.fold(event);
      // A cycle forms when a wait begins; checked then, it is found even when its end comes in the same batch (a page that joins after the run).
      if (this.found === null && event.cat === 'wait' && event.ph === 'B') this.found = this.findDeadlock();
    }
    this.folded = Math.max(this.folded, from + events.length);
    this.sortedLanes = null;
    return true;
  }

  /**
   * The deadlock the run ran into, once its waits formed a cycle. It stays after the waits
   * end (the demo gave up and exited; the collector closed what it left open): the picture
   * after the exit still shows what happened.
   */
  get deadlock(): Deadlock | null {
    return this.found;
  }

  /**
   * The lanes in drawing order: the run's own process first, then each child process; in
   * each, its main thread, then its other threads as they started, each followed by the
   * asyncio tasks of its event loop.
   */
  lanesInOrder(): readonly Lane[] {
    if (this.sortedLanes !== null) return this.sortedLanes;
    const rank = (lane: Lane): number => (lane.kind === 'process' ? 0 : 1);
    const threads = [...this.lanes.values()].filter((lane) => lane.kind !== 'task');
    threads.sort((a, b) => this.pidRank(a.pid) - this.pidRank(b.pid) || rank(a) - rank(b) || this.orderOf(a) - this.orderOf(b));
    const tasks = [...this.lanes.values()].filter((lane) => lane.kind === 'task').sort((a, b) => this.orderOf(a) - this.orderOf(b));
    const sorted: Lane[] = [];
    for (const thread of threads) {
      sorted.push(thread);
      sorted.push(...tasks.filter((task) => task.pid === thread.pid && task.tid === thread.tid));
    }
    sorted.push(...tasks.filter((task) => !sorted.includes(task)));
    this.sortedLanes = sorted;
    return sorted;
  }

  lane(key: string): Lane | undefined {
    return this.lanes.get(key);
  }

  /** What the tracers left out to keep the trace light, one line per kind ("12,345 lock holds not drawn"). */
  notes(): string[] {
    return [...this.skipped].map(([what, count]) => `${count.toLocaleString('en-US')} ${what} not drawn`);
  }

  /** The cycle in the wait-for graph as it is now, if there is one. */
  private findDeadlock(): Deadlock | null {
    if (this.waitingNow.size === 0) return null;
    // In the lanes' order, so the caption names the cycle from its first lane, whichever waited first.
    const waits: OpenWait[] = [...this.waitingNow].map(([lane, lock]) => ({ lane, lock })).sort((a, b) => (this.order.get(a.lane) ?? 0) - (this.order.get(b.lane) ?? 0));
    const holds: OpenHold[] = [...this.openHolds].flatMap(([lock, open]) => open.map(({ lane }) => ({ lane, lock })));
    return findDeadlock(waits, holds, {
      lane: (key) => this.lanes.get(key)?.label ?? key,
      lock: (id) => this.lockNames.get(id) ?? id,
    });
  }

  private fold(event: TraceEvent): void {
    this.all.push(event);
    this.latest = Math.max(this.latest, event.ts + (event.dur ?? 0));
    this.notePid(event.pid);
    if (event.ph === 'M') {
      this.foldName(event);
      return;
    }
    switch (event.cat) {
      case 'lane': this.foldLane(event); break;
      case 'run': this.foldRun(event); break;
      case 'wait': this.foldWait(event); break;
      case 'hold': this.foldHold(event); break;
      case 'handoff':
      case 'message': this.foldArrow(event, event.cat); break;
      case 'task': this.foldTask(event); break;
      case 'stall':
        if (event.ph === 'X') this.thread(event.pid, event.tid).stalls.push({ start: event.ts, end: event.ts + (event.dur ?? 0), by: text(event.args?.['by']) ?? 'a callback' });
        break;
      case 'sampled': {
        const what = text(event.args?.['what']) ?? 'events';
        const count = event.args?.['skipped'];
        if (typeof count === 'number' && count > 0) this.skipped.set(what, (this.skipped.get(what) ?? 0) + count);
        break;
      }
      default: break;
    }
  }

  private foldName(event: TraceEvent): void {
    const name = text(event.args?.['name']);
    if (name === null) return;
    if (event.name === 'process_name') {
      this.processNames.set(event.pid, name);
      this.relabel(event.pid);
    } else if (event.name === 'thread_name') {
      const names = this.namesOf(event.pid, event.tid);
      names.meta = name;
      const lane = this.lanes.get(threadKey(event.pid, event.tid));
      if (lane !== undefined) this.label(lane);
    }
  }

  private foldLane(event: TraceEvent): void {
    const lane = this.thread(event.pid, event.tid);
    if (event.ph === 'B') {
      const kind = event.args?.['kind'];
      if (kind === 'thread' || kind === 'process' || kind === 'worker') lane.kind = kind;
      this.namesOf(event.pid, event.tid).lane = event.name;
      lane.start = lane.start === null ? event.ts : Math.min(lane.start, event.ts);
      this.relabel(event.pid);
    } else if (event.ph === 'E') {
      lane.end = event.ts;
      const code = event.args?.['code'];
      if (typeof code === 'number') lane.code = code;
      closeAll(lane.waits, event.ts);
      closeAll(lane.running, event.ts);
      this.waitingNow.delete(lane.key);
    }
  }

  private foldRun(event: TraceEvent): void {
    if (event.ph !== 'X') return;
    const task = text(event.args?.['task']);
    const end = event.ts + (event.dur ?? 0);
    // A task's step runs on its event loop's thread: both lanes show it.
    addSlice(this.thread(event.pid, event.tid).running, event.ts, end);
    if (task !== null) addSlice(this.task(task, event.pid, event.tid, null).running, event.ts, end);
  }

  private foldWait(event: TraceEvent): void {
    const lane = this.thread(event.pid, event.tid);
    if (event.ph === 'B') {
      const lock = text(event.args?.['lock']) ?? event.name;
      const name = text(event.args?.['name']) ?? lock;
      lane.waits.push({ start: event.ts, end: null, lock, name, kind: text(event.args?.['kind']) });
      this.lockNames.set(lock, name);
      this.waitingNow.set(lane.key, lock);
    } else if (event.ph === 'E') {
      const open = [...lane.waits].reverse().find((wait) => wait.end === null);
      if (open !== undefined) open.end = Math.max(open.start, event.ts);
      this.waitingNow.delete(lane.key);
    }
  }

  private foldHold(event: TraceEvent): void {
    const id = event.id ?? text(event.args?.['lock']);
    if (id === null) return;
    if (event.ph === 'b') {
      const span: LockSpan = { start: event.ts, end: null, lock: id, name: text(event.args?.['name']) ?? id, kind: null };
      const lane = this.thread(event.pid, event.tid);
      lane.holds.push(span);
      this.lockNames.set(id, span.name);
      this.openHolds.set(id, [...(this.openHolds.get(id) ?? []), { span, lane: lane.key }]);
    } else if (event.ph === 'e') {
      // The releasing lane's own hold ends; any thread may release a Lock or a Semaphore, so
      // failing that, the latest hold ends wherever it was taken.
      const open = this.openHolds.get(id) ?? [];
      const releaser = this.thread(event.pid, event.tid).key;
      const mine = open.map(({ lane }) => lane).lastIndexOf(releaser);
      const [hold] = open.splice(mine === -1 ? open.length - 1 : mine, 1);
      if (hold !== undefined) hold.span.end = Math.max(hold.span.start, event.ts);
      if (open.length === 0) this.openHolds.delete(id);
    }
  }

  private foldArrow(event: TraceEvent, kind: 'handoff' | 'message'): void {
    if (event.id === undefined || (event.ph !== 's' && event.ph !== 'f')) return;
    const key = `${kind}:${event.id}`;
    const end: ArrowEnd = { lane: this.thread(event.pid, event.tid).key, ts: event.ts, name: event.name };
    const [mine, other] = event.ph === 's' ? [this.starts, this.finishes] : [this.finishes, this.starts];
    const match = other.get(key);
    if (match === undefined) {
      mine.set(key, end);
      return;
    }
    other.delete(key);
    const [from, to] = event.ph === 's' ? [end, match] : [match, end];
    this.arrowList.push({ kind, name: from.name, from: { lane: from.lane, ts: from.ts }, to: { lane: to.lane, ts: to.ts } });
  }

  private foldTask(event: TraceEvent): void {
    if (event.id === undefined) return;
    const lane = this.task(event.id, event.pid, event.tid, event.name);
    if (event.ph === 'b') lane.start = lane.start === null ? event.ts : Math.min(lane.start, event.ts);
    else if (event.ph === 'e') lane.end = event.ts;
  }

  /** The lane of a thread, made on first sight (a tracer may speak of a thread before naming it). */
  private thread(pid: number, tid: number): Lane {
    const key = threadKey(pid, tid);
    const known = this.lanes.get(key);
    if (known !== undefined) return known;
    const lane = newLane(key, pid, tid, 'thread');
    this.addLane(lane);
    this.label(lane);
    return lane;
  }

  private task(id: string, pid: number, tid: number, name: string | null): Lane {
    const key = `task:${id}`;
    const known = this.lanes.get(key);
    if (known !== undefined) {
      if (name !== null) known.label = name;
      return known;
    }
    const lane = newLane(key, pid, tid, 'task');
    lane.label = name ?? id;
    this.addLane(lane);
    return lane;
  }

  private addLane(lane: Lane): void {
    this.lanes.set(lane.key, lane);
    this.order.set(lane.key, this.order.size);
  }

  private namesOf(pid: number, tid: number): ThreadNames {
    const key = threadKey(pid, tid);
    let names = this.threadNames.get(key);
    if (names === undefined) this.threadNames.set(key, (names = { meta: null, lane: null }));
    return names;
  }

  private notePid(pid: number): void {
    if (!this.pids.includes(pid)) {
      this.pids.push(pid);
      // A second process makes the first one's threads ambiguous no more, but the new one's need its name.
      this.relabel(pid);
    }
  }

  private relabel(pid: number): void {
    for (const lane of this.lanes.values()) if (lane.pid === pid && lane.kind !== 'task') this.label(lane);
  }

  /**
   * A process's main thread is named after its process; a thread of a child process is
   * prefixed with it ("SpawnPoolWorker-1 · Thread-2"), since every process has a MainThread.
   */
  private label(lane: Lane): void {
    const names = this.threadNames.get(lane.key);
    const own = names?.meta ?? names?.lane ?? null;
    const process = this.processNames.get(lane.pid) ?? null;
    if (lane.kind === 'process') {
      lane.label = process ?? own ?? `process ${lane.pid}`;
      return;
    }
    const name = own ?? `thread ${lane.tid}`;
    const child = this.pids.length > 1 && this.pids[0] !== lane.pid;
    lane.label = child ? `${process ?? `pid ${lane.pid}`} · ${name}` : name;
  }

  private pidRank(pid: number): number {
    const index = this.pids.indexOf(pid);
    return index < 0 ? this.pids.length : index;
  }

  private orderOf(lane: Lane): number {
    return this.order.get(lane.key) ?? 0;
  }
}

function newLane(key: string, pid: number, tid: number, kind: TimelineLaneKind): Lane {
  return { key, pid, tid, kind, label: '', start: null, end: null, code: null, running: [], waits: [], holds: [], stalls: [] };
}

function threadKey(pid: number, tid: number): string {
  return `${pid}:${tid}`;
}

function addSlice(running: Span[], start: number, end: number): void {
  const last = running.at(-1);
  if (last !== undefined && last.end !== null && start >= last.start && start <= last.end + MERGE_GAP_US) {
    last.end = Math.max(last.end, end);
    return;
  }
  running.push({ start, end });
  // Batches of several processes interleave: keep the slices in time order.
  if (last !== undefined && last.start > start) running.sort((a, b) => a.start - b.start);
}

function closeAll(spans: Span[], ts: number): void {
  for (const span of spans) if (span.end === null) span.end = Math.max(span.start, ts);
}

function text(value: TraceArg | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}
