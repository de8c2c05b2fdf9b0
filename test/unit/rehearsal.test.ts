import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildRehearsalRecord,
  formatComparison,
  formatReport,
  GONE_SECTION_TITLE,
  latestRehearsal,
  parseRehearsalRecord,
  plannedSlideMs,
  readRehearsals,
  rehearsalFileStamp,
  writeRehearsal,
  type DeckPlan,
  type RehearsalRecord,
} from '../../server/talk/rehearsal.ts';
import { TalkClock } from '../../server/talk/talk-clock.ts';

const START = Date.parse('2026-11-28T10:15:00.000Z');
const plan: DeckPlan = {
  slotMinutes: 30,
  sections: [
    { title: 'Introduction', file: '01-intro.md', minutes: 3, slides: ['title', 'agenda'] },
    { title: 'Concepts', file: '02-concepts.md', minutes: 27, slides: ['threads', 'gil', 'skipped'] },
  ],
};

/** A clock driven through slides: each [id, seconds] is a stay. */
function timedClock(stays: readonly [string, number][]): TalkClock {
  let t = START;
  const clock = new TalkClock(() => t);
  for (const [id, s] of stays) {
    clock.moveTo(id);
    t += s * 1000;
  }
  return clock;
}

function record(startedAt: string, sectionSeconds: readonly number[], slotMinutes: number | null = 30): RehearsalRecord {
  const sections = plan.sections.map((section, i) => ({
    title: section.title,
    file: section.file,
    plannedMinutes: section.minutes,
    actualMs: (sectionSeconds[i] ?? 0) * 1000,
    slides: [{ id: section.slides[0] ?? 'x', ms: (sectionSeconds[i] ?? 0) * 1000 }],
  }));
  const totalMs = sections.reduce((sum, s) => sum + s.actualMs, 0);
  return { version: 1, startedAt, endedAt: new Date(Date.parse(startedAt) + totalMs).toISOString(), totalMs, slotMinutes, sections, runs: [] };
}

describe('buildRehearsalRecord', () => {
  it('lays the clock out along the plan, skipped slides at 0, gone slides in a trailing section', () => {
    const clock = timedClock([['title', 60], ['agenda', 150], ['threads', 900], ['old-slide', 20], ['gil', 1000], ['threads', 30]]);
    clock.recordRun({ demo: 'threads/race.py', slide: 'threads', durationMs: 1234, reason: 'exit' });
    const built = buildRehearsalRecord(clock, plan);
    expect(built).toEqual({
      version: 1,
      startedAt: '2026-11-28T10:15:00.000Z',
      endedAt: '2026-11-28T10:51:00.000Z',
      totalMs: 2_160_000,
      slotMinutes: 30,
      sections: [
        { title: 'Introduction', file: '01-intro.md', plannedMinutes: 3, actualMs: 210_000, slides: [{ id: 'title', ms: 60_000 }, { id: 'agenda', ms: 150_000 }] },
        { title: 'Concepts', file: '02-concepts.md', plannedMinutes: 27, actualMs: 1_930_000, slides: [{ id: 'threads', ms: 930_000 }, { id: 'gil', ms: 1_000_000 }, { id: 'skipped', ms: 0 }] },
        { title: GONE_SECTION_TITLE, file: '', plannedMinutes: null, actualMs: 20_000, slides: [{ id: 'old-slide', ms: 20_000 }] },
      ],
      runs: [{ demo: 'threads/race.py', slide: 'threads', durationMs: 1234, reason: 'exit' }],
    });
    expect(parseRehearsalRecord(JSON.parse(JSON.stringify(built)))).toEqual({ ok: true, record: built });
  });

  it('has no trailing section when every slide is still planned, and counts a duplicated id once', () => {
    const clock = timedClock([['title', 10]]);
    const built = buildRehearsalRecord(clock, { slotMinutes: null, sections: [{ title: 'A', file: 'a.md', minutes: null, slides: ['title', 'title'] }] });
    expect(built.sections).toEqual([{ title: 'A', file: 'a.md', plannedMinutes: null, actualMs: 10_000, slides: [{ id: 'title', ms: 10_000 }] }]);
  });

  it('stamps the end with the given time, and the start with it when no slide was shown', () => {
    const built = buildRehearsalRecord(new TalkClock(() => START), plan, START + 5_000);
    expect(built.startedAt).toBe(new Date(START + 5_000).toISOString());
    expect(built.endedAt).toBe(new Date(START + 5_000).toISOString());
    expect(built.totalMs).toBe(0);
  });
});

