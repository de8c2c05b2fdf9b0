/** The run hub's rules with scripted runners and pages: what the real processes make hard to time (a run still starting). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Role, ServerMessage, ServerMessageMap, ServerMessageType } from '../../server/protocol.ts';
import { RunEvents } from '../../server/runners/run-events.ts';
import type { RunExit, RunHandle, Runner, RunnerRegistry } from '../../server/runners/runner.ts';
import { RunBudget } from '../../server/runs/run-budget.ts';
import { RunHub, type Viewer } from '../../server/runs/run-hub.ts';

class ScriptedHandle implements RunHandle {
  readonly pid = 4242;
  readonly events = new RunEvents();
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
  readonly handle = new ScriptedHandle();
  private release: (() => void) | null = null;
  start(): Promise<RunHandle> {
    return new Promise((resolve) => {
      this.release = () => resolve(this.handle);
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
  backlog(): number {
    return 0;
  }
  of<K extends ServerMessageType>(type: K): ({ type: K } & ServerMessageMap[K])[] {
    return this.messages.filter((m) => m.type === type) as unknown as ({ type: K } & ServerMessageMap[K])[];
  }
}

const demo = 'python:forever.py';
let hub: RunHub | null = null;
afterEach(() => hub?.close('shutdown'));

function setUp(orphanGraceMs = 20) {
  const runner = new HeldRunner();
  const runners: RunnerRegistry = { python: runner, worker: runner, process: runner };
  hub = new RunHub({
    runners,
    resolveDemo: () => ({ runtime: 'python', file: '/demos/forever.py', timeoutMs: 60_000, maxOutputBytes: 1_000_000, timing: false }),
    memoryLimitBytes: 1024 * 1024 * 1024,
    flow: { highWatermark: 1000, lowWatermark: 500, batchIntervalMs: 4, maxBatchBytes: 100 },
    maxRunsPerPage: 8,
    budget: new RunBudget(16),
    audienceMaxBacklog: 1000,
    orphanGraceMs,
  });
  return { hub, runner };
}

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
