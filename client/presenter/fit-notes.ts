/**
 * Speaker notes that fit their box: the largest font size from `maxPx` down to `minPx` at
 * which nothing overflows; only notes too long even at `minPx` scroll. Refits when the box
 * changes size (window resized) and when the caller says the notes changed.
 */
import type { IDisposable } from '@xterm/xterm';

export interface FitNotesOptions {
  readonly maxPx?: number;
  readonly minPx?: number;
}

export interface FittedNotes extends IDisposable {
  /** Call after the notes' content changed. */
  refit(): void;
}

export function fitNotes(box: HTMLElement, options: FitNotesOptions = {}): FittedNotes {
  const maxPx = options.maxPx ?? 26;
  const minPx = options.minPx ?? 14;
  const fits = (px: number): boolean => {
    box.style.fontSize = `${px}px`;
    return box.scrollHeight <= box.clientHeight + 1;
  };
  const refit = (): void => {
    box.classList.remove('is-scrolling');
    box.scrollTop = 0;
    if (box.clientHeight === 0 || fits(maxPx)) return;
    // Binary search over whole pixels: at most four layouts for 26 → 14.
    let low = minPx;
    let high = maxPx;
    if (!fits(low)) {
      box.classList.add('is-scrolling');
      return;
    }
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle;
    }
    box.style.fontSize = `${low}px`;
  };
  let lastSize = '';
  const observer = new ResizeObserver(() => {
    const size = `${box.clientWidth}x${box.clientHeight}`;
    if (size === lastSize) return;
    lastSize = size;
    refit();
  });
  observer.observe(box);
  return { refit, dispose: () => observer.disconnect() };
}
