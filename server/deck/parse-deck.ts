/**
 * Markdown text of one section file → `Section`. Pure: no fs, no highlighter; the loader
 * reads files and the renderer turns the result into HTML.
 */
import { parse as parseYaml } from 'yaml';
import type { DeckError, DemoRef, Section, Slide } from './model.ts';
import { LIMITS, RUNTIMES } from '../protocol.ts';
import type { RuntimeName } from '../protocol.ts';

export type Steps = readonly (readonly number[])[];
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The line a demo line becomes in `Slide.markdown`; an HTML comment passes through markdown-it as a block. */
export function demoPlaceholder(index: number): string {
  return `<!-- deck:demo ${index} -->`;
}
export const DEMO_PLACEHOLDER_PATTERN = /<!-- deck:demo (\d+) -->\n?/g;

/** Longest line number a step may name: guards against `{1-99999999}` filling memory. */
const MAX_STEP_LINE = 10_000;

export function parseSection(file: string, text: string): Section {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const front = parseFrontMatter(file, lines);
  const fences = scanFences(lines, front.bodyStart);
  const errors = [...front.errors];
  const slides = splitSlides(lines, front.bodyStart, fences).map((range) => parseSlide(file, lines, range, fences));
  if (slides.length === 0) errors.push({ file, line: 1, message: 'section has no slides' });
  const title = front.meta.title ?? findHeading(lines, front.bodyStart, fences) ?? file.replace(/\.md$/i, '');
  return { file, title, minutes: front.meta.minutes, slot: front.meta.slot, slides, errors };
}

// ---------------------------------------------------------------- front matter

/** What a section's front matter may say. */
interface SectionMeta {
  readonly title: string | null;
  readonly minutes: number | null;
  readonly slot: number | null;
}

const NO_META: SectionMeta = { title: null, minutes: null, slot: null };

interface FrontMatter {
  readonly meta: SectionMeta;
  /** Index (0-based) of the first line after the front matter. */
  readonly bodyStart: number;
  readonly errors: DeckError[];
}

function parseFrontMatter(file: string, lines: readonly string[]): FrontMatter {
  if (lines[0]?.trimEnd() !== '---') return { meta: NO_META, bodyStart: 0, errors: [] };
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (close < 0) {
    return { meta: NO_META, bodyStart: 1, errors: [{ file, line: 1, message: 'front matter is not closed by a `---` line' }] };
  }
  const yamlLines = lines.slice(1, close);
  const result = readFrontMatterYaml(yamlLines.join('\n'));
  const errors = result.errors.map(({ message, key, yamlLine }) => ({
    file,
    line: 2 + (yamlLine ?? Math.max(0, yamlLines.findIndex((l) => l.startsWith(`${key}:`)))),
    message: `front matter: ${message}`,
  }));
  return { meta: result.meta, bodyStart: close + 1, errors };
}

/** A front-matter problem; `yamlLine` (0-based) when YAML says where, else found by `key`. */
interface FrontMatterProblem {
  readonly message: string;
  readonly key?: string;
  readonly yamlLine?: number;
}

function readFrontMatterYaml(source: string): { meta: SectionMeta; errors: FrontMatterProblem[] } {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (error) {
    return { meta: NO_META, errors: [describeYamlError(error)] };
  }
  if (data === null || data === undefined) return { meta: NO_META, errors: [] };
  if (typeof data !== 'object' || Array.isArray(data)) return { meta: NO_META, errors: [{ message: 'expected `key: value` lines', yamlLine: 0 }] };
  const errors: FrontMatterProblem[] = [];
  let title: string | null = null;
  let minutes: number | null = null;
  let slot: number | null = null;
  for (const [key, value] of Object.entries(data)) {
    if (key === 'title' && typeof value === 'string' && value.trim() !== '') title = value.trim();
    else if (key === 'title') errors.push({ key, message: '`title` must be a non-empty string' });
    else if (key === 'minutes' && typeof value === 'number' && Number.isFinite(value) && value > 0) minutes = value;
    else if (key === 'minutes') errors.push({ key, message: '`minutes` must be a positive number' });
    else if (key === 'slot' && typeof value === 'number' && Number.isFinite(value) && value > 0) slot = value;
    else if (key === 'slot') errors.push({ key, message: '`slot` must be a positive number of minutes' });
    else errors.push({ key, message: `unknown key \`${key}\` (expected title, minutes, slot)` });
  }
  return { meta: { title, minutes, slot }, errors };
}

