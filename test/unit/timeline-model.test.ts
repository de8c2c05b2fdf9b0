import { describe, expect, it } from 'vitest';
import { TimelineModel } from '../../server/trace/timeline-model.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';

const P = 100;
const name = (pid: number, tid: number, kind: 'process_name' | 'thread_name', value: string): TraceEvent => ({ ph: 'M', name: kind, pid, tid, ts: 0, args: { name: value } });
const lane = (ph: 'B' | 'E', pid: number, tid: number, label: string, kind: 'thread' | 'process' | 'worker', ts: number, code?: number): TraceEvent =>
  ({ ph, cat: 'lane', name: label, pid, tid, ts, args: ph === 'B' ? { kind } : code === undefined ? {} : { code } });
const run = (tid: number, ts: number, dur: number, pid = P): TraceEvent => ({ ph: 'X', cat: 'run', name: 'running', pid, tid, ts, dur });
const wait = (ph: 'B' | 'E', tid: number, lock: string, ts: number): TraceEvent =>
  ({ ph, cat: 'wait', name: `wait ${lock}`, pid: P, tid, ts, args: { lock: `${P}:${lock}`, name: lock, kind: 'Lock' } });
const hold = (ph: 'b' | 'e', tid: number, lock: string, ts: number): TraceEvent =>
  ({ ph, cat: 'hold', name: `hold ${lock}`, pid: P, tid, ts, id: `${P}:${lock}`, args: { lock: `${P}:${lock}`, name: lock } });

/** Two threads, A (tid 2) and B (tid 3), that take lock1 and lock2 in opposite order. */
function deadlockEvents(): TraceEvent[] {
  return [
    name(P, 0, 'process_name', 'MainProcess'),
    name(P, 1, 'thread_name', 'MainThread'),
    lane('B', P, 1, 'MainThread', 'process', 0),
    name(P, 2, 'thread_name', 'A'),
    lane('B', P, 2, 'A', 'thread', 1_000),
    name(P, 3, 'thread_name', 'B'),
    lane('B', P, 3, 'B', 'thread', 1_100),
    hold('b', 2, 'lock1', 1_200),
    hold('b', 3, 'lock2', 1_300),
    run(2, 1_000, 400),
    wait('B', 2, 'lock2', 1_500),
    wait('B', 3, 'lock1', 1_600),
  ];
}