describe('plannedSlideMs', () => {
  it('gives every slide of the record its time', () => {
    const built = buildRehearsalRecord(timedClock([['title', 60], ['gil', 30], ['old', 5]]), plan);
    expect(plannedSlideMs(built)).toEqual({ title: 60_000, agenda: 0, threads: 0, gil: 30_000, skipped: 0, old: 5_000 });
  });
});

describe('parseRehearsalRecord', () => {
  it('names the first wrong field', () => {
    const bad = { ...record('2026-11-28T10:15:00.000Z', [1, 2]), totalMs: 'long' };
    expect(parseRehearsalRecord(bad)).toEqual({ ok: false, error: expect.stringContaining('totalMs') as unknown as string });
    expect(parseRehearsalRecord({ ...record('2026-11-28T10:15:00.000Z', [1, 2]), version: 2 }).ok).toBe(false);
    expect(parseRehearsalRecord({ ...record('2026-11-28T10:15:00.000Z', [1, 2]), startedAt: 'yesterday' }).ok).toBe(false);
    expect(parseRehearsalRecord(null).ok).toBe(false);
  });
});

describe('rehearsal files', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'rehearsals-')), 'nested', 'rehearsals');
  });
  afterEach(() => {
    rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
  });

  it('names a file after the start, safe and sortable', () => {
    expect(rehearsalFileStamp('2026-11-28T10:15:00.123Z')).toBe('2026-11-28T10-15-00Z');
    expect(() => rehearsalFileStamp('nope')).toThrow(/not a date/);
  });

  it('writes into a new directory, never overwrites, and leaves no temporary file', async () => {
    const first = record('2026-11-28T10:15:00.000Z', [100, 1700]);
    const second = record('2026-11-28T10:15:00.400Z', [90, 1600]);
    const third = record('2026-11-28T10:15:00.900Z', [80, 1500]);
    expect(await writeRehearsal(dir, first)).toBe(path.join(dir, '2026-11-28T10-15-00Z.json'));
    expect(await writeRehearsal(dir, second)).toBe(path.join(dir, '2026-11-28T10-15-00Z-2.json'));
    expect(await writeRehearsal(dir, third)).toBe(path.join(dir, '2026-11-28T10-15-00Z-3.json'));
    expect(readdirSync(dir).sort()).toEqual(['2026-11-28T10-15-00Z-2.json', '2026-11-28T10-15-00Z-3.json', '2026-11-28T10-15-00Z.json']);
    expect(JSON.parse(readFileSync(path.join(dir, '2026-11-28T10-15-00Z.json'), 'utf8'))).toEqual(first);
    const { records, problems } = await readRehearsals(dir);
    expect(problems).toEqual([]);
    expect(records).toEqual([first, second, third]);
  });

  it('reads oldest first, reporting files that are not records', async () => {
    const older = record('2026-11-27T09:00:00.000Z', [100, 1700]);
    const newer = record('2026-11-28T09:00:00.000Z', [90, 1600]);
    await writeRehearsal(dir, newer);
    await writeRehearsal(dir, older);
    writeFileSync(path.join(dir, 'broken.json'), '{"version": 1, ');
    writeFileSync(path.join(dir, 'other.json'), '{"version": 2}');
    writeFileSync(path.join(dir, 'notes.txt'), 'not looked at');
    writeFileSync(path.join(dir, '.2026-11-28T09-00-00Z.1.ab.tmp'), 'half');
    mkdirSync(path.join(dir, 'folder.json'));
    const { records, problems } = await readRehearsals(dir);
    expect(records).toEqual([older, newer]);
    expect(problems).toEqual([
      'broken.json: not JSON',
      expect.stringMatching(/^folder\.json: cannot be read \(EISDIR\)$/),
      expect.stringMatching(/^other\.json: not a rehearsal record \(version: /),
    ]);
    expect(await latestRehearsal(dir)).toEqual(newer);
  });

  it('has none in a directory that does not exist', async () => {
    expect(await readRehearsals(dir)).toEqual({ records: [], problems: [] });
    expect(await latestRehearsal(dir)).toBeNull();
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file', async () => {
    const file = await writeRehearsal(dir, record('2026-11-28T10:15:00.000Z', [1, 2]));
    chmodSync(file, 0o000);
    expect((await readRehearsals(dir)).problems).toEqual([`${path.basename(file)}: cannot be read (EACCES)`]);
  });
});

