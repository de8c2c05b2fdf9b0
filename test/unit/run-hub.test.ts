/** The run hub's rules with scripted runners and pages: what the real processes make hard to time (a run still starting). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeServerMessage, type Role, type ServerMessage, type ServerMessageMap, type ServerMessageType } from '../../server/protocol.ts';
import { RunEvents } from '../../server/runners/run-events.ts';
import type { RunExit, RunHandle, Runner, RunnerRegistry, RunSpec } from '../../server/runners/runner.ts';
import { RunBudget } from '../../server/runs/run-budget.ts';
import { RunHub, type Viewer } from '../../server/runs/run-hub.ts';
import { RunScreen, type ScreenSnapshot } from '../../server/runs/run-screen.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';

class ScriptedHandle implements RunHandle {
  readonly pid = 4242;
  readonly events = new RunEvents();
  readonly traceListeners = new Set<(events: readonly TraceEvent[]) => void>();
  onTrace = (listener: (events: readonly TraceEvent[]) => void) => {
    this.traceListeners.add(listener);
    return { dispose: () => this.traceListeners.delete(listener) };
  };
  emitTrace(events: readonly TraceEvent[]): void {
    for (const listener of this.traceListeners) listener(events);
  }
  onData = (listener: (data: string) => void) => this.events.onData(listener);
  onExit = (listener: (exit: RunExit) => void) => this.events.onExit(listener);
  write(): void {}
  resize(): void {}
  pause(): void {}
  resume(): void {}
  async kill(): Promise<void> {
    this.events.emitExit({ code: null, signal: 'SIGTERM' });
  }
}

/** A runner whose start waits until the test lets it finish. */
class HeldRunner implements Runner {
  handle = new ScriptedHandle();
  /** What the last run was started with. */
  spec: RunSpec | null = null;
  private release: (() => void) | null = null;
  start(spec: RunSpec): Promise<RunHandle> {
    this.spec = spec;
    const handle = new ScriptedHandle();
    this.handle = handle;
    return new Promise((resolve) => {
      this.release = () => resolve(handle);
    });
  }
  finishStarting(): void {
    this.release?.();
  }
  async prepare(): Promise<void> {}
  async dispose(): Promise<void> {}
}

class Page implements Viewer {
  readonly messages: ServerMessage[] = [];
  constructor(readonly role: Role) {}
  send<K extends ServerMessageType>(type: K, payload: ServerMessageMap[K]): void {
    this.messages.push({ type, ...payload } as unknown as ServerMessage);
  }
  sendFrame(frame: string): void {
    const decoded = decodeServerMessage(frame);
    if (decoded.ok) this.messages.push(decoded.message);
  }
  backlog(): number {
    return 0;
  }
  of<K extends ServerMessageType>(type: K): ({ type: K } & ServerMessageMap[K])[] {
    return this.messages.filter((m) => m.type === type) as unknown as ({ type: K } & ServerMessageMap[K])[];
  }
}

const demo = 'python:forever.py';
let hub: RunHub | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await hub?.close('shutdown');
});

function setUp(orphanGraceMs = 20, audienceMaxRate = 1_000_000) {
  const runner = new HeldRunner();
  const runners: RunnerRegistry = { python: runner, worker: runner, process: runner };
  hub = new RunHub({
    runners,
    resolveDemo: () => ({ runtime: 'python', file: '/demos/forever.py', path: 'forever.py', region: null, timeoutMs: 60_000, maxOutputBytes: 1_000_000, expect: 'ok', timing: false, timeline: false }),
    memoryLimitBytes: 1024 * 1024 * 1024,
    flow: { highWatermark: 1000, lowWatermark: 500, batchIntervalMs: 4, maxBatchBytes: 100 },
    maxRunsPerPage: 8,
    budget: new RunBudget(16),
    audienceMaxBacklog: 1000,
    audienceMaxRate,
    orphanGraceMs,
  });
  return { hub, runner };
}

describe('RunHub: screens', () => {
  it('never sends the screen of a run that a new run of its demo replaced meanwhile', async () => {
    const { hub, runner } = setUp();
    const page = new Page('presenter');
    const late = new Page('presenter');
    hub.attach(page);
    hub.attach(late);
    hub.watch(page, [demo]);
    hub.start(page, { type: 'run', demo, cols: 80, rows: 24 });
    runner.finishStarting();
    await expect.poll(() => page.of('started')).toHaveLength(1);
    // Much output at the end: the server's screen is still parsing it when the run has ended.
    runner.handle.events.emitData('first run\r\n'.repeat(20_000));
    runner.handle.events.emitExit({ code: 0, signal: null });
    expect(page.of('exit')).toHaveLength(1);
    const first = page.of('exit')[0]?.run;
    // A page comes to the slide (its screen of the ended run is being taken) just as the demo runs again.
    const taking: Promise<ScreenSnapshot>[] = [];
    const snapshot = RunScreen.prototype.snapshot;
    vi.spyOn(RunScreen.prototype, 'snapshot').mockImplementation(function (this: RunScreen) {
      const taken = snapshot.call(this);
      taking.push(taken);
      return taken;
    });
    hub.watch(late, [demo]);
    hub.start(page, { type: 'run', demo, cols: 80, rows: 24 });
    const second = late.of('starting')[0]?.run;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    runner.finishStarting();
    await expect.poll(() => late.of('started')).toHaveLength(1);
    runner.handle.events.emitExit({ code: 0, signal: null });
    await expect.poll(() => late.of('exit')).toHaveLength(1);
    // Once the old run's snapshot is done (and the hub has had its turn), it has not been sent.
    expect(taking).toHaveLength(1);
    await Promise.all(taking);
    await new Promise((resolve) => setImmediate(resolve));
    expect(late.of('screen').filter((m) => m.run === first)).toEqual([]);
  });
});

