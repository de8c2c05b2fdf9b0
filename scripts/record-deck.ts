/**
 * `npm run record`: runs every demo of the deck as on stage (same runner, same limits, the
 * terminal size its slide gives it: server/deck/demo-layout.ts) and saves each run under
 * `recordings/` as an asciicast v2 file and its meta (`server/recordings/recording.ts`), for the hosted site, the PDF and the
 * fallback on stage. Only missing and stale recordings are made again. One line per demo;
 * exits 1 when a demo misses the outcome its slide expects (its old recording is kept).
 *
 *   --all          record every demo, also those whose recording is up to date
 *   --root <dir>   folder with slides/ and demos/ (default: this project); recordings go to <dir>/recordings
 *   <demo path>…   record only these demos (as the slides name them: `concepts/deadlock.py`), whatever their state
 */
import { availableParallelism } from 'node:os';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../server/config.ts';
import { loadDeck } from '../server/deck/load-deck.ts';
import { DemoRecorder, recordingSize } from '../server/recordings/record-demo.ts';
import { recordingStatus } from '../server/recordings/recording-status.ts';
import { writeRecording } from '../server/recordings/recording-store.ts';
import { createRunners, disposeRunners } from '../server/runners/registry.ts';
import type { RunnerRegistry } from '../server/runners/runner.ts';
import type { TraceEvent } from '../server/trace/trace-event.ts';
import { collectDemoUses } from './check/demo-uses.ts';
import type { DemoUse } from './check/demo-uses.ts';
import { measureBusyCores } from './check/busy-cores.ts';
import { color, demoLabel, DIM, FAIL, formatDuration, INFO, PASS, WARN } from './check/marks.ts';
import { describeEnd, describeOutcome, runToOutcome } from './check/run-to-outcome.ts';
import { createRequirementCheck } from './check/unmet-requirement.ts';

const BAR_WIDTH = 20;
/** Cores kept busy by something else before a `timing` demo runs, past which its recording says so. */
const BUSY_CORES = 0.5;

interface Tally {
  recorded: number;
  upToDate: number;
  problems: number;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { all: { type: 'boolean', default: false }, root: { type: 'string' } }, allowPositionals: true });
  const root = path.resolve(values.root ?? projectRoot);
  const demosDir = path.join(root, 'demos');
  const recordingsDir = path.join(root, 'recordings');
  const { deck, errors } = await loadDeck({ slidesDir: path.join(root, 'slides'), demosDir });
  const tally: Tally = { recorded: 0, upToDate: 0, problems: 0 };

  for (const error of errors) {
    console.log(`${FAIL} ${error.file}:${error.line} ${error.message}`);
    tally.problems += 1;
  }
  const uses = collectDemoUses(deck, demosDir);
  if (positionals.length > 0) {
    for (const wanted of positionals) {
      if ([...uses.values()].some((use) => use.ref.path === wanted)) continue;
      console.log(`${FAIL} ${wanted}: no slide embeds this demo`);
      tally.problems += 1;
    }
    for (const [key, use] of uses) if (!positionals.includes(use.ref.path)) uses.delete(key);
  }
  const force = values.all || positionals.length > 0;
  console.log(`Demos: ${uses.size}, each at its slide's terminal size, into ${displayPath(recordingsDir)}/${force ? ' (whatever their state)' : ''}`);
  const progress = createProgress(uses.size);
  const width = Math.max(0, ...[...uses.keys()].map((key) => key.length));
  const runners = createRunners();
  try {
    let done = 0;
    for (const [key, use] of uses) {
      progress.show(done, use.ref.path);
      const line = await recordUse(runners, use, demoLabel(key, width, use.where), { demosDir, recordingsDir, force }, tally);
      progress.clear();
      console.log(line.join('\n'));
      done += 1;
    }
    progress.clear();
  } finally {
    await disposeRunners(runners);
  }

  const size = await folderSize(recordingsDir);
  console.log(`Recorded ${tally.recorded}, up to date ${tally.upToDate}${size === null ? '' : `; recordings/: ${size.files} files, ${formatBytes(size.bytes)}, the biggest ${size.biggest} (${formatBytes(size.biggestBytes)})`}`);
  console.log(tally.problems === 0 ? `${PASS} ${positionals.length > 0 ? 'the named demos are recorded' : 'every recording is up to date'}` : `${FAIL} ${tally.problems} problem${tally.problems === 1 ? '' : 's'}`);
  return tally.problems === 0 ? 0 : 1;
}

const unmetHere = createRequirementCheck();

