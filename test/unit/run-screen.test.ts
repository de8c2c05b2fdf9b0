import headless from '@xterm/headless';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunScreen } from '../../server/runs/run-screen.ts';

/** The text a snapshot draws, as a fresh terminal of the same size shows it. */
async function draw(snapshot: { data: string; cols: number; rows: number }): Promise<string[]> {
  const term = new headless.Terminal({ cols: snapshot.cols, rows: snapshot.rows, scrollback: 1000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(snapshot.data, resolve));
  const buffer = term.buffer.active;
  const lines = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)?.translateToString(true) ?? '');
  term.dispose();
  return lines.filter((line) => line !== '');
}

describe('RunScreen', () => {
  it('snapshots everything written before the call and nothing written after it', async () => {
    const screen = new RunScreen(40, 5);
    for (let i = 0; i < 12; i++) screen.write(`line ${i}\n`);
    const before = screen.snapshot();
    screen.write('after the snapshot\n');
    const lines = await draw(await before);
    expect(lines).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i}`));
    expect(await draw(await screen.snapshot())).toContain('after the snapshot');
    screen.dispose();
  });

  it('keeps colours and the scrollback above the screen', async () => {
    const screen = new RunScreen(30, 3);
    screen.write('\x1b[31mred\x1b[0m\nplain\nthree\nfour\n');
    const snapshot = await screen.snapshot();
    expect(snapshot.data).toContain('\x1b[31m');
    expect(await draw(snapshot)).toEqual(['red', 'plain', 'three', 'four']);
    screen.dispose();
  });

  it('parses output once it pauses, and says so', async () => {
    let parsed = (): void => undefined;
    const caughtUp = new Promise<void>((resolve) => (parsed = resolve));
    const screen = new RunScreen(40, 5, () => parsed());
    screen.write('a quiet line\n');
    await caughtUp;
    expect(screen.lag).toBe(0);
    expect(await draw(await screen.snapshot())).toEqual(['a quiet line']);
    screen.dispose();
  });

  it('holds a flood unparsed while it comes, and keeps only its last part, from a line start', async () => {
    const screen = new RunScreen(80, 24);
    const lines = Array.from({ length: 40_000 }, (_, i) => `\x1b[32mflood line ${i}\x1b[0m ${'.'.repeat(40)}\n`);
    // In chunks that split lines and escape sequences, as a pty's reads do.
    const text = lines.join('');
    for (let i = 0; i < text.length; i += 4093) screen.write(text.slice(i, i + 4093));
    expect(screen.lag).toBe(0);
    const shown = await draw(await screen.snapshot());
    expect(shown.at(-1)).toMatch(/^flood line 39999 \.+$/);
    // The scrollback (1000 lines) and the screen, less the empty line the cursor waits on.
    expect(shown).toHaveLength(1000 + 24 - 1);
    expect(shown.every((line) => /^flood line \d+ \.+$/.test(line))).toBe(true);
    screen.dispose();
  });

  describe('with a clock of its own', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('leaves a flood unparsed through its short pauses, and parses it once it has stopped', () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      let parsedTimes = 0;
      const screen = new RunScreen(80, 24, () => parsedTimes++);
      const burst = `${'x'.repeat(79)}\n`.repeat(400);
      for (let pause = 0; pause < 5; pause++) {
        screen.write(burst);
        // The run waits for its readers about this long in a flood.
        vi.advanceTimersByTime(100);
        expect(parsedTimes).toBe(0);
      }
      vi.advanceTimersByTime(500);
      expect(parsedTimes).toBe(1);
      expect(screen.lag).toBe(0);
      screen.write('a quiet line after it\n');
      vi.advanceTimersByTime(50);
      expect(parsedTimes).toBe(2);
      screen.dispose();
    });
  });

  it('after the run ends, keeps its last screen as text', async () => {
    const screen = new RunScreen(20, 4);
    screen.write('last words\n');
    const pending = screen.snapshot();
    screen.freeze();
    screen.write('ignored: the terminal is gone');
    const frozen = await screen.snapshot();
    expect(await draw(frozen)).toEqual(['last words']);
    expect((await pending).data).toBe(frozen.data);
  });
});
