import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import { TERMINAL_SIZE } from '../../server/deck/demo-layout.ts';
import { decodeCast } from '../../server/recordings/recording.ts';
import type { RecordingMeta } from '../../server/recordings/recording.ts';

const exec = promisify(execFile);
const fixture = path.join(projectRoot, 'test/fixtures/record-deck');

/** What each fixture demo prints, line ends normalised. */
const PRINTED: Record<string, string> = {
  'greet.py.python': 'hello from greet\nRECORDED!\n',
  'count.ts.worker': 'line 1 of 3\nline 2 of 3\nline 3 of 3\n',
  'fails.py.python': 'about to fail\n',
};

/** Each is recorded at its slide's terminal size: count.ts's code is wider than a side-by-side pane. */
const SIZE = {
  'greet.py.python': TERMINAL_SIZE.side,
  'count.ts.worker': TERMINAL_SIZE.stacked,
  'fails.py.python': TERMINAL_SIZE.side,
} as const;

/** Runs one of the deck's scripts on `root` as a speaker would; its exit code and output. */
async function script(name: 'record-deck' | 'check-deck', root: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', path.join(projectRoot, `scripts/${name}.ts`), '--root', root, ...args], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, out: `${failure.stdout}${failure.stderr}` };
  }
}

const record = (root: string, ...args: string[]): Promise<{ code: number; out: string }> => script('record-deck', root, ...args);

/** The line of `out` about `demo`, e.g. `python greet.py`. */
function lineOf(out: string, demo: string): string {
  const found = out.split('\n').find((line) => line.includes(` ${demo} `));
  if (found === undefined) throw new Error(`no line for ${demo} in:\n${out}`);
  return found;
}

