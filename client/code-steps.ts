/**
 * Stepped line highlights: `pre[data-line-steps='[[3,4],[7],[]]']` becomes one invisible
 * reveal.js fragment per step after the first, so the speaker walks through the code with
 * the same key that reveals bullets. The lines of the current step get `.highlighted`,
 * the rest `.dimmed`; a step of `[]` shows the code plain.
 */
import type { IDisposable } from '@xterm/xterm';
import type { RevealApi } from 'reveal.js';

type Steps = readonly (readonly number[])[];

const STEP_CLASS = 'code-step';

export function parseSteps(raw: string | undefined): Steps {
  if (raw === undefined) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value.map((step: unknown) =>
      Array.isArray(step) ? step.filter((n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0) : [],
    );
  } catch {
    return [];
  }
}

/** Adds the step fragments under `root`; dispose removes them and the line classes. */
export function mountCodeSteps(root: ParentNode): IDisposable {
  const added: HTMLElement[] = [];
  const pres: HTMLElement[] = [];
  for (const pre of root.querySelectorAll<HTMLElement>('pre[data-line-steps]')) {
    const steps = parseSteps(pre.dataset['lineSteps']);
    if (steps.length === 0) continue;
    pres.push(pre);
    let after: Element = pre;
    for (let i = 1; i < steps.length; i++) {
      const marker = document.createElement('span');
      marker.className = `fragment ${STEP_CLASS}`;
      marker.dataset['codeStep'] = String(i);
      marker.setAttribute('aria-hidden', 'true');
      after.after(marker);
      after = marker;
      added.push(marker);
    }
  }
  updateCodeSteps(root);
  return {
    dispose: () => {
      for (const marker of added) marker.remove();
      for (const pre of pres) for (const line of lines(pre)) line.classList.remove('highlighted', 'dimmed');
    },
  };
}

/** Re-marks every stepped block under `root` from which of its fragments are visible. */
export function updateCodeSteps(root: ParentNode): void {
  for (const pre of root.querySelectorAll<HTMLElement>('pre[data-line-steps]')) {
    const steps = parseSteps(pre.dataset['lineSteps']);
    if (steps.length === 0) continue;
    highlight(pre, steps[currentStep(pre)] ?? []);
  }
}

function currentStep(pre: HTMLElement): number {
  let step = 0;
  for (let node = pre.nextElementSibling; node?.classList.contains(STEP_CLASS); node = node.nextElementSibling) {
    if (node.classList.contains('visible')) step = Number((node as HTMLElement).dataset['codeStep'] ?? 0);
  }
  return step;
}

function highlight(pre: HTMLElement, step: readonly number[]): void {
  const wanted = new Set(step);
  lines(pre).forEach((line, index) => {
    const number = Number(line.dataset['line'] ?? index + 1);
    line.classList.toggle('highlighted', wanted.size > 0 && wanted.has(number));
    line.classList.toggle('dimmed', wanted.size > 0 && !wanted.has(number));
  });
}

function lines(pre: HTMLElement): HTMLElement[] {
  return [...pre.querySelectorAll<HTMLElement>('.line')];
}

/**
 * Keeps the current slide's stepped code in step with the deck: on a new slide and on each
 * fragment shown or hidden. Only the slide on screen can have changed steps, so only it is re-marked.
 */
export function followCodeSteps(deck: RevealApi): void {
  const update = (): void => {
    const slide = deck.getCurrentSlide();
    if (slide !== undefined) updateCodeSteps(slide);
  };
  for (const event of ['ready', 'slidechanged', 'fragmentshown', 'fragmenthidden'] as const) deck.on(event, update);
}
