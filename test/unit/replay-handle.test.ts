import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CastEvent, Recording } from '../../server/recordings/recording.ts';
import { ReplayHandle } from '../../server/recordings/replay-handle.ts';
import type { RunExit, RunHandle } from '../../server/runners/runner.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';

function recording(events: CastEvent[], end: { code: number | null; signal: string | null; durationMs: number }): Pick<Recording, 'events' | 'meta'> {
  return {
    events,
    meta: {
      format: 1,
      runtime: 'python',
      demo: 'hello.py',
      hash: '0',
      files: ['hello.py'],
      recordedAt: '2026-11-28T10:00:00.000Z',
      cols: 80,
      rows: 24,
      end: { ...end, reason: 'exit' },
      exitLine: '',
      finalScreen: '',
    },
  };
}

/** A handle with its output and exit gathered, as the run hub's `Run` listens. */
function play(events: CastEvent[], end: { code: number | null; signal: string | null; durationMs: number } = { code: 0, signal: null, durationMs: 0 }) {
  // Driven through the interface every runner's handle has, as the run hub drives it.
  const handle: RunHandle = new ReplayHandle(recording(events, end));
  const seen = { output: '', exits: [] as RunExit[] };
  handle.onData((data) => (seen.output += data));
  handle.onExit((exit) => seen.exits.push(exit));
  return { handle, seen };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ReplayHandle', () => {
  it('has no process and plays each output at its recorded time', () => {
    const { handle, seen } = play([[0, 'o', 'one\r\n'], [0.5, 'o', 'two\r\n'], [1.5, 'o', 'three\r\n']], { code: 0, signal: null, durationMs: 1500 });
    expect(handle.pid).toBeNull();
    // Nothing before the caller's listeners are on (the next turn).
    expect(seen.output).toBe('');
    vi.advanceTimersByTime(0);
    expect(seen.output).toBe('one\r\n');
    vi.advanceTimersByTime(499);
    expect(seen.output).toBe('one\r\n');
    vi.advanceTimersByTime(1);
    expect(seen.output).toBe('one\r\ntwo\r\n');
    vi.advanceTimersByTime(999);
    expect(seen.exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen.output).toBe('one\r\ntwo\r\nthree\r\n');
    expect(seen.exits).toEqual([{ code: 0, signal: null }]);
  });

  it('exits as recorded, after the last output, at the recorded end', () => {
    const { seen } = play([[0.1, 'o', 'Traceback…\r\n']], { code: 1, signal: null, durationMs: 400 });
    vi.advanceTimersByTime(100);
    expect(seen.output).toBe('Traceback…\r\n');
    expect(seen.exits).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(seen.exits).toEqual([{ code: 1, signal: null }]);

    const signalled = play([[0, 'o', 'x']], { code: null, signal: 'SIGSEGV', durationMs: 0 });
    vi.advanceTimersByTime(0);
    expect(signalled.seen.exits).toEqual([{ code: null, signal: 'SIGSEGV' }]);
  });

  it('holds the output while paused and goes on from there when resumed', () => {
    const { handle, seen } = play([[0, 'o', 'a'], [1, 'o', 'b'], [2, 'o', 'c']], { code: 0, signal: null, durationMs: 2000 });
    vi.advanceTimersByTime(500);
    handle.pause();
    vi.advanceTimersByTime(10_000);
    expect(seen.output).toBe('a');
    handle.resume();
    vi.advanceTimersByTime(499);
    expect(seen.output).toBe('a');
    vi.advanceTimersByTime(1);
    expect(seen.output).toBe('ab');
    vi.advanceTimersByTime(1000);
    expect(seen.output).toBe('abc');
    expect(seen.exits).toHaveLength(1);
  });

  it('ends at once on kill, with nothing more after it, and only once', async () => {
    const { handle, seen } = play([[0, 'o', 'a'], [5, 'o', 'never']], { code: 0, signal: null, durationMs: 5000 });
    vi.advanceTimersByTime(100);
    await handle.kill();
    expect(seen.exits).toEqual([{ code: null, signal: 'SIGTERM' }]);
    await handle.kill();
    vi.advanceTimersByTime(10_000);
    expect(seen.output).toBe('a');
    expect(seen.exits).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores keys and sizes', () => {
    const { handle, seen } = play([[0, 'o', 'a']]);
    handle.write('typed');
    handle.resize(10, 5);
    vi.advanceTimersByTime(0);
    expect(seen.output).toBe('a');
    expect(seen.exits).toEqual([{ code: 0, signal: null }]);
  });
});

describe('ReplayHandle: a traced recording', () => {
  it('hands on the trace events at their recorded times, in step with the output, the last ones before the exit', async () => {
    const trace: TraceEvent[] = [
      { ph: 'B', cat: 'lane', name: 'Thread-1', pid: 1, tid: 2, ts: 1_500_000, args: { kind: 'thread' } },
      { ph: 'M', name: 'thread_name', pid: 1, tid: 2, ts: 0, args: { name: 'Thread-1' } },
      { ph: 'E', cat: 'lane', name: 'Thread-1', pid: 1, tid: 2, ts: 2_900_000 },
    ];
    const handle = new ReplayHandle({ ...recording([[1, 'o', 'one'], [2, 'o', 'two']], { code: 0, signal: null, durationMs: 3000 }), trace });
    const seen: string[] = [];
    handle.onData((data) => seen.push(`output ${data}`));
    handle.onTrace((events) => seen.push(`trace ${events.map((event) => event.ph).join('')}`));
    handle.onExit(() => seen.push('exit'));
    await vi.advanceTimersByTimeAsync(1200);
    expect(seen).toEqual(['trace M', 'output one']);
    await vi.advanceTimersByTimeAsync(400);
    expect(seen.at(-1)).toBe('trace B');
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen).toEqual(['trace M', 'output one', 'trace B', 'output two', 'trace E', 'exit']);
  });
});
