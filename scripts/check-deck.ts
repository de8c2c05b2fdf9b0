/**
 * `npm run check`: the whole deck as a speaker checks it before a talk. Every slide parses,
 * every demo exists, type-checks (TypeScript) or parses (Python), and runs to the outcome
 * its slide expects; so does every typing target (`typing=`), spliced into its demo; the
 * timing plan fills the slot, and so does the slides' estimate (a table per section, with the
 * last rehearsal's measured times beside it when there is one); nothing is loaded from another
 * host unless the deck says so.
 * One line per demo and per typing target; exits 1 on any problem. Missing and stale
 * recordings (`npm run record`) are listed as warnings, not problems.
 *
 *   --root <dir>   folder with slides/ and demos/ (default: this project)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../server/config.ts';
import { loadDeck } from '../server/deck/load-deck.ts';
import type { DemoRef } from '../server/deck/model.ts';
import { estimateTiming, planTiming } from '../server/deck/plan.ts';
import { recordingStatus } from '../server/recordings/recording-status.ts';
import { createRunners, disposeRunners } from '../server/runners/registry.ts';
import type { RunnerRegistry } from '../server/runners/runner.ts';
import { RUNTIME_DESCRIPTORS } from '../server/runtimes.ts';
import type { RuntimeName, StaticCheckKind } from '../server/runtimes.ts';
import { latestRehearsal } from '../server/talk/rehearsal-files.ts';
import { defaultRehearsalDir } from '../server/talk/report-cli.ts';
import { collectDemoUses } from './check/demo-uses.ts';
import type { DemoUse } from './check/demo-uses.ts';
import { color, demoLabel, DIM, FAIL, INFO, PASS, WARN } from './check/marks.ts';
import { describeOutcome, runToOutcome } from './check/run-to-outcome.ts';
import type { Outcome } from './check/run-to-outcome.ts';
import { reportTiming } from './check/timing-report.ts';
import { STATIC_CHECKS } from './check/typecheck-demos.ts';
import type { DemoProblems, InMemorySources } from './check/typecheck-demos.ts';
import { collectTypingUses, splicedPath, spliceTyping } from './check/typing-targets.ts';
import type { SplicedTyping, TypingUse } from './check/typing-targets.ts';
import { createRequirementCheck } from './check/unmet-requirement.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { root: { type: 'string' } } });
  const root = path.resolve(values.root ?? projectRoot);
  const demosDir = path.join(root, 'demos');
  const { deck, errors, allowRemote, remoteResources } = await loadDeck({ slidesDir: path.join(root, 'slides'), demosDir });
  let problems = 0;

  const slides = deck.sections.reduce((n, section) => n + section.slides.length, 0);
  console.log(`Slides: ${deck.sections.length} sections, ${slides} slides`);
  // Every error of every slide, blocked remote resources among them.
  for (const error of errors) {
    console.log(`${FAIL} ${error.file}:${error.line} ${error.message}`);
    problems += 1;
  }
  if (remoteResources.length > 0) {
    const loaded = remoteResources.filter((resource) => resource.blocked === null);
    console.log(`Remote resources: ${remoteResources.length}, ${allowRemote ? `${loaded.length} loaded from other hosts (\`remote: allow\`)` : 'all blocked (no `remote: allow` in the first section)'}`);
    for (const resource of loaded) console.log(`${INFO} ${resource.file}:${resource.line} ${resource.via} ${resource.url}`);
  }

  const plan = planTiming(deck);
  for (const problem of plan.problems) {
    console.log(`${FAIL} plan: ${problem}`);
    problems += 1;
  }
  const timing = reportTiming(estimateTiming(deck), await latestRehearsal(defaultRehearsalDir(root)));
  for (const line of timing.lines) console.log(line);
  problems += timing.problems;

  // Each demo once per runtime, however many slides show it; the first slide names it.
  const uses = collectDemoUses(deck, demosDir);
  const typingUses = collectTypingUses(deck, demosDir);
  const typings = await Promise.all(typingUses.map(async (use, index) => ({ use, index, spliced: await spliceTyping(use) })));
  const staticProblems = await checkStatically([
    ...[...uses.values()].map((use) => ({ runtime: use.ref.runtime, file: use.file })),
    ...typingUses.map((use) => ({ runtime: use.ref.runtime, file: use.targetFile })),
  ]);
  const splicedSources = new Map(typings.flatMap(({ use, index, spliced }) => (spliced.ok && use.demoFile !== null ? [[splicedPath(use.demoFile, index), spliced.source] as const] : [])));
  const splicedProblems = await checkStatically(
    typings.flatMap(({ use, index }) => (use.demoFile !== null && splicedSources.has(splicedPath(use.demoFile, index)) ? [{ runtime: use.ref.runtime, file: splicedPath(use.demoFile, index) }] : [])),
    splicedSources,
  );

  console.log(`Demos: ${uses.size}`);
  const runners = createRunners();
  try {
    problems += await checkDemos(uses, staticProblems, runners);
    if (typings.length > 0) {
      console.log(`Typing targets: ${typings.length}`);
      problems += await checkTypings(typings, { targets: staticProblems, spliced: splicedProblems }, runners);
    }
  } finally {
    await disposeRunners(runners);
  }

  await warnAboutRecordings(uses, root);

  console.log(problems === 0 ? `${PASS} the deck is ready` : `${FAIL} ${problems} problem${problems === 1 ? '' : 's'}`);
  return problems === 0 ? 0 : 1;
}

/** Each file checked without running it, as its runtime's descriptor says (in memory when in `sources`); problems by file. */
async function checkStatically(files: readonly { runtime: RuntimeName; file: string | null }[], sources?: InMemorySources): Promise<DemoProblems> {
  const filesByCheck = new Map<StaticCheckKind, Set<string>>();
  for (const { runtime, file } of files) {
    if (file === null) continue;
    const kind = RUNTIME_DESCRIPTORS[runtime].staticCheck;
    filesByCheck.set(kind, (filesByCheck.get(kind) ?? new Set()).add(file));
  }
  const results = await Promise.all([...filesByCheck].map(([kind, checked]) => STATIC_CHECKS[kind].check([...checked], sources)));
  return new Map(results.flatMap((problems) => [...problems]));
}

