/**
 * Named regions in demo source: the part of a demo file a slide shows.
 *
 *   # region race            // #region race
 *   ...                      ...
 *   # endregion              // #endregion
 *
 * After the comment leader (`#` or `//`) both `#region` and `# region` are accepted, so are
 * Python's bare `# region`. Marker lines are never shown. Pure: text in, text out.
 */
import type { Parsed } from './parse-demo-line.ts';

interface Marker {
  readonly kind: 'region' | 'endregion';
  readonly name: string | null;
}

/** A region line names exactly one region; an end line may repeat the name. */
const MARKER = /^\s*(?:#|\/\/)\s*(?:#\s*)?(region|endregion)(?:\s+([\w.-]+))?\s*$/;

export function readMarker(line: string): Marker | null {
  const match = MARKER.exec(line);
  if (!match) return null;
  const kind = match[1] === 'region' ? 'region' : 'endregion';
  const name = match[2] ?? null;
  return kind === 'region' && name === null ? null : { kind, name };
}

/**
 * The code to show: the whole file (`region` null) or one region, without any marker
 * lines, with its common indentation removed and without blank lines at either end.
 */
export function extractRegion(source: string, region: string | null): Parsed<string> {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const checked = checkMarkers(lines);
  if (!checked.ok) return checked;
  const span = region === null ? { start: 0, end: lines.length } : checked.value.get(region);
  if (!span) return { ok: false, error: `region "${region}" not found` };
  const shown = lines.slice(span.start, span.end).filter((line) => readMarker(line) === null);
  return { ok: true, value: dedent(trimBlankEdges(shown)).join('\n') };
}

export interface Span {
  /** 0-based line indexes of the region's content, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** Every region by name, checking that markers pair up (nesting allowed) and names are unique. */
export function checkMarkers(lines: readonly string[]): Parsed<Map<string, Span>> {
  const regions = new Map<string, Span>();
  const open: { name: string; start: number }[] = [];
  for (const [index, line] of lines.entries()) {
    const marker = readMarker(line);
    if (marker?.kind === 'region' && marker.name !== null) {
      if (regions.has(marker.name) || open.some((o) => o.name === marker.name)) {
        return { ok: false, error: `region "${marker.name}" is defined twice (line ${index + 1})` };
      }
      open.push({ name: marker.name, start: index + 1 });
    } else if (marker?.kind === 'endregion') {
      const top = open.pop();
      if (!top) return { ok: false, error: `#endregion without #region at line ${index + 1}` };
      if (marker.name !== null && marker.name !== top.name) {
        return { ok: false, error: `#endregion ${marker.name} at line ${index + 1} closes region "${top.name}"` };
      }
      regions.set(top.name, { start: top.start, end: index });
    }
  }
  const unclosed = open.pop();
  return unclosed ? { ok: false, error: `region "${unclosed.name}" is never closed by #endregion` } : { ok: true, value: regions };
}

function trimBlankEdges(lines: readonly string[]): string[] {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end--;
  let start = 0;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  return lines.slice(start, end);
}

function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length)));
}
