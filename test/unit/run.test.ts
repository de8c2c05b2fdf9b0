/** The run's own rules, with a scripted handle: batching, flow control, limits, one exit. */
import { describe, expect, it } from 'vitest';
import type { RunEnd } from '../../server/run-outcome.ts';
import type { RunExit, RunHandle } from '../../server/runners/runner.ts';
import { RunEvents } from '../../server/runners/run-events.ts';
import { Run } from '../../server/runs/run.ts';

class ScriptedHandle implements RunHandle {
  readonly pid = null;
  readonly events = new RunEvents();
  readonly calls: string[] = [];
  onData = (listener: (data: string) => void) => this.events.onData(listener);
  onExit = (listener: (exit: RunExit) => void) => this.events.onExit(listener);
  write(data: string): void {
    this.calls.push(`write ${data}`);
  }
  resize(): void {}
  pause(): void {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
  async kill(): Promise<void> {
    this.calls.push('kill');
    this.events.emitExit({ code: null, signal: 'SIGTERM' });
  }
}

const flow = { highWatermark: 100, lowWatermark: 20, batchIntervalMs: 50, maxBatchBytes: 40 };

function start(limits = { timeoutMs: 60_000, maxOutputBytes: 1_000 }) {
  const handle = new ScriptedHandle();
  const outputs: string[] = [];
  const exits: RunEnd[] = [];
  /**
   * The sink's readers, as the hub counts them: output handed over and not yet acknowledged,
   * and a lag of their own (a socket's buffered bytes, the server's screen still parsing).
   */
  const sink = { unacked: 0, other: 0 };
  const run = new Run(handle, limits, flow, {
    output: (data) => {
      outputs.push(data);
      sink.unacked += data.length;
    },
    lag: () => Math.max(sink.unacked, sink.other),
    exit: (end) => exits.push(end),
  });
  /** A reader has written `bytes` more, and says so (the hub then reviews the run's flow). */
  const acknowledge = (bytes: number): void => {
    sink.unacked = Math.max(0, sink.unacked - bytes);
    run.reviewFlow();
  };
  return { handle, run, outputs, exits, sink, acknowledge };
}

describe('Run', () => {
  it('sends the first output at once and gathers what follows within the batch interval', async () => {
    const { handle, outputs } = start();
    handle.events.emitData('first');
    expect(outputs).toEqual(['first']);
    handle.events.emitData('a');
    handle.events.emitData('b');
    expect(outputs).toEqual(['first']);
    await expect.poll(() => outputs, { interval: 10 }).toEqual(['first', 'ab']);
  });

  it('keeps gathering while output keeps coming, and sends at once again only after a quiet interval', async () => {
    const { handle, outputs } = start();
    handle.events.emitData('first');
    handle.events.emitData('a');
    await expect.poll(() => outputs, { interval: 5 }).toEqual(['first', 'a']);
    // The interval that sent 'a' stays open: what comes next waits for its own interval.
    handle.events.emitData('b');
    expect(outputs).toEqual(['first', 'a']);
    await expect.poll(() => outputs, { interval: 5 }).toEqual(['first', 'a', 'b']);
    // An interval with nothing to send closes the window; then output goes out at once.
    await new Promise((resolve) => setTimeout(resolve, flow.batchIntervalMs * 3));
    handle.events.emitData('c');
    expect(outputs).toEqual(['first', 'a', 'b', 'c']);
  });

  it('sends a batch as soon as it reaches the largest frame', () => {
    const { handle, outputs } = start();
    handle.events.emitData('x');
    handle.events.emitData('y'.repeat(45));
    expect(outputs).toEqual(['x', 'y'.repeat(45)]);
  });

  it('pauses past the high watermark and resumes at the low one', () => {
    const { handle, acknowledge } = start();
    handle.events.emitData('z'.repeat(120));
    expect(handle.calls).toEqual(['pause']);
    acknowledge(90);
    expect(handle.calls).toEqual(['pause']);
    acknowledge(20);
    expect(handle.calls).toEqual(['pause', 'resume']);
  });

  it('pauses while the sink lags for another reason, even when everything is acknowledged, and resumes once it catches up', () => {
    const { handle, run, sink, acknowledge } = start();
    sink.other = 150;
    handle.events.emitData('a');
    expect(handle.calls).toEqual(['pause']);
    acknowledge(1);
    expect(handle.calls).toEqual(['pause']);
    sink.other = 10;
    run.reviewFlow();
    expect(handle.calls).toEqual(['pause', 'resume']);
  });

  it('stops at the output limit, sends nothing past it, and ends once', async () => {
    const { handle, outputs, exits } = start({ timeoutMs: 60_000, maxOutputBytes: 30 });
    handle.events.emitData('q'.repeat(25));
    handle.events.emitData('w'.repeat(25));
    await expect.poll(() => exits.length).toBe(1);
    expect(outputs.join('')).toBe(`${'q'.repeat(25)}${'w'.repeat(5)}`);
    expect(exits[0]).toMatchObject({ reason: 'output-limit', message: 'output limit of 30 bytes reached', signal: 'SIGTERM' });
    handle.events.emitExit({ code: 0, signal: null });
    expect(exits).toHaveLength(1);
  });

  it("reports the runner's own limit as the reason, with its message, unless the run had already been ended", () => {
    const limited = start();
    limited.handle.events.emitExit({ code: null, signal: 'SIGKILL', limit: { kind: 'memory-limit', message: 'memory limit of 1 GB reached' } });
    expect(limited.exits[0]).toMatchObject({ reason: 'memory-limit', message: 'memory limit of 1 GB reached', signal: 'SIGKILL' });
    const stopped = start();
    void stopped.run.end('stopped');
    expect(stopped.exits[0]).toMatchObject({ reason: 'stopped', signal: 'SIGTERM' });
    expect(stopped.exits[0]?.message).toBeUndefined();
  });

  it('a time limit ends the run with its own reason; the first reason wins', async () => {
    const { handle, run, exits } = start({ timeoutMs: 30, maxOutputBytes: 1_000 });
    await expect.poll(() => exits.length).toBe(1);
    await run.end('stopped');
    expect(exits).toHaveLength(1);
    expect(exits[0]).toMatchObject({ reason: 'timeout', message: 'time limit of 0.03 s reached' });
    expect(handle.calls.filter((c) => c === 'kill')).toHaveLength(1);
  });
});
