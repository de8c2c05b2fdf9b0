/**
 * Pure parsing of a slide's demo lines (`<<< runtime path#region {steps} key=value flag`) and of
 * line-highlight steps (`{2-3|5}`), for demo lines and code fences alike.
 */
import type { DemoRef, DemoTarget, PythonRequirement } from './model.ts';
import { DEMO_LIMITS } from './limits.ts';
import { isRuntimeName, RUNTIME_DESCRIPTORS, RUNTIMES, runtimeRunsFile } from '../runtimes.ts';
import type { RuntimeName } from '../runtimes.ts';

/** Line-highlight steps: 1-based line numbers per step; an empty step highlights nothing. */
export type Steps = readonly (readonly number[])[];
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Longest line number a step may name: guards against `{1-99999999}` filling memory. */
const MAX_STEP_LINE = 10_000;

// ---------------------------------------------------------------- steps

/**
 * `{3-5|8|}` → [[3,4,5],[8],[]]; `{1,4-5}` → [[1,4,5]]; `{*}`, `{}` → [] (no highlight).
 * The argument is the text inside the braces.
 */
export function parseSteps(inner: string): Parsed<Steps> {
  const body = inner.trim();
  if (body === '' || body === '*') return { ok: true, value: [] };
  const steps: number[][] = [];
  for (const part of body.split('|')) {
    const step = parseStep(part.trim());
    if (!step.ok) return { ok: false, error: `bad line steps {${inner}}: ${step.error}` };
    steps.push([...step.value]);
  }
  return { ok: true, value: steps };
}

function parseStep(part: string): Parsed<readonly number[]> {
  if (part === '' || part === '*') return { ok: true, value: [] };
  const lines: number[] = [];
  for (const item of part.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(item.trim());
    if (!match) return { ok: false, error: `"${item.trim()}" is not a line or a range like 3-5` };
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to < from || to > MAX_STEP_LINE) return { ok: false, error: `"${item.trim()}" is not a valid line range` };
    for (let n = from; n <= to; n++) lines.push(n);
  }
  return { ok: true, value: lines };
}

/** Steps in a fence info string: ```python {2-3|5} → the `{…}` after the language. */
export function parseFenceSteps(info: string): Parsed<Steps> {
  const rest = info.replace(/^\S*/, '').trim();
  if (!rest.startsWith('{')) return { ok: true, value: [] };
  const close = rest.indexOf('}');
  if (close < 0) return { ok: false, error: `line steps "${rest}" are missing their closing }` };
  return parseSteps(rest.slice(1, close));
}

/** A message when a step names a line past the end of the shown code, else null. */
export function checkStepsFit(steps: Steps, lineCount: number): string | null {
  const highest = Math.max(0, ...steps.flat());
  return highest > lineCount ? `line steps name line ${highest} but the code shown has ${lineCount} line${lineCount === 1 ? '' : 's'}` : null;
}

// ---------------------------------------------------------------- demo lines

/** Every option a demo line takes, as a speaker writes it. */
const DEMO_OPTION_USAGE = {
  timeout: 'timeout=<seconds>',
  'max-output': 'max-output=<bytes>',
  expect: 'expect=ok|fail',
  input: 'input',
  timing: 'timing',
  timeline: 'timeline',
  typing: 'typing=<path>[#region][,…]',
  requires: 'requires=<3.13|3.13t>',
} as const;
type DemoOption = keyof typeof DEMO_OPTION_USAGE;
/** Options that are yes/no: written bare (`input`), or `input=true` / `input=false`. */
const FLAG_OPTIONS = { input: 'input', timing: 'timing', timeline: 'timeline' } as const satisfies Partial<Record<DemoOption, keyof DemoRef>>;
type FlagOption = keyof typeof FLAG_OPTIONS;
type DemoOptions = Pick<DemoRef, 'timeoutMs' | 'maxOutputBytes' | 'expect' | 'input' | 'timing' | 'timeline' | 'typing' | 'requires'>;
type MutableDemoOptions = { -readonly [K in keyof DemoOptions]: DemoOptions[K] };
const OPTIONS_HELP = Object.values(DEMO_OPTION_USAGE).join(', ');

