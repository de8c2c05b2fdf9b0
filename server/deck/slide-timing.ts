/**
 * How long a slide takes on stage, estimated: a text slide 30 s, a slide with demos 75 s
 * (however many: a variant group, or several demos, are presented once), unless the slide
 * says otherwise in a comment of its body, `<!-- seconds: 45 -->` or `<!-- minutes: 1.5 -->`.
 * Pure: the parsed slide in, the estimate and any malformed override (with its file:line) out.
 */
import type { DeckError, Slide } from './model.ts';

export const TEXT_SLIDE_SECONDS = 30;
export const DEMO_SLIDE_SECONDS = 75;

/** Where a slide's estimate comes from. */
export type EstimateSource = 'text' | 'demo' | 'override';

export interface SlideEstimate {
  readonly seconds: number;
  readonly source: EstimateSource;
  /** The slide shows at least one demo (it counts as a demo slide whatever its override says). */
  readonly hasDemo: boolean;
  /** Malformed or repeated overrides, at their file:line; the estimate then ignores them. */
  readonly errors: readonly DeckError[];
}

export interface TimeOverride {
  readonly seconds: number;
  /** File line of the comment's start. */
  readonly line: number;
}

const UNITS: Readonly<Record<string, number>> = { seconds: 1, minutes: 60 };
/** Words a speaker may mean as a unit: anything but `seconds` and `minutes` among them is a mistake worth naming, not silence. */
const UNIT_LIKE = /^(?:s|sec|secs|second|seconds|m|min|mins|minute|minutes)$/i;
const COMMENT = /<!--([\s\S]*?)-->/g;
const KEY_VALUE = /^\s*([A-Za-z]+)\s*:([\s\S]*)$/;
const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const EXAMPLE = '`<!-- seconds: 45 -->` or `<!-- minutes: 1.5 -->`';

/** The slide's time estimate in seconds, with the reason and any override problems. */
export function estimateSlide(slide: Pick<Slide, 'file' | 'line' | 'markdown' | 'demos'>): SlideEstimate {
  const hasDemo = slide.demos.length > 0;
  const { override, errors } = readTimeOverride(slide);
  if (override !== null) return { seconds: override.seconds, source: 'override', hasDemo, errors };
  return { seconds: hasDemo ? DEMO_SLIDE_SECONDS : TEXT_SLIDE_SECONDS, source: hasDemo ? 'demo' : 'text', hasDemo, errors };
}

/**
 * The first well-formed `seconds:`/`minutes:` comment in the slide's body (outside code fences
 * and inline code, where it is an example, not an instruction); every malformed one and every
 * later one is an error at its line.
 */
export function readTimeOverride(slide: Pick<Slide, 'file' | 'line' | 'markdown'>): { override: TimeOverride | null; errors: DeckError[] } {
  const fenced = fencedLines(slide.markdown);
  const errors: DeckError[] = [];
  let override: TimeOverride | null = null;
  for (const match of slide.markdown.matchAll(COMMENT)) {
    const index = match.index;
    const lineIndex = countNewlines(slide.markdown, index);
    if (fenced.has(lineIndex) || insideInlineCode(slide.markdown, index)) continue;
    const keyValue = KEY_VALUE.exec(match[1] ?? '');
    const key = keyValue?.[1];
    if (key === undefined || !UNIT_LIKE.test(key)) continue;
    const line = slide.line + lineIndex;
    const error = (message: string): void => {
      errors.push({ file: slide.file, line, message: `slide time \`${oneLine(match[0])}\`: ${message}` });
    };
    const unit = UNITS[key];
    const value = (keyValue?.[2] ?? '').trim();
    if (unit === undefined) {
      error(`write \`seconds:\` or \`minutes:\`, as in ${EXAMPLE}`);
    } else if (!NUMBER.test(value)) {
      error(`${value === '' ? 'no number' : `"${value}" is not a number`} of ${key} (write ${EXAMPLE})`);
    } else if (override !== null) {
      error(`a second time for this slide (the first, at line ${override.line}, counts)`);
    } else {
      override = { seconds: Number(value) * unit, line };
    }
  }
  return { override, errors };
}

/** 0-based indexes of the lines inside fenced code blocks (the fence lines included). */
function fencedLines(markdown: string): Set<number> {
  const inside = new Set<number>();
  let fence: { char: string; length: number } | null = null;
  markdown.split('\n').forEach((text, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence === null) {
      if (marker === undefined) return;
      fence = { char: marker[0] ?? '`', length: marker.length };
      inside.add(index);
      return;
    }
    inside.add(index);
    if (marker !== undefined && marker[0] === fence.char && marker.length >= fence.length && text.trim() === marker) fence = null;
  });
  return inside;
}

/** An odd number of backticks before `index` on its line: the comment is shown as code. */
function insideInlineCode(markdown: string, index: number): boolean {
  const lineStart = markdown.lastIndexOf('\n', index - 1) + 1;
  return (markdown.slice(lineStart, index).match(/`/g)?.length ?? 0) % 2 === 1;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
