import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';

const exec = promisify(execFile);

/** Runs `npm run check`'s script as a speaker would, and returns its exit code and output. */
async function check(root?: string): Promise<{ code: number; out: string }> {
  const args = ['--import', 'tsx', path.join(projectRoot, 'scripts/check-deck.ts'), ...(root ? ['--root', root] : [])];
  try {
    // As on a speaker's machine, where Python would write bytecode unless the runner says not to.
    const env = { ...process.env };
    delete env.PYTHONDONTWRITEBYTECODE;
    const { stdout } = await exec(process.execPath, args, { cwd: projectRoot, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, out: failure.stdout };
  }
}

describe('npm run check', () => {
  it('prints one line per demo and fails on every kind of problem, naming file and line', async () => {
    const { code, out } = await check(path.join(projectRoot, 'test/fixtures/check-deck'));
    expect(code).toBe(1);
    const line = (pattern: RegExp): string => {
      const found = out.split('\n').find((l) => pattern.test(l));
      if (!found) throw new Error(`no line matching ${pattern} in:\n${out}`);
      return found;
    };
    expect(line(/python succeeds\.py/)).toMatch(/^✓ .*01-checks\.md:9 +exit 0/);
    expect(line(/python deadlocks\.py/)).toMatch(/^✓ .*exit 1/);
    expect(line(/python crashes\.py/)).toMatch(/^✗ .*01-checks\.md:21 +exit 1 \(expected exit 0\)/);
    expect(out).toMatch(/RuntimeError: boom/);
    expect(line(/worker type_error\.ts/)).toMatch(/^✗ .*does not type-check/);
    expect(out).toMatch(/type_error\.ts:1:7 Type 'string' is not assignable to type 'number'/);
    expect(line(/python sleeps\.py/)).toMatch(/^✗ .*time limit of 0\.5 s reached \(expected exit 0\)/);
    expect(line(/missing\.py/)).toMatch(/^✗ 01-checks\.md:39 .*missing\.py/);
    expect(out).toMatch(/✗ plan: the sections plan 3 min for a 5-min slot/);
    expect(out.match(/python succeeds\.py/g)).toHaveLength(1);
    expect(out).toMatch(/✗ 5 problems/);
  });

  it('passes on the talk itself: every slide parses, every demo runs to its expected outcome, the plan fills the slot', async () => {
    const { code, out } = await check();
    console.log(out);
    expect(out).toMatch(/✓ the deck is ready/);
    expect(code).toBe(0);
    expect(out).toMatch(/Demos: [1-9]\d/);
    // Demos import helper modules beside them; running them leaves no __pycache__ in demos/.
    expect(readdirSync(path.join(projectRoot, 'demos'), { recursive: true }).filter((f) => String(f).includes('__pycache__'))).toEqual([]);
  }, 300_000);
});