/** Records one demo when it needs it (not one this python3 is too old for); returns its report lines. */
async function recordUse(runners: RunnerRegistry, use: DemoUse, label: string, where: { demosDir: string; recordingsDir: string; force: boolean }, tally: Tally): Promise<string[]> {
  if (use.file === null) {
    // Already counted among the slide errors above.
    return [`${FAIL} ${label}  missing: no file demos/${use.ref.path}`];
  }
  const unmet = await unmetHere(use.ref);
  if (unmet !== null) return [`${INFO} ${label}  skipped: ${unmet} (record it where such a Python is installed)`];
  const status = await recordingStatus(where.recordingsDir, where.demosDir, use.ref.runtime, use.ref.path, use.ref.timeline);
  if (status.state === 'up to date' && status.meta !== null && !where.force) {
    tally.upToDate += 1;
    return [`${PASS} ${label}  ${describeEnd(status.meta.end)}  ${formatDuration(status.meta.end.durationMs)}  ${color(DIM, 'up to date')}`];
  }
  const busyCores = use.ref.timing ? await measureBusyCores() : null;
  const size = recordingSize(await readFile(use.file, 'utf8'), use.ref.region, use.ref.timeline);
  const recorder = new DemoRecorder(size);
  try {
    const outcome = await runToOutcome(runners, use.file, use.ref, {
      cols: size.cols,
      rows: size.rows,
      onStart: () => recorder.start(),
      onOutput: (data) => recorder.output(data),
      ...(use.ref.timeline ? { onTrace: (events: readonly TraceEvent[]) => recorder.trace(events) } : {}),
    });
    const verdict = describeOutcome(use.ref, outcome);
    if (!outcome.ok || outcome.end === null) {
      tally.problems += 1;
      const kept = status.meta === null ? 'not recorded' : 'not recorded, the old recording is kept';
      return [`${FAIL} ${label}  ${verdict}  ${kept}`, ...outcome.tail.map((line) => `    ${color(DIM, line)}`)];
    }
    const recording = await recorder.finish({ runtime: use.ref.runtime, demo: use.ref.path, hash: status.current }, outcome.end);
    await writeRecording(where.recordingsDir, recording);
    tally.recorded += 1;
    const why = status.state === 'up to date' ? '' : ` (was ${status.state})`;
    const cut = recording.meta.cut === undefined ? '' : `, output cut to its first ${formatBytes(recording.meta.cut.keptChars)} of ${formatBytes(recording.meta.cut.totalChars)}`;
    return [`${PASS} ${label}  ${verdict}  recorded${why}${cut}`, ...busyWarning(use, busyCores)];
  } finally {
    recorder.dispose();
  }
}

/**
 * A demo marked `timing` shows a speed-up that a busy machine can hide: its recording then
 * shows figures the talk does not claim, and is worth making again on a quiet one.
 */
function busyWarning(use: DemoUse, busyCores: number | null): string[] {
  if (busyCores === null || busyCores < BUSY_CORES) return [];
  return [`    ${WARN} recorded while something else kept ${busyCores.toFixed(1)} of ${availableParallelism()} cores busy: its timings may not show its point; on a quiet machine: npm run record -- ${use.ref.path}`];
}

/** `recordings` under the current folder, else the absolute path. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' || relative.startsWith('..') ? dir : relative;
}

/** A `\r`-redrawn progress line on a terminal; nothing when the output is a file or a pipe. */
function createProgress(total: number): { show(done: number, demo: string): void; clear(): void } {
  if (!process.stdout.isTTY) return { show: () => undefined, clear: () => undefined };
  return {
    show(done, demo) {
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${demo}`;
      process.stdout.write(`\r\x1b[K${line.slice(0, Math.max(10, (process.stdout.columns || 80) - 1))}`);
    },
    clear() {
      process.stdout.write('\r\x1b[K');
    },
  };
}

/** The files under `dir`, their total size and the biggest; null when there is no such folder. */
async function folderSize(dir: string): Promise<{ files: number; bytes: number; biggest: string; biggestBytes: number } | null> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return null;
  }
  const result = { files: 0, bytes: 0, biggest: '', biggestBytes: 0 };
  for (const entry of entries) {
    const info = await stat(path.join(dir, entry));
    if (!info.isFile()) continue;
    result.files += 1;
    result.bytes += info.size;
    if (info.size > result.biggestBytes) Object.assign(result, { biggest: entry.split(path.sep).join('/'), biggestBytes: info.size });
  }
  return result;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`record failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
