/**
 * The pages reveal.js's print view lays out: `.pdf-page` per slide (and per step with
 * `pdfSeparateFragments`), each step page a copy of its slide's page, and with
 * `showNotes: 'separate-page'` a `.speaker-notes-pdf` page after the slide's first page.
 * What the print mode does to them before drawing demos.
 */
import { updateCodeSteps } from '../code-steps.ts';

/**
 * Resolves once reveal.js has laid out the print pages. It appends them all at once, right
 * before it dispatches `pdf-ready` (bubbling from the `.reveal` element): pages in the
 * document mean the event has already fired.
 */
export function whenPdfPagesLaidOut(root: HTMLElement): Promise<void> {
  if (root.querySelector('.pdf-page') !== null) return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('pdf-ready', () => resolve(), { once: true }));
}

export function pdfPages(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('.pdf-page')];
}

/** reveal.js numbers print pages `3` and its step pages `3.1`, `3.2`: on screen the slide says `3/12` on every step. */
export function numberPages(pages: readonly HTMLElement[]): void {
  const numbers = pages.map((page) => page.querySelector<HTMLElement>('.slide-number-pdf'));
  const total = numbers.filter((number) => number !== null && !(number.textContent ?? '').includes('.')).length;
  for (const number of numbers) {
    if (number === null) continue;
    const slide = slideNumberOf(number);
    number.dataset['slide'] = slide;
    number.textContent = `${slide}/${total}`;
  }
}

/**
 * Moves each notes page after the last step page of its slide (reveal.js puts it between the
 * slide's first page and its steps), and heads it with the slide it belongs to.
 */
export function placeNotePages(root: HTMLElement): void {
  for (const notes of root.querySelectorAll<HTMLElement>('.speaker-notes-pdf[data-layout="separate-page"]')) {
    const slide = notes.previousElementSibling?.querySelector<HTMLElement>('.slide-number-pdf')?.dataset['slide'];
    if (slide === undefined) continue;
    notes.dataset['slide'] = slide;
    let last: Element | null = null;
    for (let next = notes.nextElementSibling; next?.classList.contains('pdf-page') === true; next = next.nextElementSibling) {
      if (next.querySelector<HTMLElement>('.slide-number-pdf')?.dataset['slide'] !== slide) break;
      last = next;
    }
    last?.after(notes);
  }
}

/**
 * A step page shows its own step's highlight, from the step markers visible on it; a slide's
 * one page (every fragment shown) shows its code plain, with no step dimmed.
 */
export function markPageSteps(page: HTMLElement, steps: boolean): void {
  if (steps) {
    updateCodeSteps(page);
    return;
  }
  for (const line of page.querySelectorAll<HTMLElement>('pre[data-line-steps] .line')) line.classList.remove('highlighted', 'dimmed');
}

function slideNumberOf(number: HTMLElement): string {
  return (number.dataset['slide'] ?? number.textContent ?? '').split('.')[0]?.trim() ?? '';
}
