/**
 * The demos a deck runs, each once per runtime and file however many slides embed it, with
 * the first slide that does (`02-concepts.md:86`): what `npm run check` runs and
 * `npm run record` records.
 */
import type { Deck, DemoRef } from '../../server/deck/model.ts';
import { resolveDemoPath } from '../../server/deck/resolve-demo.ts';

export interface DemoUse {
  readonly ref: DemoRef;
  /** Where the slide embeds it: `02-concepts.md:14`. */
  readonly where: string;
  /** The demo's absolute path, or null when `demos/` has no such file. */
  readonly file: string | null;
}

/** Keyed `<runtime> <path>` (`python concepts/deadlock.py`), in slide order. */
export function collectDemoUses(deck: Deck, demosDir: string): Map<string, DemoUse> {
  const uses = new Map<string, DemoUse>();
  for (const section of deck.sections) {
    for (const slide of section.slides) {
      for (const ref of slide.demos) {
        const key = `${ref.runtime} ${ref.path}`;
        if (!uses.has(key)) uses.set(key, { ref, where: `${section.file}:${ref.line}`, file: resolveDemoPath(demosDir, ref.path) });
      }
    }
  }
  return uses;
}