describe('formatReport', () => {
  const clock = timedClock([['title', 60], ['agenda', 160], ['threads', 900], ['old-slide', 20], ['gil', 732.4]]);
  clock.recordRun({ demo: 'concepts/lost_updates.py', slide: 'threads', durationMs: 1234, reason: 'exit' });
  clock.recordRun({ demo: 'concepts/deadlock.py', slide: 'gil', durationMs: 30_000, reason: 'limit' });
  clock.recordRun({ demo: 'concepts/lost_updates.py', slide: 'threads', durationMs: 812, reason: 'stopped' });
  const built = buildRehearsalRecord(clock, plan);
  const report = formatReport(built);

  it('shows sections planned against actual, the slowest slides, the runs and the total', () => {
    expect(report).toMatchInlineSnapshot(`
      "Rehearsal of 2026-11-28 10:15 UTC: total 31:12 of a 30:00 slot: 1:12 over

        section                                              planned   actual     diff
        Introduction                                            3:00     3:40    +0:40
        Concepts                                               27:00    27:12    +0:12
        (slides no longer in the deck)                             ?     0:20
        total                                                  30:00    31:12    +1:12

      slowest slides
         15:00  threads  (Concepts)
         12:12  gil  (Concepts)
          2:40  agenda  (Introduction)
          1:00  title  (Introduction)
          0:20  old-slide  (slides no longer in the deck)

      demos
        concepts/lost_updates.py: 2 runs: 1.2 s exit, 0.8 s stopped
        concepts/deadlock.py: 1 run: 30.0 s limit

      total 31:12 of a 30:00 slot: 1:12 over
      "
    `);
  });

  it('fits 80 columns even with long names and many runs', () => {
    const long = buildRehearsalRecord(timedClock([['a-very-long-slide-id-'.repeat(6), 10]]), {
      slotMinutes: 1,
      sections: [{ title: 'A section title far too long to fit in the first column of the table'.repeat(2), file: 'a.md', minutes: 1, slides: ['a-very-long-slide-id-'.repeat(6)] }],
    });
    const runs = Array.from({ length: 30 }, (_, i) => ({ demo: 'demo.py', slide: null, durationMs: i * 1000, reason: 'exit' }));
    const text = formatReport({ ...long, runs });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('total 0:10 of a 1:00 slot: 0:50 under');
    expect(text).toContain('demo.py: 30 runs: 0.0 s exit, 1.0 s exit,');
  });

  it('says when the plan has no slot, nothing was timed or run, and when on time', () => {
    const empty = formatReport(record('2026-11-28T10:15:00.000Z', [0, 0], null));
    expect(empty).toContain('total 0:00 (the plan gives no slot)');
    expect(empty).toContain('slowest slides\n  none timed');
    expect(empty).toContain('demos\n  none run');
    expect(formatReport(record('2026-11-28T10:15:00.000Z', [180, 1620]))).toContain('total 30:00 of a 30:00 slot: on time');
  });
});

describe('formatComparison', () => {
  it('puts sections against rehearsals, with the plan, the change and the trend', () => {
    const records = [
      record('2026-11-20T18:00:00.000Z', [240, 1745]),
      record('2026-11-24T18:30:00.000Z', [200, 1700]),
      { ...record('2026-11-28T10:15:00.000Z', [190, 1672]), sections: [...record('2026-11-28T10:15:00.000Z', [190, 1672]).sections, { title: GONE_SECTION_TITLE, file: '', plannedMinutes: null, actualMs: 10_000, slides: [{ id: 'old', ms: 10_000 }] }] },
    ];
    expect(formatComparison(records)).toMatchInlineSnapshot(`
      "Last 3 rehearsals (UTC), oldest first

                                                         11-20   11-24   11-28
        section                                   plan   18:00   18:30   10:15  change
        Introduction                              3:00    4:00    3:20    3:10   -0:50
        Concepts                                 27:00   29:05   28:20   27:52   -1:13
        (slides no longer in the deck)                       -       -    0:10
        total                                    30:00   33:05   31:40   31:12   -1:53

      trend: 33:05 → 31:40 → 31:12: 1:53 shorter over 3 rehearsals
      last: total 31:12 of a 30:00 slot: 1:12 over
      "
    `);
  });

  it('shows at most the last five, in 80 columns', () => {
    const records = Array.from({ length: 7 }, (_, i) => record(`2026-11-${String(20 + i).padStart(2, '0')}T18:00:00.000Z`, [200 + i, 1700]));
    const text = formatComparison(records);
    expect(text).toContain('Last 5 rehearsals');
    expect(text).not.toContain('11-21');
    expect(text).toContain('11-22');
    expect(text).toContain('11-26');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('0:04 longer over 5 rehearsals');
  });

  it('says when there is nothing to compare', () => {
    expect(formatComparison([])).toBe('no rehearsals to compare\n');
    const one = formatComparison([record('2026-11-28T10:15:00.000Z', [180, 1620])]);
    expect(one).toContain('trend: one rehearsal so far, nothing to compare yet');
    expect(one).toContain('last: total 30:00 of a 30:00 slot: on time');
    expect(one).not.toContain('change');
  });
});