/** Every file under `recordings/` with its content. */
function recordings(root: string): Map<string, string> {
  const dir = path.join(root, 'recordings');
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [path.relative(dir, file), readFileSync(file, 'utf8')] as const;
      }),
  );
}

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'record-deck-'));
  cpSync(fixture, root, { recursive: true });
  // As in this project: TypeScript demos are ES modules (npm run check type-checks them so).
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('npm run record', () => {
  it('writes one valid asciicast per demo, with what the run printed, and its meta; a second run records nothing', async () => {
    const first = await record(root);
    expect(first.code, first.out).toBe(0);
    expect(lineOf(first.out, 'python greet.py')).toMatch(/^✓ python greet\.py +01-record\.md:9 +exit 0 +\d+\.\d s +recorded/);
    expect(lineOf(first.out, 'worker count.ts')).toMatch(/^✓ .*01-record\.md:15 +exit 0 .*recorded/);
    expect(lineOf(first.out, 'python fails.py')).toMatch(/^✓ .*01-record\.md:21 +exit 3 .*recorded/);
    // Two slides embed greet.py: it runs once.
    expect(first.out.match(/ python greet\.py /g)).toHaveLength(1);
    expect([...recordings(root).keys()].sort()).toEqual(['count.ts.worker.cast', 'count.ts.worker.json', 'fails.py.python.cast', 'fails.py.python.json', 'greet.py.python.cast', 'greet.py.python.json']);

    for (const [base, printed] of Object.entries(PRINTED)) {
      const size = SIZE[base as keyof typeof SIZE];
      const text = readFileSync(path.join(root, 'recordings', `${base}.cast`), 'utf8');
      const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
      const header = lines[0] as Record<string, unknown>;
      expect(header).toMatchObject({ version: 2, width: size.cols, height: size.rows, title: `${base.split('.').at(-1)} ${base.split('.').slice(0, -1).join('.')}` });
      expect(Math.abs((header['timestamp'] as number) - Date.now() / 1000)).toBeLessThan(120);
      const events = lines.slice(1) as [number, string, string][];
      expect(events.length).toBeGreaterThan(0);
      for (const [time, kind] of events) {
        expect(kind).toBe('o');
        expect(time).toBeGreaterThanOrEqual(0);
        expect(Math.round(time * 1000) / 1000).toBe(time);
      }
      expect(events.map(([time]) => time)).toEqual(events.map(([time]) => time).sort((a, b) => a - b));
      expect(events.map(([, , data]) => data).join('').replace(/\r\n/g, '\n')).toBe(printed);
      expect(decodeCast(text).events).toHaveLength(events.length);

      const meta = JSON.parse(readFileSync(path.join(root, 'recordings', `${base}.json`), 'utf8')) as RecordingMeta;
      expect(meta.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Date.parse(meta.recordedAt)).toBeGreaterThan(Date.now() - 120_000);
      expect([meta.cols, meta.rows]).toEqual([size.cols, size.rows]);
      expect(meta.end.reason).toBe('exit');
      expect(meta.exitLine).toMatch(new RegExp(`^⏎ exit ${meta.end.code} · \\d+\\.\\d\\d s$`));
      expect(meta.finalScreen).toContain(printed.trimEnd().split('\n').at(-1));
      // The last event comes no later than the run's end, as on the page.
      expect(events.at(-1)?.[0] ?? 0).toBeLessThanOrEqual(meta.end.durationMs / 1000 + 0.01);
    }
    const greet = JSON.parse(readFileSync(path.join(root, 'recordings/greet.py.python.json'), 'utf8')) as RecordingMeta;
    expect(greet.files).toEqual(['greet.py', 'shout.py']);
    expect((JSON.parse(readFileSync(path.join(root, 'recordings/count.ts.worker.json'), 'utf8')) as RecordingMeta).files).toEqual(['count.ts', 'support/lines.ts']);
    expect(greet.end.code).toBe(0);
    expect((JSON.parse(readFileSync(path.join(root, 'recordings/fails.py.python.json'), 'utf8')) as RecordingMeta).end.code).toBe(3);

    const before = recordings(root);
    const second = await record(root);
    expect(second.code, second.out).toBe(0);
    for (const demo of ['python greet.py', 'worker count.ts', 'python fails.py']) expect(lineOf(second.out, demo)).toMatch(/^✓ .* up to date$/);
    expect(second.out).toMatch(/^Recorded 0, up to date 3/m);
    expect(recordings(root)).toEqual(before);

    // --all records every demo again.
    const all = await record(root, '--all');
    expect(all.out).toMatch(/^Recorded 3, up to date 0/m);
    // Named demos are recorded again, and only they.
    const named = await record(root, 'greet.py');
    expect(named.code, named.out).toBe(0);
    expect(lineOf(named.out, 'python greet.py')).toMatch(/recorded$/);
    expect(named.out.split('\n').filter((line) => /^[✓✗] /.test(line) && /count\.ts|fails\.py/.test(line))).toEqual([]);
    const unknown = await record(root, 'nope.py');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/^✗ nope\.py: no slide embeds this demo$/m);
  }, 120_000);

  it('records again exactly the demo whose file, or a module it imports, changed', async () => {
    expect((await record(root)).code).toBe(0);
    const recorded = recordings(root);

    appendFileSync(path.join(root, 'demos/greet.py'), 'print("one more line")\n');
    const afterDemo = await record(root);
    expect(afterDemo.code, afterDemo.out).toBe(0);
    expect(lineOf(afterDemo.out, 'python greet.py')).toMatch(/recorded \(was stale\)$/);
    expect(lineOf(afterDemo.out, 'worker count.ts')).toMatch(/up to date$/);
    expect(lineOf(afterDemo.out, 'python fails.py')).toMatch(/up to date$/);
    const now = recordings(root);
    expect(now.get('greet.py.python.cast')).toContain('one more line');
    expect(now.get('count.ts.worker.cast')).toBe(recorded.get('count.ts.worker.cast'));

    writeFileSync(path.join(root, 'demos/support/lines.ts'), 'export function line(n: number): string {\n  return `row ${n} of 3`;\n}\n');
    const afterModule = await record(root);
    expect(afterModule.code, afterModule.out).toBe(0);
    expect(lineOf(afterModule.out, 'worker count.ts')).toMatch(/recorded \(was stale\)$/);
    expect(lineOf(afterModule.out, 'python greet.py')).toMatch(/up to date$/);
    expect(recordings(root).get('count.ts.worker.cast')).toContain('row 3 of 3');
    expect(recordings(root).get('greet.py.python.cast')).toBe(now.get('greet.py.python.cast'));
  }, 120_000);

  it('exits 1 when a demo misses its expected outcome, and writes nothing for it (an old recording stays)', async () => {
    // fails.py is expected to fail: succeeding is missing its outcome.
    writeFileSync(path.join(root, 'demos/fails.py'), 'print("no failure today")\n');
    const missed = await record(root);
    expect(missed.code).toBe(1);
    expect(lineOf(missed.out, 'python fails.py')).toMatch(/^✗ .*exit 0 \(expected a failing exit\) .* not recorded$/);
    expect(missed.out).toMatch(/no failure today/);
    expect(missed.out).toMatch(/✗ 1 problem$/m);
    expect([...recordings(root).keys()].filter((file) => file.startsWith('fails'))).toEqual([]);
    expect(recordings(root).has('greet.py.python.cast')).toBe(true);

    const before = recordings(root);
    writeFileSync(path.join(root, 'demos/greet.py'), 'raise RuntimeError("broken on purpose")\n');
    const broken = await record(root);
    expect(broken.code).toBe(1);
    expect(lineOf(broken.out, 'python greet.py')).toMatch(/^✗ .*exit 1 \(expected exit 0\) .* not recorded, the old recording is kept$/);
    expect(recordings(root).get('greet.py.python.cast')).toBe(before.get('greet.py.python.cast'));
    expect(recordings(root).get('greet.py.python.json')).toBe(before.get('greet.py.python.json'));
  }, 120_000);
});

describe('npm run check and recordings', () => {
  it('lists missing and stale recordings as warnings with their slide, and still passes', async () => {
    const missing = await script('check-deck', root);
    expect(missing.code, missing.out).toBe(0);
    expect(missing.out).toMatch(/^⚠ python greet\.py +01-record\.md:9 +recording missing$/m);
    expect(missing.out).toMatch(/^⚠ worker count\.ts +01-record\.md:15 +recording missing$/m);
    expect(missing.out).toMatch(/3 recordings missing or stale: run `npm run record`/);
    expect(missing.out).toMatch(/✓ the deck is ready/);

    expect((await record(root)).code).toBe(0);
    appendFileSync(path.join(root, 'demos/shout.py'), '\n# a change to a module greet.py imports\n');
    const stale = await script('check-deck', root);
    expect(stale.code, stale.out).toBe(0);
    expect(stale.out).toMatch(/^⚠ python greet\.py +01-record\.md:9 +recording stale: .*greet\.py or the module it uses \(shout\.py\)$/m);
    expect(stale.out.match(/^⚠/gm)).toHaveLength(1);
    expect(stale.out).toMatch(/1 recording missing or stale: run `npm run record`/);
  }, 120_000);
});
