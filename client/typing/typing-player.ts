/**
 * Plays a typing plan at a human pace onto any document: one step per tick, `charsPerSecond`
 * steps a second (a deleted line counts as one), faster on `speedUp()`. A document that
 * changes under it (the speaker types too, another screen's edit arrives) is planned again
 * from what it is then, so a step never lands at a stale offset. DOM-free: `type-into.ts`
 * plays it onto a CodeMirror editor, tests onto a string.
 */
import { applyStep, planTyping } from './typing-plan.ts';
import type { TypingStep } from './typing-plan.ts';

export const DEFAULT_CHARS_PER_SECOND = 25;
/** How much faster each `speedUp()` makes the typing. */
export const SPEED_UP_FACTOR = 4;

/** What the player types into. */
export interface TypingDocument {
  /** The document's text now. */
  read(): string;
  apply(step: TypingStep): void;
}

export interface TypingOptions {
  /** Steps a second: characters typed, lines deleted. Default 25. */
  readonly charsPerSecond?: number;
  /** Aborting stops the typing where it is, as `cancel()` does. */
  readonly signal?: AbortSignal;
}

export interface Typing {
  /** Resolves once the target is typed, or the typing was cancelled (the text stays as far as it got). */
  readonly done: Promise<void>;
  /** Types `SPEED_UP_FACTOR` times faster from now on (again on each call). */
  speedUp(): void;
  /** Stops where it is; `done` resolves. */
  cancel(): void;
}

export function playTyping(document: TypingDocument, target: string, options: TypingOptions = {}): Typing {
  let rate = options.charsPerSecond ?? DEFAULT_CHARS_PER_SECOND;
  if (!(rate > 0)) throw new RangeError(`charsPerSecond must be positive, not ${rate}`);
  let expected = document.read();
  let steps = planTyping(expected, target);
  let next = 0;
  // The first character shows at once; after that, steps come as time earns them.
  let budget = 1;
  let last = performance.now();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let finished = false;
  let resolveDone = (): void => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const finish = (): void => {
    if (finished) return;
    finished = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    options.signal?.removeEventListener('abort', finish);
    resolveDone();
  };

  /** Steps earned since the last look, at the rate of that time. */
  const accrue = (): void => {
    const now = performance.now();
    budget += ((now - last) / 1000) * rate;
    last = now;
  };

  const tick = (): void => {
    timer = null;
    if (finished) return;
    accrue();
    while (budget >= 1 && !finished) {
      const text = document.read();
      if (text !== expected) {
        expected = text;
        steps = planTyping(text, target);
        next = 0;
      }
      const step = steps[next];
      if (step === undefined) return finish();
      document.apply(step);
      expected = applyStep(expected, step);
      next++;
      budget -= 1;
    }
    if (next >= steps.length && document.read() === target) return finish();
    timer = setTimeout(tick, Math.max(0, ((1 - budget) / rate) * 1000));
  };

  if (options.signal?.aborted) finish();
  else {
    options.signal?.addEventListener('abort', finish);
    tick();
  }
  return {
    done,
    speedUp: () => {
      if (finished) return;
      accrue();
      rate *= SPEED_UP_FACTOR;
      // What is left of the current wait shrinks too, so the press is felt at once.
      if (timer !== null) clearTimeout(timer);
      tick();
    },
    cancel: finish,
  };
}
