/** The side channel of a traced run: what a process writes to it, and what happens when it goes away. */
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { monotonicMicros, TraceCollector } from '../../server/trace/trace-collector.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';

let collector: TraceCollector | null = null;
afterEach(async () => {
  await collector?.close(0);
  collector = null;
});

async function openCollector(): Promise<{ collector: TraceCollector; events: TraceEvent[] }> {
  collector = await TraceCollector.open({ batchMs: 5 });
  const events: TraceEvent[] = [];
  collector.onEvents((batch) => events.push(...batch));
  return { collector, events };
}

function send(socketPath: string, lines: readonly string[]): Promise<ReturnType<typeof connect>> {
  return new Promise((resolve) => {
    const socket = connect(socketPath, () => {
      socket.write(lines.map((line) => `${line}\n`).join(''));
      resolve(socket);
    });
  });
}

describe('TraceCollector', () => {
  it('hands on checked events with times relative to the run, drops what is not one, and ends what a process left open when it goes away', async () => {
    const { collector, events } = await openCollector();
    const at = monotonicMicros() + 1000;
    const socket = await send(collector.socketPath, [
      JSON.stringify({ ph: 'M', name: 'thread_name', pid: 7, tid: 8, ts: 0, args: { name: 'worker' } }),
      JSON.stringify({ ph: 'B', cat: 'lane', name: 'worker', pid: 7, tid: 8, ts: at, args: { kind: 'thread' } }),
      'not json at all',
      JSON.stringify({ ph: 'B', cat: 'lane', name: 'no pid', tid: 8, ts: at }),
      JSON.stringify({ ph: 'X', cat: 'run', name: 'no dur', pid: 7, tid: 8, ts: at }),
      JSON.stringify({ ph: 'b', cat: 'hold', name: 'hold lock1', id: '7:L1', pid: 7, tid: 8, ts: at, args: { lock: '7:L1', name: 'lock1', nested: 'ok' } }),
      JSON.stringify({ ph: 'B', cat: 'wait', name: 'wait lock2', pid: 7, tid: 8, ts: at, args: { lock: '7:L2', name: 'lock2', kind: 'Lock' } }),
      JSON.stringify({ ph: 'i', cat: 'sampled', name: 'bad args', pid: 7, tid: 0, ts: at, args: { deep: { no: 1 } } }),
    ]);
    await expect.poll(() => events.length).toBe(4);
    expect(events.map((event) => `${event.ph} ${event.cat ?? event.name}`)).toEqual(['M thread_name', 'B lane', 'b hold', 'B wait']);
    const lane = events[1];
    // Relative to the run's start: about a millisecond in, not the machine's uptime.
    expect(lane?.ts).toBeGreaterThanOrEqual(1000);
    expect(lane?.ts).toBeLessThan(60_000_000);
    socket.destroy();
    await expect.poll(() => events.length).toBe(7);
    // The wait ends before the lane it is in; the held lock is let go.
    expect(events.slice(4).map((event) => `${event.ph} ${event.cat}`).sort()).toEqual(['E lane', 'E wait', 'e hold']);
    const ends = events.slice(4).filter((event) => event.ph === 'E').map((event) => event.cat);
    expect(ends).toEqual(['wait', 'lane']);
  });

  it('removes its socket when closed and refuses connections after', async () => {
    const { collector } = await openCollector();
    const socketPath = collector.socketPath;
    expect(existsSync(socketPath)).toBe(true);
    await collector.close(0);
    expect(existsSync(socketPath)).toBe(false);
    await expect(
      new Promise((resolve, reject) => {
        const socket = connect(socketPath, () => resolve(socket));
        socket.once('error', reject);
      }),
    ).rejects.toThrow(/ENOENT|ECONNREFUSED/);
  });
});
