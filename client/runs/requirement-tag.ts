/** A demo with `requires=` says in its toolbar what Python it needs (`data-requires="3.14"` → "Python ≥ 3.14"), on stage and on the site. */
import type { TerminalView } from './terminal-view.ts';

export function tagRequirement(view: TerminalView, element: HTMLElement): void {
  const requires = element.dataset['requires'];
  if (requires !== undefined && requires !== '') view.showTag(`Python ≥ ${requires}`);
}