function describeYamlError(error: unknown): FrontMatterProblem {
  if (!(error instanceof Error)) return { message: 'invalid YAML', yamlLine: 0 };
  const linePos = (error as Error & { linePos?: readonly { line: number }[] }).linePos;
  const message = (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
  return { message, yamlLine: Math.max(0, (linePos?.[0]?.line ?? 1) - 1) };
}

// ---------------------------------------------------------------- fenced code

interface Fence {
  /** 0-based line indexes of the opening and closing fence lines; close is null when never closed. */
  readonly open: number;
  readonly close: number | null;
  readonly info: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** Finds fenced code blocks the way CommonMark does, so `---` inside code never splits a slide. */
function scanFences(lines: readonly string[], start: number): Fence[] {
  const fences: Fence[] = [];
  for (let i = start; i < lines.length; i++) {
    const match = FENCE_OPEN.exec(lines[i] ?? '');
    if (!match) continue;
    const marker = match[1] ?? '```';
    const info = (match[2] ?? '').trim();
    if (marker.startsWith('`') && info.includes('`')) continue;
    const close = findFenceClose(lines, i + 1, marker);
    fences.push({ open: i, close, info });
    if (close === null) break;
    i = close;
  }
  return fences;
}

function findFenceClose(lines: readonly string[], from: number, marker: string): number | null {
  const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
  for (let i = from; i < lines.length; i++) if (closing.test(lines[i] ?? '')) return i;
  return null;
}

function insideFence(fences: readonly Fence[], index: number): boolean {
  return fences.some((f) => index >= f.open && index <= (f.close ?? Number.POSITIVE_INFINITY));
}

// ---------------------------------------------------------------- slides

interface LineRange {
  /** 0-based, end exclusive. */
  readonly start: number;
  readonly end: number;
}

function splitSlides(lines: readonly string[], bodyStart: number, fences: readonly Fence[]): LineRange[] {
  const ranges: LineRange[] = [];
  let start = bodyStart;
  for (let i = bodyStart; i <= lines.length; i++) {
    const isEnd = i === lines.length || (lines[i] === '---' && !insideFence(fences, i));
    if (!isEnd) continue;
    const trimmed = trimBlankLines(lines, { start, end: i });
    if (trimmed.end > trimmed.start) ranges.push(trimmed);
    start = i + 1;
  }
  return ranges;
}

function trimBlankLines(lines: readonly string[], range: LineRange): LineRange {
  let { start, end } = range;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return { start, end };
}

const NOTE_LINE = /^Note:(.*)$/;
const DEMO_LINE = /^<<<(?:\s|$)/;

function parseSlide(file: string, lines: readonly string[], range: LineRange, fences: readonly Fence[]): Slide {
  const errors: DeckError[] = [];
  const demos: DemoRef[] = [];
  const body: string[] = [];
  let notes: string[] | null = null;
  for (let i = range.start; i < range.end; i++) {
    const line = lines[i] ?? '';
    const fenced = insideFence(fences, i);
    const note = fenced ? null : NOTE_LINE.exec(line);
    if (notes === null && note) {
      notes = note[1]?.trim() ? [note[1].trim()] : [];
    } else if (notes !== null) {
      notes.push(line);
    } else if (!fenced && DEMO_LINE.test(line)) {
      const demo = parseDemoLine(line, i + 1);
      if (demo.ok) body.push(demoPlaceholder(demos.push(demo.value) - 1));
      else errors.push({ file, line: i + 1, message: demo.error });
    } else {
      body.push(line);
    }
  }
  errors.push(...checkFences(file, lines, range, fences));
  return { file, line: range.start + 1, markdown: body.join('\n').trimEnd(), notes: (notes ?? []).join('\n').trim(), demos, errors };
}

function checkFences(file: string, lines: readonly string[], range: LineRange, fences: readonly Fence[]): DeckError[] {
  const errors: DeckError[] = [];
  for (const fence of fences) {
    if (fence.open < range.start || fence.open >= range.end) continue;
    const line = fence.open + 1;
    if (fence.close === null) {
      errors.push({ file, line, message: 'code fence is never closed (everything after it became one slide)' });
      continue;
    }
    const steps = parseFenceSteps(fence.info);
    if (!steps.ok) errors.push({ file, line, message: steps.error });
    else {
      const outOfRange = checkStepsFit(steps.value, fence.close - fence.open - 1);
      if (outOfRange) errors.push({ file, line, message: outOfRange });
    }
  }
  return errors;
}

function findHeading(lines: readonly string[], start: number, fences: readonly Fence[]): string | null {
  for (let i = start; i < lines.length; i++) {
    const match = /^ {0,3}# +(.+?)(?: +#+)? *$/.exec(lines[i] ?? '');
    if (match?.[1] && !insideFence(fences, i)) return match[1];
  }
  return null;
}

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

const DEMO_OPTIONS = ['timeout', 'max-output', 'expect'] as const;
type DemoOption = (typeof DEMO_OPTIONS)[number];
type DemoOptions = Pick<DemoRef, 'timeoutMs' | 'maxOutputBytes' | 'expect'>;

/** `<<< python threads/race.py#race {3-5|8} timeout=10 expect=fail` → DemoRef. `line` is 1-based. */
export function parseDemoLine(text: string, line: number): Parsed<DemoRef> {
  const match = /^<<<\s+(\S+)\s+(\S+)\s*(\{[^}]*\}?)?\s*(.*)$/.exec(text.trim());
  if (!match) return { ok: false, error: 'demo line needs a runtime and a path: `<<< python path/to/demo.py`' };
  const [, runtime = '', target = '', stepsText, optionsText = ''] = match;
  if (!isRuntime(runtime)) return { ok: false, error: `unknown runtime "${runtime}" (expected ${RUNTIMES.join(', ')})` };
  const where = parseDemoTarget(target, runtime);
  if (!where.ok) return where;
  const steps = stepsText === undefined ? ok<Steps>([]) : parseBracedSteps(stepsText);
  if (!steps.ok) return steps;
  const options = parseDemoOptions(optionsText);
  if (!options.ok) return options;
  return { ok: true, value: { runtime, ...where.value, steps: steps.value, ...options.value, line } };
}

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function isRuntime(name: string): name is RuntimeName {
  return (RUNTIMES as readonly string[]).includes(name);
}

const RUNTIME_EXTENSIONS: Record<RuntimeName, readonly string[]> = {
  worker: ['.ts', '.mts', '.js', '.mjs'],
  process: ['.ts', '.mts', '.js', '.mjs'],
  python: ['.py'],
};

function parseDemoTarget(target: string, runtime: RuntimeName): Parsed<{ path: string; region: string | null }> {
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const region = hash < 0 ? null : target.slice(hash + 1);
  if (path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return { ok: false, error: `demo path "${path}" must be a plain relative path inside demos/` };
  }
  if (region !== null && !/^[\w.-]+$/.test(region)) return { ok: false, error: `bad region name "${region}" (letters, digits, _ . -)` };
  const extensions = RUNTIME_EXTENSIONS[runtime];
  if (!extensions.some((ext) => path.endsWith(ext))) {
    return { ok: false, error: `runtime ${runtime} runs ${extensions.join(' ')} files, not "${path}"` };
  }
  return { ok: true, value: { path, region } };
}

function parseBracedSteps(text: string): Parsed<Steps> {
  if (!text.endsWith('}')) return { ok: false, error: `line steps "${text}" are missing their closing }` };
  return parseSteps(text.slice(1, -1));
}

function parseDemoOptions(text: string): Parsed<DemoOptions> {
  const options: { timeoutMs: number | null; maxOutputBytes: number | null; expect: 'ok' | 'fail' } = { timeoutMs: null, maxOutputBytes: null, expect: 'ok' };
  const seen = new Set<string>();
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    const key = eq < 0 ? token : token.slice(0, eq);
    if (eq < 0) return { ok: false, error: `"${token}" is not an option (expected key=value: ${DEMO_OPTIONS.join(', ')})` };
    if (!isDemoOption(key)) return { ok: false, error: `unknown demo option "${key}" (expected ${DEMO_OPTIONS.join(', ')})` };
    if (seen.has(key)) return { ok: false, error: `demo option "${key}" is given twice` };
    seen.add(key);
    const error = applyDemoOption(options, key, token.slice(eq + 1));
    if (error) return { ok: false, error };
  }
  return { ok: true, value: options };
}

