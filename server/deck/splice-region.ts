/**
 * Puts code edited on a slide back into its demo file: the inverse of `extractRegion`.
 * The slide shows a region (or the whole file) without its marker lines, dedented and
 * without blank lines at its edges; splicing restores all of that around the edit and
 * leaves every other byte of the file as it was.
 *
 * Lines the edit kept are written back as they were in the file (their indentation, their
 * line ending); new lines get the region's common indentation (non-blank ones) and the
 * file's line ending. Marker lines of inner regions, which the slide never shows, go back
 * between the same shown lines as before (a line diff of the shown code tells where); an
 * edit that writes marker lines of its own is taken as it is. Pure: text in, text out.
 */
import type { Parsed } from './parse-demo-line.ts';
import { checkMarkers, extractRegion, readMarker } from './regions.ts';

export interface SplicedSource {
  /** The file's full text with the edit in place. */
  readonly text: string;
  /** For each line of `text` (index: file line − 1), its line in the edited code (1-based), or null for a line the slide does not show. */
  readonly shownLines: readonly (number | null)[];
}

/** The file's full source with `region` (null: the whole file) replaced by `shown`, the code as the slide shows it. */
export function spliceRegion(source: string, region: string | null, shown: string): Parsed<string> {
  const spliced = spliceRegionMapped(source, region, shown);
  return spliced.ok ? { ok: true, value: spliced.value.text } : spliced;
}

/** The file line (1-based) of the first shown line of `region` (null: the whole file); 1 when the file has no such region. */
export function regionStartLine(source: string, region: string | null): number {
  const layout = layOut(splitLines(source), region);
  return layout.ok ? layout.value.first + 1 : 1;
}

/** `spliceRegion`, also telling which line of the edited code each line of the result is (for diagnostics). */
export function spliceRegionMapped(source: string, region: string | null, shown: string): Parsed<SplicedSource> {
  const lines = splitLines(source);
  const laid = layOut(lines, region);
  if (!laid.ok) return laid;
  const { first, last, shownIndexes, indent, markersBefore } = laid.value;
  const normalized = shown.replace(/\r\n?/g, '\n');
  const edited = normalized === '' ? [] : normalized.split('\n');
  const ownMarkers = edited.some((line) => readMarker(line) !== null);
  const fileEol = lines.find((line) => line.eol !== '')?.eol ?? '\n';

  const out: Line[] = lines.slice(0, first);
  const map: (number | null)[] = out.map(() => null);
  const emitMarkers = (shownIndex: number): void => {
    if (ownMarkers) return;
    for (const marker of markersBefore.get(shownIndex) ?? []) {
      out.push(marker);
      map.push(null);
    }
  };
  const original = shownIndexes.map((index) => lines[index] ?? { text: '', eol: '' });
  const dedented = original.map((line) => line.text.slice(Math.min(indent.length, leadingWhitespace(line.text))));
  for (const op of diffLines(dedented, edited)) {
    if (op.kind === 'keep') {
      emitMarkers(op.from);
      out.push(original[op.from] ?? { text: '', eol: '' });
      map.push(op.to + 1);
      continue;
    }
    for (let t = 0; t < Math.max(op.from.length, op.to.length); t++) {
      const from = op.from[t];
      if (from !== undefined) emitMarkers(from);
      const to = op.to[t];
      if (to === undefined) continue;
      const text = edited[to] ?? '';
      out.push({ text: text.trim() === '' ? text : indent + text, eol: fileEol });
      map.push(to + 1);
    }
  }
  const rest = lines.slice(last, lines.length);
  out.push(...rest);
  map.push(...rest.map(() => null));
  // Only the file's last line goes without a line ending.
  const text = out.map((line, i) => line.text + (i === out.length - 1 ? '' : line.eol || fileEol)).join('');

  const check = region === null ? checkMarkers(text.replace(/\r\n?/g, '\n').split('\n')) : extractRegion(text, region);
  if (!check.ok) return { ok: false, error: `the edit breaks the file's regions: ${check.error}` };
  return { ok: true, value: { text, shownLines: map } };
}

interface Line {
  readonly text: string;
  /** `\n`, `\r\n`, `\r`, or '' for the file's last line. */
  readonly eol: string;
}

/** The lines of `source` as `extractRegion` counts them, each with its own line ending. */
function splitLines(source: string): Line[] {
  const parts = source.split(/(\r\n|\r|\n)/);
  const lines: Line[] = [];
  for (let i = 0; i < parts.length; i += 2) lines.push({ text: parts[i] ?? '', eol: parts[i + 1] ?? '' });
  return lines;
}