describe('timeline model', () => {
  it('makes a lane per thread, named, the process first, with its waits and holds', () => {
    const model = new TimelineModel();
    model.add(0, deadlockEvents());
    const lanes = model.lanesInOrder();
    expect(lanes.map((l) => [l.label, l.kind])).toEqual([['MainProcess', 'process'], ['A', 'thread'], ['B', 'thread']]);
    const a = lanes[1];
    expect(a?.start).toBe(1_000);
    expect(a?.running).toEqual([{ start: 1_000, end: 1_400 }]);
    expect(a?.holds.map((h) => [h.name, h.end])).toEqual([['lock1', null]]);
    expect(a?.waits.map((w) => [w.name, w.kind, w.end])).toEqual([['lock2', 'Lock', null]]);
  });

  it('names the deadlock while it hangs, and keeps it after the collector closes the waits', () => {
    const model = new TimelineModel();
    const events = deadlockEvents();
    model.add(0, events.slice(0, 11));
    expect(model.deadlock).toBeNull();
    model.add(11, events.slice(11));
    expect(model.deadlock?.caption).toBe('A holds lock1 and waits for lock2; B holds lock2 and waits for lock1');
    expect(model.deadlock?.lanes).toEqual([`${P}:2`, `${P}:3`]);
    expect(model.deadlock?.locks).toEqual([`${P}:lock1`, `${P}:lock2`]);
    model.add(12, [wait('E', 2, 'lock2', 9_000), wait('E', 3, 'lock1', 9_000), lane('E', P, 2, 'A', 'thread', 9_000)]);
    expect(model.deadlock?.lanes).toHaveLength(2);
    expect(model.lane(`${P}:2`)?.waits[0]?.end).toBe(9_000);
  });

  it('names the cycle from its first lane, whichever lane began to wait first', () => {
    const model = new TimelineModel();
    const events = deadlockEvents();
    // B's wait before A's.
    model.add(0, [...events.slice(0, 10), events[11] as TraceEvent, events[10] as TraceEvent]);
    expect(model.deadlock?.caption).toBe('A holds lock1 and waits for lock2; B holds lock2 and waits for lock1');
  });

  it('finds the deadlock in a whole run folded at once (a page that joins after the exit), not a cycle that never was', () => {
    const model = new TimelineModel();
    const ends = [hold('e', 2, 'lock1', 9_000), hold('e', 3, 'lock2', 9_000), wait('E', 2, 'lock2', 9_000), wait('E', 3, 'lock1', 9_000), lane('E', P, 2, 'A', 'thread', 9_000), lane('E', P, 3, 'B', 'thread', 9_000)];
    model.add(0, [...deadlockEvents(), ...ends]);
    expect(model.deadlock?.caption).toBe('A holds lock1 and waits for lock2; B holds lock2 and waits for lock1');
    // In one order, B waits for lock1 while A holds it and waits for nothing: no cycle.
    const ordered = new TimelineModel();
    ordered.add(0, [...deadlockEvents().slice(0, 7), hold('b', 2, 'lock1', 1_200), wait('B', 3, 'lock1', 1_300), hold('b', 2, 'lock2', 1_400), hold('e', 2, 'lock2', 1_500), hold('e', 2, 'lock1', 1_600), wait('E', 3, 'lock1', 1_700), hold('b', 3, 'lock1', 1_700)]);
    expect(ordered.deadlock).toBeNull();
  });

  it("ends the releasing lane's own hold, whatever order two threads' events came in", () => {
    const model = new TimelineModel();
    // B's begin came before A's end (two threads of one process append in the order they get there).
    model.add(0, [...deadlockEvents().slice(0, 7), hold('b', 2, 'lock1', 1_200), hold('b', 3, 'lock1', 1_300), hold('e', 2, 'lock1', 1_250), wait('B', 3, 'lock1', 1_400)]);
    expect(model.lane(`${P}:2`)?.holds.map((h) => h.end)).toEqual([1_250]);
    expect(model.lane(`${P}:3`)?.holds.map((h) => h.end)).toEqual([null]);
    // B waits for a lock it seems to hold itself: not a deadlock of A.
    expect(model.deadlock?.lanes ?? []).not.toContain(`${P}:2`);
  });

  it('folds overlapping batches once, by index', () => {
    const model = new TimelineModel();
    const events = deadlockEvents();
    expect(model.add(0, events.slice(0, 8))).toBe(true);
    // A late joiner's `trace` after its `screen` repeats what the page has.
    expect(model.add(0, events.slice(0, 8))).toBe(false);
    expect(model.add(4, events.slice(4, 10))).toBe(true);
    expect(model.events).toHaveLength(10);
    expect(model.lane(`${P}:2`)?.running).toHaveLength(1);
    expect(model.lane(`${P}:2`)?.holds).toHaveLength(1);
  });

  it('merges touching running slices and keeps them in time order', () => {
    const model = new TimelineModel();
    model.add(0, [run(5, 0, 100), run(5, 150, 100), run(5, 10_000, 50), run(5, 5_000, 10)]);
    expect(model.lane(`${P}:5`)?.running).toEqual([{ start: 0, end: 250 }, { start: 5_000, end: 5_010 }, { start: 10_000, end: 10_050 }]);
    expect(model.endTs).toBe(10_050);
  });

  it('draws an arrow when a lock passes from one lane to another, whichever end comes first', () => {
    const model = new TimelineModel();
    model.add(0, [
      { ph: 'f', cat: 'handoff', name: 'counter_lock', pid: P, tid: 3, ts: 2_010, id: 'h1', bp: 'e' },
      { ph: 's', cat: 'handoff', name: 'counter_lock', pid: P, tid: 2, ts: 2_000, id: 'h1' },
      { ph: 's', cat: 'message', name: 'message', pid: 7, tid: 0, ts: 10, id: 'm1' },
    ]);
    expect(model.arrows).toEqual([{ kind: 'handoff', name: 'counter_lock', from: { lane: `${P}:2`, ts: 2_000 }, to: { lane: `${P}:3`, ts: 2_010 } }]);
  });

  it('labels child processes by name and their other threads after them; asyncio tasks follow their loop', () => {
    const model = new TimelineModel();
    model.add(0, [
      name(P, 0, 'process_name', 'MainProcess'),
      lane('B', P, 1, 'MainThread', 'process', 0),
      lane('B', 200, 9, 'MainThread', 'process', 50),
      lane('B', 200, 10, 'Thread-1', 'thread', 60),
      { ph: 'b', cat: 'task', name: 'fetch-1', pid: P, tid: 1, ts: 70, id: `${P}:T1` },
      { ph: 'X', cat: 'run', name: 'running', pid: P, tid: 1, ts: 80, dur: 20, args: { task: `${P}:T1` } },
      { ph: 'e', cat: 'task', name: 'fetch-1', pid: P, tid: 1, ts: 90, id: `${P}:T1` },
      { ph: 'X', cat: 'stall', name: 'event loop blocked', pid: P, tid: 1, ts: 100, dur: 60_000, args: { by: 'time.sleep' } },
    ]);
    // Renamed after fork, as multiprocessing does.
    model.add(8, [name(200, 0, 'process_name', 'ForkPoolWorker-1'), lane('E', 200, 9, 'MainThread', 'process', 500, 0)]);
    expect(model.lanesInOrder().map((l) => l.label)).toEqual(['MainProcess', 'fetch-1', 'ForkPoolWorker-1', 'ForkPoolWorker-1 · Thread-1']);
    const task = model.lane(`task:${P}:T1`);
    expect([task?.kind, task?.start, task?.end, task?.running.length]).toEqual(['task', 70, 90, 1]);
    expect(model.lane(`${P}:1`)?.stalls).toEqual([{ start: 100, end: 60_100, by: 'time.sleep' }]);
    expect(model.lane('200:9')?.code).toBe(0);
  });

  it('says how many events the tracers left out', () => {
    const model = new TimelineModel();
    const sampled = (skipped: number): TraceEvent => ({ ph: 'i', cat: 'sampled', name: 'lock events sampled', s: 'p', pid: P, tid: 0, ts: 5, args: { skipped, what: 'lock holds' } });
    model.add(0, [sampled(12_000), sampled(345)]);
    expect(model.notes()).toEqual(['12,345 lock holds not drawn']);
  });

  it('ends what a lane left open when the lane ends', () => {
    const model = new TimelineModel();
    model.add(0, [lane('B', P, 4, 'W', 'thread', 0), wait('B', 4, 'q', 10), { ph: 'X', cat: 'run', name: 'running', pid: P, tid: 4, ts: 0, dur: 5 }, lane('E', P, 4, 'W', 'thread', 50)]);
    expect(model.lane(`${P}:4`)?.waits[0]?.end).toBe(50);
    expect(model.lane(`${P}:4`)?.end).toBe(50);
  });
});
