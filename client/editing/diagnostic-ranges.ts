/**
 * Where the server's diagnostics go in the editor: an item names a line of the shown code
 * (1-based, as the editor counts its lines) and a column (1-based; 0 for none); the editor
 * wants document offsets. A column marks the word that starts there (or its one character);
 * no column marks the whole line. Lines and columns out of range are clamped, so a
 * diagnostic for text that has changed since still lands somewhere sensible. No DOM.
 */
import type { Diagnostic } from '../../server/protocol.ts';

export interface DiagnosticRange {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

const WORD = /^[\p{L}\p{N}_$]+/u;

export function diagnosticRanges(text: string, items: readonly Diagnostic[]): DiagnosticRange[] {
  // The editor counts any line break as one position, as here.
  const lines = text.split(/\r\n?|\n/);
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return items.map(({ line, column, message }) => {
    const index = Math.min(Math.max(Math.trunc(line), 1), lines.length) - 1;
    const start = starts[index] ?? 0;
    const content = lines[index] ?? '';
    if (!(column >= 1)) return { from: start, to: start + content.length, message };
    const at = Math.min(Math.trunc(column) - 1, content.length);
    const word = WORD.exec(content.slice(at))?.[0].length ?? 0;
    const length = word > 0 ? word : at < content.length ? 1 : 0;
    return { from: start + at, to: start + at + length, message };
  });
}
