/**
 * Markdown text of one section file → `Section`. Pure: no fs, no highlighter; the loader
 * reads files and the renderer turns the result into HTML.
 */
import { parse as parseYaml } from 'yaml';
import type { DeckError, DemoLanguage, DemoRef, RemotePolicy, Section, Slide } from './model.ts';
import { checkStepsFit, parseDemoLine, parseFenceSteps } from './parse-demo-line.ts';

/** The line a demo line becomes in `Slide.markdown`; an HTML comment passes through markdown-it as a block. */
export function demoPlaceholder(index: number): string {
  return `<!-- deck:demo ${index} -->`;
}
export const DEMO_PLACEHOLDER_PATTERN = /<!-- deck:demo (\d+) -->\n?/g;

export function parseSection(file: string, text: string): Section {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const front = parseFrontMatter(file, lines);
  const fences = scanFences(lines, front.bodyStart);
  const errors = [...front.errors];
  const slides = splitSlides(lines, front.bodyStart, fences).map((range) => parseSlide(file, lines, range, fences));
  if (slides.length === 0) errors.push({ file, line: 1, message: 'section has no slides' });
  const title = front.meta.title ?? findHeading(lines, front.bodyStart, fences) ?? file.replace(/\.md$/i, '');
  return { file, title, minutes: front.meta.minutes, slot: front.meta.slot, remote: front.meta.remote, language: front.meta.language, slides, errors };
}

// ---------------------------------------------------------------- front matter

/** What a section's front matter may say. */
interface SectionMeta {
  readonly title: string | null;
  readonly minutes: number | null;
  readonly slot: number | null;
  readonly remote: RemotePolicy | null;
  readonly language: DemoLanguage | null;
}

const NO_META: SectionMeta = { title: null, minutes: null, slot: null, remote: null, language: null };
const REMOTE_POLICIES: readonly RemotePolicy[] = ['allow', 'block'];
const LANGUAGES: readonly DemoLanguage[] = ['python', 'typescript'];

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
  let remote: RemotePolicy | null = null;
  let language: DemoLanguage | null = null;
  for (const [key, value] of Object.entries(data)) {
    if (key === 'title' && typeof value === 'string' && value.trim() !== '') title = value.trim();
    else if (key === 'title') errors.push({ key, message: '`title` must be a non-empty string' });
    else if (key === 'minutes' && typeof value === 'number' && Number.isFinite(value) && value > 0) minutes = value;
    else if (key === 'minutes') errors.push({ key, message: '`minutes` must be a positive number' });
    else if (key === 'slot' && typeof value === 'number' && Number.isFinite(value) && value > 0) slot = value;
    else if (key === 'slot') errors.push({ key, message: '`slot` must be a positive number of minutes' });
    else if (key === 'remote' && isRemotePolicy(value)) remote = value;
    else if (key === 'remote') errors.push({ key, message: '`remote` must be `allow` or `block`' });
    else if (key === 'language' && isLanguage(value)) language = value;
    else if (key === 'language') errors.push({ key, message: '`language` must be `python` or `typescript` (the tab each demo with variants opens on)' });
    else errors.push({ key, message: `unknown key \`${key}\` (expected title, minutes, slot, remote, language)` });
  }
  return { meta: { title, minutes, slot, remote, language }, errors };
}

function isLanguage(value: unknown): value is DemoLanguage {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

function isRemotePolicy(value: unknown): value is RemotePolicy {
  return (REMOTE_POLICIES as readonly unknown[]).includes(value);
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
  const groups: number[][] = [];
  const body: string[] = [];
  /** The group the line before this one added a demo to: the next demo line joins it. */
  let openGroup: number[] | null = null;
  let notes: { readonly line: number; readonly lines: string[] } | null = null;
  for (let i = range.start; i < range.end; i++) {
    const line = lines[i] ?? '';
    const fenced = insideFence(fences, i);
    const joins: number[] | null = openGroup;
    openGroup = null;
    const note = fenced ? null : NOTE_LINE.exec(line);
    if (notes === null && note) {
      const text = note[1]?.trim() ?? '';
      notes = text === '' ? { line: i + 2, lines: [] } : { line: i + 1, lines: [text] };
    } else if (notes !== null) {
      notes.lines.push(line);
    } else if (!fenced && DEMO_LINE.test(line)) {
      const demo = parseDemoLine(line, i + 1);
      if (demo.ok) {
        const index = demos.push(demo.value) - 1;
        body.push(demoPlaceholder(index));
        if (joins === null) groups.push((openGroup = [index]));
        else (openGroup = joins).push(index);
      } else {
        errors.push({ file, line: i + 1, message: demo.error });
        // It still takes its line: markdown line n stays file line `slide.line + n`.
        body.push('');
      }
    } else {
      body.push(line);
    }
  }
  errors.push(...checkFences(file, lines, range, fences));
  const firstNoteLine = notes?.lines.findIndex((line) => line.trim() !== '') ?? -1;
  return {
    file,
    line: range.start + 1,
    markdown: body.join('\n').trimEnd(),
    notes: (notes?.lines ?? []).join('\n').trim(),
    notesLine: notes === null || firstNoteLine < 0 ? null : notes.line + firstNoteLine,
    demos,
    groups,
    errors,
  };
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
