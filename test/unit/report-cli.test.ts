import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRehearsal, type RehearsalRecord } from '../../server/talk/rehearsal.ts';
import { defaultRehearsalDir, runReportCli, type ReportCliIo } from '../../server/talk/report-cli.ts';

let cwd: string;
let out: string;
let err: string;
let io: ReportCliIo;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'report-cli-'));
  out = '';
  err = '';
  io = { out: (text) => { out += text; }, err: (text) => { err += text; }, cwd };
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function record(day: number, seconds: number): RehearsalRecord {
  const startedAt = `2026-11-${String(day).padStart(2, '0')}T18:00:00.000Z`;
  return {
    version: 1,
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + seconds * 1000).toISOString(),
    totalMs: seconds * 1000,
    slotMinutes: 30,
    sections: [{ title: 'All', file: 'all.md', plannedMinutes: 30, actualMs: seconds * 1000, slides: [{ id: 'a', ms: seconds * 1000 }] }],
    runs: [],
  };
}

describe('runReportCli', () => {
  it('says plainly when there are no rehearsals yet', async () => {
    expect(await runReportCli(['--dir', 'rehearsals'], io)).toBe(0);
    expect(out).toBe('no rehearsals yet in rehearsals/: run `npm run rehearse` and present the deck\n');
    expect(err).toBe('');
  });

  it('compares the last rehearsals, reporting files it skipped', async () => {
    const dir = path.join(cwd, 'rehearsals');
    for (let day = 20; day <= 26; day += 1) await writeRehearsal(dir, record(day, 1900 - day * 10));
    writeFileSync(path.join(dir, 'junk.json'), 'nope');
    expect(await runReportCli(['--rehearse', '--report', '--dir', 'rehearsals', '--last', '3'], io)).toBe(0);
    expect(out).toContain('Last 3 rehearsals');
    expect(out).toContain('11-24');
    expect(out).not.toContain('11-23');
    expect(out).toContain('last: total 27:20 of a 30:00 slot: 2:40 under');
    expect(err).toBe(`skipped ${path.join('rehearsals', 'junk.json')}: not JSON\n`);
  });

  it('finds rehearsals under --root by default', async () => {
    await writeRehearsal(defaultRehearsalDir(path.join(cwd, 'deck')), record(20, 1800));
    expect(await runReportCli(['--root', 'deck'], io)).toBe(0);
    expect(out).toContain('Last rehearsal');
  });

  it('refuses bad arguments with the usage', async () => {
    expect(await runReportCli(['--last', '6'], io)).toBe(2);
    expect(err).toMatch(/^--last 6: give a whole number from 1 to 5\nusage: /);
    err = '';
    expect(await runReportCli(['--port', '3030'], io)).toBe(2);
    expect(err).toMatch(/Unknown option '--port'/);
    expect(out).toBe('');
  });
});
