import headless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
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

  it('counts what it has not parsed yet as its lag', async () => {
    const screen = new RunScreen(80, 24);
    screen.write('x'.repeat(10_000));
    expect(screen.lag).toBe(10_000);
    await screen.snapshot();
    expect(screen.lag).toBe(0);
    screen.dispose();
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