/** `<<< python threads/race.py#race {3-5|8} timeout=10 expect=fail input typing=threads/fix.py#race` → DemoRef. `line` is 1-based. */
export function parseDemoLine(text: string, line: number): Parsed<DemoRef> {
  const match = /^<<<\s+(\S+)\s+(\S+)\s*(\{[^}]*\}?)?\s*(.*)$/.exec(text.trim());
  if (!match) return { ok: false, error: 'demo line needs a runtime and a path: `<<< python path/to/demo.py`' };
  const [, runtime = '', target = '', stepsText, optionsText = ''] = match;
  if (!isRuntimeName(runtime)) return { ok: false, error: `unknown runtime "${runtime}" (expected ${RUNTIMES.join(', ')})` };
  const where = parseDemoTarget(target, runtime, 'demo path');
  if (!where.ok) return where;
  const steps = stepsText === undefined ? ok<Steps>([]) : parseBracedSteps(stepsText);
  if (!steps.ok) return steps;
  const options = parseDemoOptions(optionsText, runtime);
  if (!options.ok) return options;
  return { ok: true, value: { runtime, ...where.value, steps: steps.value, ...options.value, line } };
}

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

/**
 * `path#region` → a file of `runtime` inside demos/. `noun` names what is parsed in an error
 * (`demo path`, `typing target`): the demo's own path and its typing targets follow the same rules.
 */
function parseDemoTarget(target: string, runtime: RuntimeName, noun: 'demo path' | 'typing target'): Parsed<DemoTarget> {
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const region = hash < 0 ? null : target.slice(hash + 1);
  if (path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return { ok: false, error: `${noun} "${path}" must be a plain relative path inside demos/` };
  }
  // The demo's own errors read as they always have; a typing target's say which target.
  const where = noun === 'demo path' ? '' : `${noun} "${target}": `;
  if (region !== null && !/^[\w.-]+$/.test(region)) return { ok: false, error: `${where}bad region name "${region}" (letters, digits, _ . -)` };
  if (!runtimeRunsFile(runtime, path)) {
    return { ok: false, error: `${where}runtime ${runtime} runs ${RUNTIME_DESCRIPTORS[runtime].extensions.join(' ')} files, not "${path}"` };
  }
  return { ok: true, value: { path, region } };
}

/** `typing=a.py#one,b.py`: targets in order, each a file of the demo's runtime, whole or one region. */
function parseTypingTargets(value: string, runtime: RuntimeName): Parsed<DemoTarget[]> {
  if (value === '') return { ok: false, error: `typing needs at least one target: write ${DEMO_OPTION_USAGE.typing}` };
  const targets: DemoTarget[] = [];
  for (const [index, target] of value.split(',').entries()) {
    if (target === '') return { ok: false, error: `typing target ${index + 1} of "${value}" is empty` };
    const parsed = parseDemoTarget(target, runtime, 'typing target');
    if (!parsed.ok) return parsed;
    targets.push(parsed.value);
  }
  return { ok: true, value: targets };
}

function parseBracedSteps(text: string): Parsed<Steps> {
  if (!text.endsWith('}')) return { ok: false, error: `line steps "${text}" are missing their closing }` };
  return parseSteps(text.slice(1, -1));
}

