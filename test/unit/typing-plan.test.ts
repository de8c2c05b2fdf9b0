import { describe, expect, it } from 'vitest';
import { applyStep, planTyping } from '../../client/typing/typing-plan.ts';
import type { TypingStep } from '../../client/typing/typing-plan.ts';

/** Plays `steps` on `text`, checking each step's offsets against the text as it is then. */
function play(text: string, steps: readonly TypingStep[]): string {
  return steps.reduce((doc, step) => {
    expect(0 <= step.from && step.from <= step.to && step.to <= doc.length, `step ${JSON.stringify(step)} on ${JSON.stringify(doc)}`).toBe(true);
    const next = applyStep(doc, step);
    expect(step.cursor).toBeGreaterThanOrEqual(0);
    expect(step.cursor).toBeLessThanOrEqual(next.length);
    return next;
  }, text);
}

const locked = 'def work():\n    global counter\n    with lock:\n        counter += 1\n';
const racy = 'def work():\n    global counter\n    counter += 1\n';

describe('planTyping', () => {
  it('keeps the common lines, deletes each differing line in one step, then types the new ones a character at a time', () => {
    const steps = planTyping(racy, locked);
    expect(play(racy, steps)).toBe(locked);
    const start = 'def work():\n    global counter\n'.length;
    expect(steps[0]).toEqual({ from: start, to: start + '    counter += 1\n'.length, insert: '', cursor: start });
    const typed = steps.slice(1);
    expect(typed.map((s) => s.insert).join('')).toBe('    with lock:\n        counter += 1\n');
    expect(typed.every((s, i) => s.from === start + i && s.to === s.from && s.insert.length === 1 && s.cursor === s.from + 1)).toBe(true);
    // Nothing above or below the lines that differ is touched.
    expect(steps.every((s) => s.from >= start)).toBe(true);
  });

  it('plans nothing for the same text, and only deletions or only typing when one side has no new lines', () => {
    expect(planTyping(locked, locked)).toEqual([]);
    expect(planTyping('', '')).toEqual([]);
    const shorter = planTyping('a\nb\nc', 'a\nc');
    expect(shorter).toEqual([{ from: 2, to: 4, insert: '', cursor: 2 }]);
    const longer = planTyping('a\nc', 'a\nb\nc');
    expect(longer).toEqual([
      { from: 2, to: 2, insert: 'b', cursor: 3 },
      { from: 3, to: 3, insert: '\n', cursor: 4 },
    ]);
  });

  it('at the end of the document, deletes a last line with the newline before it and types after an Enter', () => {
    expect(planTyping('a\nb', 'a')).toEqual([{ from: 1, to: 3, insert: '', cursor: 1 }]);
    expect(planTyping('a', 'a\nb')).toEqual([
      { from: 1, to: 1, insert: '\n', cursor: 2 },
      { from: 2, to: 2, insert: 'b', cursor: 3 },
    ]);
    expect(play('a\nx\ny', planTyping('a\nx\ny', 'a\nz'))).toBe('a\nz');
  });

  it('replaces everything from an empty editor, into an empty editor, and a single line', () => {
    expect(planTyping('', 'ab')).toEqual([
      { from: 0, to: 0, insert: 'a', cursor: 1 },
      { from: 1, to: 1, insert: 'b', cursor: 2 },
    ]);
    expect(planTyping('ab\ncd', '')).toEqual([
      { from: 0, to: 3, insert: '', cursor: 0 },
      { from: 0, to: 2, insert: '', cursor: 0 },
    ]);
    expect(play('x', planTyping('x', 'y'))).toBe('y');
  });

  it('types a character outside the BMP in one step', () => {
    const steps = planTyping('', 'a🙂b');
    expect(steps.map((s) => s.insert)).toEqual(['a', '🙂', 'b']);
    expect(steps[2]).toEqual({ from: 3, to: 3, insert: 'b', cursor: 4 });
  });

  it('turns any text into any other, with every step valid when it comes', () => {
    // A small alphabet of lines makes common heads, tails, repeats and empty lines likely.
    const lines = ['', 'a', 'b', 'with lock:', '    x += 1'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const text = (): string => Array.from({ length: random(6) }, () => lines[random(lines.length)]).join('\n');
    for (let i = 0; i < 500; i++) {
      const [from, to] = [text(), text()];
      const steps = planTyping(from, to);
      expect(play(from, steps), `${JSON.stringify(from)} → ${JSON.stringify(to)}`).toBe(to);
      // Deletions first, whole lines; then one character per step.
      const firstTyped = steps.findIndex((s) => s.insert !== '');
      const typed = firstTyped < 0 ? [] : steps.slice(firstTyped);
      expect(typed.every((s) => s.from === s.to && [...s.insert].length === 1)).toBe(true);
      expect(steps.slice(0, firstTyped < 0 ? steps.length : firstTyped).every((s) => s.insert === '' && s.to > s.from)).toBe(true);
    }
  });
});
