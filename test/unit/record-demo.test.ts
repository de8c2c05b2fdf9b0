import { describe, expect, it } from 'vitest';
import { DemoRecorder, plainExitLine } from '../../server/recordings/record-demo.ts';
import { decodeCast, encodeCast } from '../../server/recordings/recording.ts';
import type { RunEnd } from '../../server/run-outcome.ts';

const demo = { runtime: 'python', demo: 'concepts/deadlock.py', hash: { hash: 'ab'.repeat(32), files: ['concepts/deadlock.py', 'concepts/counting.py'] } } as const;
const exited: RunEnd = { code: 0, signal: null, durationMs: 1234, reason: 'exit' };

/** A recorder on a clock the test moves by hand. */
function recorderAt(options: { maxCastChars?: number } = {}): { recorder: DemoRecorder; advance(ms: number): void } {
  let now = 1000.25;
  const recorder = new DemoRecorder({ cols: 40, rows: 5, now: () => now, clock: () => Date.UTC(2025, 0, 2, 3, 4, 5, 678), ...options });
  return { recorder, advance: (ms) => (now += ms) };
}

describe('DemoRecorder', () => {
  it('times each chunk from the start in seconds to the millisecond, and keeps the header, the meta and the final screen', async () => {
    const { recorder, advance } = recorderAt();
    recorder.start();
    advance(12.3456);
    recorder.output('one\r\n');
    advance(0.2);
    recorder.output('two\r\n');
    advance(500);
    recorder.output('\x1b[31mthree\x1b[0m');
    const recording = await recorder.finish(demo, exited);
    recorder.dispose();
    expect(recording.header).toEqual({ version: 2, width: 40, height: 5, timestamp: Math.floor(Date.UTC(2025, 0, 2, 3, 4, 5, 678) / 1000), title: 'python concepts/deadlock.py', env: { TERM: 'xterm-256color' } });
    expect(recording.events).toEqual([
      [0.012, 'o', 'one\r\n'],
      [0.013, 'o', 'two\r\n'],
      [0.513, 'o', '\x1b[31mthree\x1b[0m'],
    ]);
    expect(recording.meta).toMatchObject({ format: 1, runtime: 'python', demo: 'concepts/deadlock.py', hash: demo.hash.hash, files: demo.hash.files, recordedAt: '2025-01-02T03:04:05.678Z', cols: 40, rows: 5, end: exited, exitLine: '⏎ exit 0 · 1.23 s' });
    expect(recording.meta.finalScreen).toMatch(/^one\r\ntwo\r\n.*three/);
    expect(recording.meta.cut).toBeUndefined();
    expect(decodeCast(encodeCast(recording.header, recording.events)).events).toEqual(recording.events);
  });

  it('keeps a flood only up to its budget, then ends the cast by drawing the final screen, and says so in the meta', async () => {
    const { recorder, advance } = recorderAt({ maxCastChars: 100 });
    recorder.start();
    for (let i = 0; i < 20; i += 1) {
      advance(10);
      recorder.output(`line ${i}\r\n`);
    }
    const recording = await recorder.finish(demo, exited);
    recorder.dispose();
    const kept = recording.events.slice(0, -1);
    expect(kept.map(([, , data]) => data).join('')).toBe(Array.from({ length: kept.length }, (_, i) => `line ${i}\r\n`).join(''));
    expect(kept.reduce((sum, [, , data]) => sum + JSON.stringify(data).length, 0)).toBeLessThanOrEqual(100);
    const last = recording.events.at(-1);
    expect(last?.[0]).toBe(0.2);
    expect(last?.[2]).toBe(`\x1b[H\x1b[2J\x1b[3J${recording.meta.finalScreen}`);
    // The final screen is whole: the terminal saw every line, not only those the cast keeps.
    expect(recording.meta.finalScreen).toContain('line 19');
    expect(recording.meta.cut).toEqual({ keptChars: kept.reduce((sum, [, , data]) => sum + data.length, 0), totalChars: 20 * 'line 10\r\n'.length - 10 });
  });

  it('describes every end as the page does, without colours', () => {
    expect(plainExitLine({ code: 1, signal: null, durationMs: 1700, reason: 'exit' })).toBe('⏎ exit 1 · 1.70 s');
    expect(plainExitLine({ code: null, signal: 'SIGKILL', durationMs: 30_000, reason: 'timeout', message: 'time limit of 30 s reached' })).toBe('⏱ stopped: time limit (SIGKILL) · 30.0 s');
  });
});