function parseDemoOptions(text: string, runtime: RuntimeName): Parsed<DemoOptions> {
  const options: MutableDemoOptions = { timeoutMs: null, maxOutputBytes: null, expect: 'ok', input: false, timing: false, timeline: false, typing: [], requires: null };
  const seen = new Set<string>();
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    const key = eq < 0 ? token : token.slice(0, eq);
    if (!isDemoOption(key)) return { ok: false, error: `unknown demo option "${key}" (expected ${OPTIONS_HELP})` };
    if (eq < 0 && !isFlagOption(key)) return { ok: false, error: `"${token}" is not an option on its own: write ${DEMO_OPTION_USAGE[key]}` };
    if (seen.has(key)) return { ok: false, error: `demo option "${key}" is given twice` };
    seen.add(key);
    const error = isFlagOption(key) ? applyFlag(options, key, eq < 0 ? null : token.slice(eq + 1)) : applyDemoOption(options, key, token.slice(eq + 1), runtime);
    if (error) return { ok: false, error };
  }
  return { ok: true, value: options };
}

function isDemoOption(key: string): key is DemoOption {
  return Object.hasOwn(DEMO_OPTION_USAGE, key);
}

function isFlagOption(key: DemoOption): key is FlagOption {
  return Object.hasOwn(FLAG_OPTIONS, key);
}

/** A bare flag (`value` null) or `flag=true|false`; returns an error message or null. */
function applyFlag(options: Record<FlagOption, boolean>, key: FlagOption, value: string | null): string | null {
  if (value !== null && value !== 'true' && value !== 'false') return `${key} is written alone, or as ${key}=true or ${key}=false, not "${key}=${value}"`;
  options[FLAG_OPTIONS[key]] = value !== 'false';
  return null;
}

/** Sets one valued option; returns an error message or null. */
function applyDemoOption(options: MutableDemoOptions, key: Exclude<DemoOption, FlagOption>, value: string, runtime: RuntimeName): string | null {
  if (key === 'typing') {
    const targets = parseTypingTargets(value, runtime);
    if (!targets.ok) return targets.error;
    options.typing = targets.value;
    return null;
  }
  if (key === 'requires') {
    if (runtime !== 'python') return `requires= is for python demos (the Python a demo needs), not ${runtime} demos`;
    const requirement = parsePythonRequirement(value);
    if (requirement === null) return `requires must be a Python version like 3.13, or 3.13t for a free-threaded build, not "${value}"`;
    options.requires = requirement;
    return null;
  }
  if (key === 'expect') {
    if (value !== 'ok' && value !== 'fail') return `expect must be ok or fail, not "${value}"`;
    options.expect = value;
    return null;
  }
  if (key === 'timeout') {
    const ms = /^\d+(\.\d+)?$/.test(value) ? Math.round(Number(value) * 1000) : NaN;
    if (!(ms >= 1 && ms <= DEMO_LIMITS.maxTimeoutMs)) return `timeout must be seconds between 0.001 and ${DEMO_LIMITS.maxTimeoutMs / 1000}, not "${value}"`;
    options.timeoutMs = ms;
    return null;
  }
  const bytes = parseByteSize(value);
  if (bytes === null || bytes < 1 || bytes > DEMO_LIMITS.maxOutputBytes) {
    return `max-output must be bytes like 200k or 2M, at most ${DEMO_LIMITS.maxOutputBytes / 1024 / 1024}M, not "${value}"`;
  }
  options.maxOutputBytes = bytes;
  return null;
}

/** `3.13` → at least CPython 3.13; `3.13t` → a free-threaded build of 3.13 or later; null when it is neither. */
export function parsePythonRequirement(value: string): PythonRequirement | null {
  const match = /^(\d{1,2})\.(\d{1,3})(t?)$/.exec(value);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), freeThreaded: match[3] === 't' };
}

/** The requirement as a demo line writes it: `3.13`, `3.13t`. */
export function formatPythonRequirement(requirement: PythonRequirement): string {
  return `${requirement.major}.${requirement.minor}${requirement.freeThreaded ? 't' : ''}`;
}

/** `4096`, `64k`, `2M` → bytes (k = 1024). */
function parseByteSize(value: string): number | null {
  const match = /^(\d+)([kM]?)$/.exec(value);
  if (!match) return null;
  const unit = match[2] === 'k' ? 1024 : match[2] === 'M' ? 1024 * 1024 : 1;
  return Number(match[1]) * unit;
}
