import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    expect(out.match(/^[✓✗] python succeeds\.py/gm)).toHaveLength(1);
    // A slide with three broken demo lines: all three are problems, not only the one that does not parse.
    expect(line(/01-checks\.md:51 /)).toMatch(/^✗ .*unknown runtime "ruby"/);
    expect(line(/01-checks\.md:53 /)).toMatch(/^✗ .*demo no_such_demo\.py: file not found in demos\//);
    expect(line(/01-checks\.md:55 /)).toMatch(/^✗ .*demo succeeds\.py#no_such_region: region "no_such_region" not found/);
    // Typing targets, each spliced into its demo: checked statically and run to the demo's expected outcome.
    expect(out).toMatch(/^Typing targets: 5$/m);
    expect(line(/typing=typing_good\.py#body/)).toMatch(/^✓ python typing_base\.py#body typing=typing_good\.py#body +01-checks\.md:61 +exit 0/);
    expect(line(/typing=typing_wrong\.py#body/)).toMatch(/^✗ .*01-checks\.md:61 +exit 1 \(expected exit 0\)/);
    expect(out).toMatch(/^ +total: 3$/m);
    expect(line(/typing=typing_syntax\.py/)).toMatch(/^✗ .*the target does not parse$/);
    expect(out).toMatch(/typing_syntax\.py:1:9 '\(' was never closed/);
    expect(line(/01-checks\.md:61 typing target/)).toMatch(/^✗ 01-checks\.md:61 typing target typing_good\.py#nope: region "nope" not found$/);
    expect(line(/typing=typing_sum_target\.ts#total/)).toMatch(/^✗ worker typing_sum\.ts#total .*01-checks\.md:67 +does not type-check with the target in place$/);
    expect(out).toMatch(/typing_sum\.ts \(typing=typing_sum_target\.ts#total\):3:7 Type 'number \| ""' is not assignable to type 'string'/);
    // The demos themselves, without their targets, are fine; nothing was written beside them.
    expect(line(/python typing_base\.py +01/)).toMatch(/^✓ /);
    expect(line(/worker typing_sum\.ts +01/)).toMatch(/^✓ /);
    expect(readdirSync(path.join(projectRoot, 'test/fixtures/check-deck/demos')).filter((f) => f.includes('.typing-'))).toEqual([]);
    // Ten demo slides (1:15 each) in a 5-min slot: the talk does not fit.
    expect(out).toMatch(/^✗ timing: the estimate \d+:\d\d passes the 5-min slot by \d+:\d\d$/m);
    expect(out).toMatch(/✗ 13 problems/);
  });

  it('lists each remote resource with file and line: a problem unless the deck says `remote: allow`, else a note', async () => {
    const fixture = path.join(projectRoot, 'test/fixtures/check-deck/remote');
    const blocked = await check(fixture);
    expect(blocked.code).toBe(1);
    const remoteLines = (out: string): string[] => out.split('\n').filter((l) => /^[✗ℹ] 01-remote\.md:\d+ /.test(l)).map((l) => l.replace(/ not loaded: .*/, ' ✗'));
    expect(remoteLines(blocked.out)).toEqual([
      // The Slidev-like slide: a plain link is left alone.
      '✗ 01-remote.md:15 <img src> https://sli.dev/logo.png ✗',
      '✗ 01-remote.md:17 <div style> url() https://cover.sli.dev ✗',
      // The reveal.js-like slide, and its notes.
      '✗ 01-remote.md:27 <img src> https://static.slid.es/reveal/logo-v1/reveal-white-text.svg ✗',
      '✗ 01-remote.md:29 ![](…) https://static.slid.es/logo/v2/slides-symbol-512x512.png ✗',
      '✗ 01-remote.md:31 <video src> //static.slid.es/site/homepage/v1/homepage-video-editor.mp4 ✗',
      '✗ 01-remote.md:33 <iframe data-src> https://hakim.se ✗',
      '✗ 01-remote.md:36 <link href> https://fonts.googleapis.com/css?family=Lato ✗',
    ]);
    expect(blocked.out).toMatch(/not loaded: the deck does not say `remote: allow` \(in its first section’s front matter\)/);
    expect(blocked.out).toMatch(/✗ 7 problems/);

    const root = mkdtempSync(path.join(tmpdir(), 'check-remote-'));
    try {
      mkdirSync(path.join(root, 'slides'));
      const text = readFileSync(path.join(fixture, 'slides/01-remote.md'), 'utf8');
      writeFileSync(path.join(root, 'slides/01-remote.md'), text.replace(/^---\n/, '---\nremote: allow\n'));
      const allowed = await check(root);
      expect(allowed.code).toBe(1);
      // What the Content-Security-Policy still blocks is still a problem; the rest is listed as a note.
      expect(remoteLines(allowed.out)).toEqual([
        '✗ 01-remote.md:32 <video src> //static.slid.es/site/homepage/v1/homepage-video-editor.mp4 ✗',
        '✗ 01-remote.md:34 <iframe data-src> https://hakim.se ✗',
        'ℹ 01-remote.md:16 <img src> https://sli.dev/logo.png',
        'ℹ 01-remote.md:18 <div style> url() https://cover.sli.dev',
        'ℹ 01-remote.md:28 <img src> https://static.slid.es/reveal/logo-v1/reveal-white-text.svg',
        'ℹ 01-remote.md:30 ![](…) https://static.slid.es/logo/v2/slides-symbol-512x512.png',
        'ℹ 01-remote.md:37 <link href> https://fonts.googleapis.com/css?family=Lato',
      ]);
      expect(allowed.out).toMatch(/Remote resources: 7, 5 loaded from other hosts/);
      expect(allowed.out).toMatch(/✗ 2 problems/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe('the timing estimate', () => {
    const fixture = path.join(projectRoot, 'test/fixtures/timing-deck');
    const tableOf = (out: string): string[] => {
      const lines = out.split('\n');
      const start = lines.findIndex((l) => l.startsWith('Timing: '));
      const end = lines.findIndex((l, i) => i > start && l.startsWith('Demos: '));
      if (start < 0 || end < 0) throw new Error(`no timing table in:\n${out}`);
      return lines.slice(start, end);
    };
    /** The fixture's slides and demos (not its rehearsals) in a temporary folder, one slide file's text changed. */
    const withEdit = async (file: string, from: string, to: string): Promise<{ code: number; out: string }> => {
      const root = mkdtempSync(path.join(tmpdir(), 'check-timing-'));
      try {
        cpSync(path.join(fixture, 'slides'), path.join(root, 'slides'), { recursive: true });
        cpSync(path.join(fixture, 'demos'), path.join(root, 'demos'), { recursive: true });
        const slide = path.join(root, 'slides', file);
        const text = readFileSync(slide, 'utf8');
        if (!text.includes(from)) throw new Error(`${file} does not say ${from}`);
        writeFileSync(slide, text.replace(from, to));
        return await check(root);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    };

    it('prints per section the slides, demo slides, estimate, plan and the last rehearsal, and passes within the slot', async () => {
      const { code, out } = await check(fixture);
      expect(tableOf(out)).toEqual([
        'Timing: a text slide 0:30, a demo slide 1:15, unless it says `<!-- seconds: n -->` or `<!-- minutes: n -->`',
        '  measured: the rehearsal of 2026-11-28 10:15 UTC',
        '  section                       slides  demo slides  estimate  planned  measured',
        // 30 s + the override's 45 s: over its planned minute, a warning only.
        '  Opening                            2            0      1:15     1:00      1:10',
        // A Python + TypeScript group counts once (1:15), then 1.75 minutes, then a text slide.
        '  Demos                              3            2      3:30     4:00      3:20',
        '  (not in today\'s deck)                                                     0:05',
        '  total                              5            2      4:45     5:00      4:35',
        '⚠ 01-opening.md: Opening is estimated at 1:15, over its planned 1:00',
        '✓ timing: the estimate 4:45 fits the 5-min slot (0:15 to spare)',
      ]);
      expect(out).toMatch(/✓ the deck is ready/);
      expect(code).toBe(0);
    });

    it('fails when the estimate passes the slot, naming the estimate and the slot', async () => {
      const { code, out } = await withEdit('02-demos.md', '<!-- minutes: 1.75 -->', '<!-- minutes: 2.5 -->');
      const table = tableOf(out);
      // No rehearsals in this deck: no measured column.
      expect(table[1]).toBe('  section                                 slides  demo slides  estimate  planned');
      expect(table).toContain('  Demos                                        3            2      4:15     4:00');
      expect(table.at(-1)).toBe('✗ timing: the estimate 5:30 passes the 5-min slot by 0:30');
      expect(out).toMatch(/^✗ 1 problem$/m);
      expect(code).toBe(1);
    });

    it('fails on a malformed override, at its file and line', async () => {
      const { code, out } = await withEdit('01-opening.md', '<!-- seconds: 45 -->', '<!-- seconds: soon -->');
      expect(tableOf(out)).toContain('✗ 01-opening.md:15 slide time `<!-- seconds: soon -->`: "soon" is not a number of seconds (write `<!-- seconds: 45 -->` or `<!-- minutes: 1.5 -->`)');
      // Without its override the slide counts 30 s, and the talk still fits.
      expect(out).toMatch(/^✓ timing: the estimate 4:30 fits the 5-min slot \(0:30 to spare\)$/m);
      expect(out).toMatch(/^✗ 1 problem$/m);
      expect(code).toBe(1);
    });
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