interface Layout {
  /** 0-based index of the first shown line (where an empty region's new code goes) and one past the last. */
  readonly first: number;
  readonly last: number;
  /** File line indexes of the shown lines, in order. */
  readonly shownIndexes: readonly number[];
  /** The region's common indentation, as the first shown line writes it. */
  readonly indent: string;
  /** Marker lines hidden between shown line i − 1 and shown line i, by i. */
  readonly markersBefore: ReadonlyMap<number, readonly Line[]>;
}

/** Where the region's shown lines are in the file, mirroring `extractRegion` (markers left out, blank edges trimmed, dedented). */
function layOut(lines: readonly Line[], region: string | null): Parsed<Layout> {
  const checked = checkMarkers(lines.map((line) => line.text));
  if (!checked.ok) return checked;
  const span = region === null ? { start: 0, end: lines.length } : checked.value.get(region);
  if (!span) return { ok: false, error: `region "${region}" not found` };
  const visible: number[] = [];
  for (let i = span.start; i < span.end; i++) if (readMarker(lines[i]?.text ?? '') === null) visible.push(i);
  const isBlank = (index: number): boolean => (lines[index]?.text ?? '').trim() === '';
  const from = visible.findIndex((index) => !isBlank(index));
  if (from === -1) {
    return { ok: true, value: { first: span.start, last: span.start, shownIndexes: [], indent: '', markersBefore: new Map() } };
  }
  let to = visible.length;
  while (to > from && isBlank(visible[to - 1] ?? 0)) to--;
  const shownIndexes = visible.slice(from, to);
  const first = shownIndexes[0] ?? span.start;
  const last = (shownIndexes[shownIndexes.length - 1] ?? first) + 1;
  const widths = shownIndexes.filter((index) => !isBlank(index)).map((index) => leadingWhitespace(lines[index]?.text ?? ''));
  const common = Math.min(...widths);
  const indent = (lines[first]?.text ?? '').slice(0, common);
  const markersBefore = new Map<number, Line[]>();
  for (let s = 1; s < shownIndexes.length; s++) {
    const markers: Line[] = [];
    for (let i = (shownIndexes[s - 1] ?? 0) + 1; i < (shownIndexes[s] ?? 0); i++) markers.push(lines[i] ?? { text: '', eol: '' });
    if (markers.length > 0) markersBefore.set(s, markers);
  }
  return { ok: true, value: { first, last, shownIndexes, indent, markersBefore } };
}

/** Counted as `extractRegion`'s dedent counts it: the characters `trimStart` removes. */
function leadingWhitespace(text: string): number {
  return text.length - text.trimStart().length;
}

type Op = { readonly kind: 'keep'; readonly from: number; readonly to: number } | { readonly kind: 'change'; readonly from: readonly number[]; readonly to: readonly number[] };

/** Past this many cells the middle of a diff is taken as replaced line by line (an edit is rarely that large). */
const MAX_DIFF_CELLS = 4_000_000;

/** A line diff of `a` into `b`: kept lines, and changes (lines of `a` removed, lines of `b` added in their place). */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: 'keep', from: i, to: i });
  ops.push(...diffMiddle(a, b, head, a.length - tail, head, b.length - tail));
  for (let k = tail; k > 0; k--) ops.push({ kind: 'keep', from: a.length - k, to: b.length - k });
  return ops;
}

/** The longest common subsequence of `a[aFrom, aTo)` and `b[bFrom, bTo)`, as keeps and changes. */
function diffMiddle(a: readonly string[], b: readonly string[], aFrom: number, aTo: number, bFrom: number, bTo: number): Op[] {
  const n = aTo - aFrom;
  const m = bTo - bFrom;
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_DIFF_CELLS) return [{ kind: 'change', from: range(aFrom, aTo), to: range(bFrom, bTo) }];
  // lcs[i][j]: the common subsequence of a[aFrom+i..] and b[bFrom+j..], as one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[aFrom + i] === b[bFrom + j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = (): void => {
    if (removed.length > 0 || added.length > 0) ops.push({ kind: 'change', from: removed, to: added });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[aFrom + i] === b[bFrom + j]) {
      flush();
      ops.push({ kind: 'keep', from: aFrom + i, to: bFrom + j });
      i++;
      j++;
    } else if (j < m && (i === n || (lcs[i * width + j + 1] ?? 0) >= (lcs[(i + 1) * width + j] ?? 0))) {
      added.push(bFrom + j);
      j++;
    } else {
      removed.push(aFrom + i);
      i++;
    }
  }
  flush();
  return ops;
}