describe('RunHub: a traced run', () => {
  const lane = (tid: number, ts: number): TraceEvent => ({ ph: 'B', cat: 'lane', name: `Thread-${tid}`, pid: 1, tid, ts, args: { kind: 'thread' } });

  it('traces the run the page asks to trace, sends each page its events by index, and a late page the events so far right after its screen', async () => {
    const { hub, runner } = setUp();
    const page = new Page('presenter');
    const late = new Page('audience');
    hub.attach(page);
    hub.attach(late);
    hub.watch(page, [demo]);
    hub.start(page, { type: 'run', demo, cols: 80, rows: 24, trace: true });
    expect(runner.spec?.trace).toBe(true);
    expect(page.of('starting')[0]?.traced).toBe(true);
    runner.finishStarting();
    await expect.poll(() => page.of('started')).toHaveLength(1);
    runner.handle.emitTrace([lane(1, 10), lane(2, 20)]);
    runner.handle.emitTrace([lane(3, 30)]);
    expect(page.of('trace').map((m) => [m.from, m.events.map((e) => e.tid)])).toEqual([
      [0, [1, 2]],
      [2, [3]],
    ]);
    hub.watch(late, [demo]);
    await expect.poll(() => late.of('trace')).toHaveLength(1);
    expect(late.messages.map((m) => m.type).filter((type) => type !== 'activity')).toEqual(['screen', 'trace']);
    expect(late.of('screen')[0]?.traced).toBe(true);
    expect(late.of('trace')[0]?.events.map((e) => e.tid)).toEqual([1, 2, 3]);
    // The last events come after the exit (the run's processes were gone first): every page still gets them.
    runner.handle.events.emitExit({ code: 0, signal: null });
    runner.handle.emitTrace([{ ph: 'E', cat: 'lane', name: 'Thread-3', pid: 1, tid: 3, ts: 40 }]);
    expect(page.of('trace').at(-1)).toMatchObject({ from: 3, events: [{ ph: 'E', tid: 3 }] });
    expect(late.of('trace').at(-1)).toMatchObject({ from: 3, events: [{ ph: 'E', tid: 3 }] });
  });

  it('does not trace a run nobody asked to trace', async () => {
    const { hub, runner } = setUp();
    const page = new Page('presenter');
    hub.attach(page);
    hub.watch(page, [demo]);
    hub.start(page, { type: 'run', demo, cols: 80, rows: 24 });
    expect(runner.spec?.trace).toBe(false);
    expect(page.of('starting')[0]?.traced).toBeUndefined();
    runner.finishStarting();
    await expect.poll(() => page.of('started')).toHaveLength(1);
  });
});

describe('RunHub: a run that is still starting', () => {
  it('ends as stopped when a page stops it before its process is up', async () => {
    const { hub, runner } = setUp();
    const page = new Page('presenter');
    hub.attach(page);
    hub.watch(page, [demo]);
    hub.start(page, { type: 'run', demo, cols: 80, rows: 24 });
    const [starting] = page.of('starting');
    hub.stop(page, starting?.run ?? '');
    runner.finishStarting();
    await expect.poll(() => page.of('exit')).toHaveLength(1);
    expect(page.of('exit')[0]).toMatchObject({ reason: 'stopped' });
  });

  it('ends as disconnected when the last presenter page leaves before its process is up', async () => {
    const { hub, runner } = setUp();
    const page = new Page('presenter');
    const follower = new Page('audience');
    hub.attach(page);
    hub.attach(follower);
    hub.watch(follower, [demo]);
    hub.start(page, { type: 'run', demo, cols: 80, rows: 24 });
    hub.detach(page);
    // The grace period passes while the runner is still starting the process.
    await new Promise((resolve) => setTimeout(resolve, 60));
    runner.finishStarting();
    await expect.poll(() => follower.of('exit')).toHaveLength(1);
    expect(follower.of('exit')[0]).toMatchObject({ reason: 'disconnected' });
  });
});

describe('RunHub: the audience', () => {
  it('sends an audience page past its rate a fresh screen instead of the flood, and the presenter everything', async () => {
    const { hub, runner } = setUp(20, 4000);
    const presenter = new Page('presenter');
    const audience = new Page('audience');
    for (const page of [presenter, audience]) {
      hub.attach(page);
      hub.watch(page, [demo]);
    }
    hub.start(presenter, { type: 'run', demo, cols: 80, rows: 24 });
    runner.finishStarting();
    await expect.poll(() => audience.of('started')).toHaveLength(1);
    const lines = Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'.'.repeat(80)}\r\n`);
    for (const line of lines) runner.handle.events.emitData(line);
    runner.handle.events.emitExit({ code: 0, signal: null });
    expect(presenter.of('output').map((m) => m.data).join('')).toBe(lines.join(''));
    // A window's worth (4000 bytes a second, counted over 250 ms) went out live; the rest comes as a screen.
    const live = audience.of('output').map((m) => m.data).join('');
    expect(live.length).toBeLessThanOrEqual(1000);
    expect(lines.join('').startsWith(live)).toBe(true);
    await expect.poll(() => audience.of('screen')).toHaveLength(1);
    const [screen] = audience.of('screen');
    expect(screen?.end).toMatchObject({ code: 0, reason: 'exit' });
    expect(screen?.data).toContain('line 199');
    // The exit came with the screen, not before it.
    expect(audience.of('exit')).toEqual([]);
  });
});
