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
  // The talk's position carries the shown variants: every screen of the room follows a switch.
  group.dispatchEvent(new CustomEvent(VARIANT_SHOWN, { bubbles: true, detail: shown }));
  return shown;
}

/** Fired (bubbling) on a group when it shows another variant; `detail` is the demo now shown. */
export const VARIANT_SHOWN = 'variantshown';

/** The index of the variant each group under `root` shows, in page order; null without groups. */
export function shownVariants(root: ParentNode): number[] | null {
  const groups = [...root.querySelectorAll(GROUP)];
  return groups.length === 0 ? null : groups.map((group) => Math.max(0, variantsOf(group).findIndex((variant) => !variant.hidden)));
}

/** Shows in each group under `root` the variant `indices` names for it. */
export function showVariants(root: ParentNode, indices: readonly number[]): void {
  for (const [i, group] of [...root.querySelectorAll(GROUP)].entries()) {
    const index = indices[i];
    if (index !== undefined) showVariant(group, index);
  }
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

/** Shows the next variant of every group under `root` (the `l` key). */
export function cycleVariants(root: ParentNode): void {
  for (const group of root.querySelectorAll(GROUP)) {
    const variants = variantsOf(group);
    const current = variants.findIndex((variant) => !variant.hidden);
    showVariant(group, (current + 1) % Math.max(1, variants.length));
  }
}

/**
 * A click on a tab shows its variant; `onShown` gets every demo a group under `root` shows
 * from now on, however it was switched (a tab, the `l` key, the talk's position, a run).
 */
export function mountVariantTabs(root: HTMLElement, onShown: (demo: HTMLElement) => void): IDisposable {
  const disposables: IDisposable[] = [];
  for (const group of root.querySelectorAll(GROUP)) {
    for (const [index, tab] of tabsOf(group).entries()) {
      const onClick = (event: MouseEvent): void => {
        // A click on a slide must not also reach reveal.js.
        event.stopPropagation();
        showVariant(group, index);
      };
      tab.addEventListener('click', onClick);
      disposables.push({ dispose: () => tab.removeEventListener('click', onClick) });
    }
  }
  const onSwitch = (event: Event): void => {
    if (event instanceof CustomEvent && event.detail instanceof HTMLElement) onShown(event.detail);
  };
  root.addEventListener(VARIANT_SHOWN, onSwitch);
  disposables.push({ dispose: () => root.removeEventListener(VARIANT_SHOWN, onSwitch) });
  return { dispose: () => { for (const d of disposables.splice(0)) d.dispose(); } };
}

/** The `l` key's line in reveal.js's `?` help, and the key itself, where a page has variants. */
export const LANGUAGE_KEY = { keyCode: 76, key: 'L', description: 'Switch the language of the demos on this slide (Python / TypeScript)' } as const;