const unmetHere = createRequirementCheck();

/** Runs every demo to its outcome, one line each (a demo this python3 is too old for: an ℹ line); returns the number of problems. */
async function checkDemos(uses: ReadonlyMap<string, DemoUse>, staticProblems: ReadonlyMap<string, readonly string[]>, runners: RunnerRegistry): Promise<number> {
  let problems = 0;
  const width = Math.max(...[...uses.keys()].map((key) => key.length));
  for (const [key, use] of uses) {
    const label = demoLabel(key, width, use.where);
    if (use.file === null) {
      // Already counted among the slide errors above.
      console.log(`${FAIL} ${label}  missing: no file demos/${use.ref.path}`);
      continue;
    }
    const found = staticProblems.get(use.file) ?? [];
    if (found.length > 0) {
      console.log(`${FAIL} ${label}  ${STATIC_CHECKS[RUNTIME_DESCRIPTORS[use.ref.runtime].staticCheck].failure}`);
      for (const line of found) console.log(`    ${line}`);
      problems += 1;
      continue;
    }
    const unmet = await unmetHere(use.ref);
    if (unmet !== null) {
      console.log(`${INFO} ${label}  skipped: ${unmet}`);
      continue;
    }
    if (!reportOutcome(label, use.ref, await runToOutcome(runners, use.file, use.ref))) problems += 1;
  }
  return problems;
}

/** Prints a run's line (and its last output when it failed); true when it ended as its slide expects. */
function reportOutcome(label: string, ref: DemoRef, outcome: Outcome): boolean {
  console.log(`${outcome.ok ? PASS : FAIL} ${label}  ${describeOutcome(ref, outcome)}`);
  if (!outcome.ok) for (const line of outcome.tail) console.log(`    ${color(DIM, line)}`);
  return outcome.ok;
}

/**
 * Recordings (`npm run record`) that are missing or made from another version of their demo:
 * a warning each, not a problem, since the live talk does not need them.
 */
async function warnAboutRecordings(uses: ReadonlyMap<string, DemoUse>, root: string): Promise<void> {
  const demosDir = path.join(root, 'demos');
  const recordingsDir = path.join(root, 'recordings');
  const width = Math.max(0, ...[...uses.keys()].map((key) => key.length));
  let warnings = 0;
  for (const [key, use] of uses) {
    if (use.file === null) continue;
    const status = await recordingStatus(recordingsDir, demosDir, use.ref.runtime, use.ref.path, use.ref.timeline);
    if (status.state === 'up to date') continue;
    if (warnings === 0) console.log('Recordings:');
    console.log(`${WARN} ${demoLabel(key, width, use.where)}  recording ${status.state}${status.reason === null ? '' : `: ${status.reason}`}`);
    warnings += 1;
  }
  if (warnings > 0) console.log(`  ${warnings} recording${warnings === 1 ? '' : 's'} missing or stale: run \`npm run record\` (a warning only: the live talk does not need them)`);
}

interface Typing {
  readonly use: TypingUse;
  readonly index: number;
  readonly spliced: SplicedTyping;
}

/**
 * Each typing target like a demo: its file checks statically, and the demo with it spliced in
 * checks statically and runs to the demo's expected outcome. One line each; returns the number
 * of problems (a missing file or region is one of the slide errors already counted).
 */
async function checkTypings(typings: readonly Typing[], problemsOf: { targets: DemoProblems; spliced: DemoProblems }, runners: RunnerRegistry): Promise<number> {
  let problems = 0;
  const width = Math.max(...typings.map(({ use }) => use.label.length));
  for (const { use, index, spliced } of typings) {
    const label = demoLabel(use.label, width, use.where);
    const failure = STATIC_CHECKS[RUNTIME_DESCRIPTORS[use.ref.runtime].staticCheck].failure;
    const ownProblems = use.targetFile === null ? [] : (problemsOf.targets.get(use.targetFile) ?? []);
    if (ownProblems.length > 0) {
      console.log(`${FAIL} ${label}  the target ${failure}`);
      for (const line of ownProblems) console.log(`    ${line}`);
      problems += 1;
      continue;
    }
    if (!spliced.ok || use.demoFile === null) {
      console.log(`${FAIL} ${label}  ${spliced.ok ? 'missing' : spliced.error}`);
      if (!spliced.ok && !spliced.reported) problems += 1;
      continue;
    }
    // The spliced demo exists in memory only: its problems name the demo, with the target in.
    const inMemory = path.relative(projectRoot, splicedPath(use.demoFile, index));
    const splicedProblems = problemsOf.spliced.get(splicedPath(use.demoFile, index)) ?? [];
    if (splicedProblems.length > 0) {
      console.log(`${FAIL} ${label}  ${failure} with the target in place`);
      for (const line of splicedProblems) console.log(`    ${line.replaceAll(inMemory, `${path.relative(projectRoot, use.demoFile)} (typing=${use.target.path}${use.target.region === null ? '' : `#${use.target.region}`})`)}`);
      problems += 1;
      continue;
    }
    if (!reportOutcome(label, use.ref, await runToOutcome(runners, use.demoFile, use.ref, { source: spliced.source }))) problems += 1;
  }
  return problems;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
