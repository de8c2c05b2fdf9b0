/**
 * Demo variants on a page (server/deck/variants.ts renders them): a `.demo-variants` box holds
 * one `.demo` per variant and a tab each; one variant shows at a time, the others are
 * `hidden`. Here: switching the shown variant (a tab click, the `l` key, a run that starts on
 * a hidden variant), keeping the tabs' `aria-selected` in step. DOM only: what follows a
 * switch (fitting the shown terminal) is the caller's, through `onShown`.
 */
import type { IDisposable } from '@xterm/xterm';

const GROUP = '.demo-variants';

function variantsOf(group: Element): HTMLElement[] {
  return [...group.querySelectorAll<HTMLElement>(':scope > .demo')];
}

function tabsOf(group: Element): HTMLElement[] {
  return [...group.querySelectorAll<HTMLElement>(':scope > .demo-tabs [role="tab"]')];
}

/** Shows the `index`-th variant of `group` and hides the others; the shown demo, or null when it already showed. */
export function showVariant(group: Element, index: number): HTMLElement | null {
  const variants = variantsOf(group);
  const shown = variants[index];
  if (shown === undefined || !shown.hidden) return null;
  for (const [i, variant] of variants.entries()) variant.hidden = i !== index;
  for (const [i, tab] of tabsOf(group).entries()) tab.setAttribute('aria-selected', String(i === index));
  return shown;
}

/** Shows `demo` if it is a hidden variant of its group; true when it was switched to. */
export function showDemo(demo: HTMLElement): boolean {
  const group = demo.parentElement;
  if (group === null || !group.matches(GROUP) || !demo.hidden) return false;
  return showVariant(group, variantsOf(group).indexOf(demo)) !== null;
}

/** Whether `demo` is on show: not a hidden variant (a demo without variants always is). */
export function isShownVariant(demo: HTMLElement): boolean {
  return !demo.hidden;
}

/** Shows the next variant of every group under `root` (the `l` key); the demos now shown. */
export function cycleVariants(root: ParentNode): HTMLElement[] {
  const shown: HTMLElement[] = [];
  for (const group of root.querySelectorAll(GROUP)) {
    const variants = variantsOf(group);
    const current = variants.findIndex((variant) => !variant.hidden);
    const next = showVariant(group, (current + 1) % Math.max(1, variants.length));
    if (next !== null) shown.push(next);
  }
  return shown;
}

/** A click on a tab shows its variant; `onShown` gets the demo it showed. */
export function mountVariantTabs(root: ParentNode, onShown: (demo: HTMLElement) => void): IDisposable {
  const disposables: IDisposable[] = [];
  for (const group of root.querySelectorAll(GROUP)) {
    for (const [index, tab] of tabsOf(group).entries()) {
      const onClick = (event: MouseEvent): void => {
        // A click on a slide must not also reach reveal.js.
        event.stopPropagation();
        const shown = showVariant(group, index);
        if (shown !== null) onShown(shown);
      };
      tab.addEventListener('click', onClick);
      disposables.push({ dispose: () => tab.removeEventListener('click', onClick) });
    }
  }
  return { dispose: () => { for (const d of disposables.splice(0)) d.dispose(); } };
}

/** The `l` key's line in reveal.js's `?` help, and the key itself, where a page has variants. */
export const LANGUAGE_KEY = { keyCode: 76, key: 'L', description: 'Switch the language of the demos on this slide (Python / TypeScript)' } as const;
