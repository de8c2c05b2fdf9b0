/**
 * `npm run check`: the whole deck as a speaker checks it before a talk. Every slide parses,
 * every demo exists, type-checks (TypeScript) or parses (Python), and runs to the outcome
 * its slide expects; the timing plan fills the slot; nothing is loaded from another host unless
 * the deck says so. One line per demo; exits 1 on any problem.
 *
 *   --root <dir>   folder with slides/ and demos/ (default: this project)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../server/config.ts';
import { loadDeck } from '../server/deck/load-deck.ts';
import type { DemoRef } from '../server/deck/model.ts';
import { planTiming } from '../server/deck/plan.ts';
import { resolveDemoPath } from '../server/deck/resolve-demo.ts';
import { createRunners, disposeRunners } from '../server/runners/registry.ts';
import type { RunnerRegistry } from '../server/runners/runner.ts';
import { RUNTIME_DESCRIPTORS } from '../server/runtimes.ts';
import type { StaticCheckKind } from '../server/runtimes.ts';
import { runToOutcome } from './check/run-to-outcome.ts';
import { STATIC_CHECKS } from './check/typecheck-demos.ts';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const color = process.stdout.isTTY ? (code: string, text: string): string => `${code}${text}${RESET}` : (_code: string, text: string): string => text;
const PASS = color(GREEN, '✓');
const FAIL = color(RED, '✗');
const INFO = color(DIM, 'ℹ');

interface DemoUse {
  readonly ref: DemoRef;
  /** Where the slide embeds it: `02-concepts.md:14`. */
  readonly where: string;
  readonly file: string | null;
}

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
  console.log(`Plan: ${plan.sections.map((s) => `${s.title} ${s.minutes ?? '?'}`).join(' + ')} = ${plan.plannedMinutes} min${plan.slotMinutes === null ? '' : ` for a ${plan.slotMinutes}-min slot`}`);
  for (const problem of plan.problems) {
    console.log(`${FAIL} plan: ${problem}`);
    problems += 1;
  }

  // Each demo once per runtime, however many slides show it; the first slide names it.
  const uses = new Map<string, DemoUse>();
  for (const section of deck.sections) {
    for (const slide of section.slides) {
      for (const ref of slide.demos) {
        const key = `${ref.runtime} ${ref.path}`;
        if (!uses.has(key)) uses.set(key, { ref, where: `${section.file}:${ref.line}`, file: resolveDemoPath(demosDir, ref.path) });
      }
    }
  }
  const staticProblems = await checkStatically([...uses.values()]);

  console.log(`Demos: ${uses.size}`);
  const runners = createRunners();
  try {
    problems += await checkDemos(uses, staticProblems, runners);
  } finally {
    await disposeRunners(runners);
  }

  console.log(problems === 0 ? `${PASS} the deck is ready` : `${FAIL} ${problems} problem${problems === 1 ? '' : 's'}`);
  return problems === 0 ? 0 : 1;
}

/** Each demo file checked without running it, as its runtime's descriptor says; problems by file. */
async function checkStatically(uses: readonly DemoUse[]): Promise<Map<string, string[]>> {
  const filesByCheck = new Map<StaticCheckKind, Set<string>>();
  for (const use of uses) {
    if (use.file === null) continue;
    const kind = RUNTIME_DESCRIPTORS[use.ref.runtime].staticCheck;
    filesByCheck.set(kind, (filesByCheck.get(kind) ?? new Set()).add(use.file));
  }
  const results = await Promise.all([...filesByCheck].map(([kind, files]) => STATIC_CHECKS[kind].check([...files])));
  return new Map(results.flatMap((problems) => [...problems]));
}

/** Runs every demo to its outcome, one line each; returns the number of problems. */
async function checkDemos(uses: ReadonlyMap<string, DemoUse>, staticProblems: ReadonlyMap<string, readonly string[]>, runners: RunnerRegistry): Promise<number> {
  let problems = 0;
  const width = Math.max(...[...uses.keys()].map((key) => key.length));
  for (const [key, use] of uses) {
    const label = `${key.padEnd(width)}  ${color(DIM, use.where)}`;
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
    const outcome = await runToOutcome(runners, use.file, use.ref);
    const expected = use.ref.expect === 'ok' ? 'exit 0' : 'a failing exit';
    const verdict = `${outcome.ended}${outcome.ok ? '' : ` (expected ${expected})`}  ${(outcome.durationMs / 1000).toFixed(1)} s`;
    console.log(`${outcome.ok ? PASS : FAIL} ${label}  ${verdict}`);
    if (!outcome.ok) {
      for (const line of outcome.tail) console.log(`    ${color(DIM, line)}`);
      problems += 1;
    }
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
