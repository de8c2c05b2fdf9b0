/**
 * Prepared typing, planned: the edits a speaker would make to turn the editor's code into the
 * code they are about to "type". The lines both share at the top and at the bottom stay; the
 * lines in between are deleted one by one, then the new ones typed a character at a time, so
 * only the lines that differ change. Pure: no DOM, no editor; the page plays the plan.
 */

/** One edit: replace document offsets [from, to) by `insert`, then put the cursor at `cursor`. Offsets hold at the time of the step. */
export interface TypingStep {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
  readonly cursor: number;
}

export function planTyping(current: string, target: string): TypingStep[] {
  const before = current.split('\n');
  const after = target.split('\n');
  const shortest = Math.min(before.length, after.length);
  let head = 0;
  while (head < shortest && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < shortest - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  if (head === before.length && head === after.length) return [];

  const steps: TypingStep[] = [];
  // Where line `head` starts: every kept line above it, with its newline.
  const start = before.slice(0, head).reduce((offset, line) => offset + line.length + 1, 0);
  const deleted = before.slice(head, before.length - tail);
  let remaining = before.length;
  for (const line of deleted) {
    const last = remaining === head + 1;
    if (!last) steps.push({ from: start, to: start + line.length + 1, insert: '', cursor: start });
    // The document's last line has no newline of its own: it goes with the one before it.
    else if (head > 0) steps.push({ from: start - 1, to: start + line.length, insert: '', cursor: start - 1 });
    else if (line !== '') steps.push({ from: 0, to: line.length, insert: '', cursor: 0 });
    remaining--;
  }

  const typed = after.slice(head, after.length - tail);
  if (typed.length === 0) return steps;
  // Before the kept lines below, each new line ends with its newline; at the end of the
  // document, each starts with one (after the kept lines above) — like pressing Enter there.
  const text = tail > 0 ? typed.map((line) => `${line}\n`).join('') : head > 0 ? typed.map((line) => `\n${line}`).join('') : typed.join('\n');
  let at = tail > 0 || head === 0 ? start : start - 1;
  // By code point, so a character outside the BMP is typed whole.
  for (const character of text) {
    steps.push({ from: at, to: at, insert: character, cursor: at + character.length });
    at += character.length;
  }
  return steps;
}

/** `text` with `step` applied: how the plan is checked, and how a player knows the text it expects. */
export function applyStep(text: string, step: TypingStep): string {
  return text.slice(0, step.from) + step.insert + text.slice(step.to);
}