function isDemoOption(key: string): key is DemoOption {
  return (DEMO_OPTIONS as readonly string[]).includes(key);
}

/** Sets one option; returns an error message or null. */
function applyDemoOption(options: { -readonly [K in keyof DemoOptions]: DemoOptions[K] }, key: DemoOption, value: string): string | null {
  if (key === 'expect') {
    if (value !== 'ok' && value !== 'fail') return `expect must be ok or fail, not "${value}"`;
    options.expect = value;
    return null;
  }
  if (key === 'timeout') {
    const ms = /^\d+(\.\d+)?$/.test(value) ? Math.round(Number(value) * 1000) : NaN;
    if (!(ms >= 1 && ms <= LIMITS.maxTimeoutMs)) return `timeout must be seconds between 0.001 and ${LIMITS.maxTimeoutMs / 1000}, not "${value}"`;
    options.timeoutMs = ms;
    return null;
  }
  const bytes = parseByteSize(value);
  if (bytes === null || bytes < 1 || bytes > LIMITS.maxOutputBytes) {
    return `max-output must be bytes like 200k or 2M, at most ${LIMITS.maxOutputBytes / 1024 / 1024}M, not "${value}"`;
  }
  options.maxOutputBytes = bytes;
  return null;
}

/** `4096`, `64k`, `2M` → bytes (k = 1024). */
function parseByteSize(value: string): number | null {
  const match = /^(\d+)([kM]?)$/.exec(value);
  if (!match) return null;
  const unit = match[2] === 'k' ? 1024 : match[2] === 'M' ? 1024 * 1024 : 1;
  return Number(match[1]) * unit;
}
