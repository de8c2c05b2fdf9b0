/**
 * The typing targets of a deck (`typing=` on a demo line), as `npm run check` checks them: each
 * is the code the speaker will "type" into the demo's shown code, so the demo with it spliced
 * in at its region has to check statically and run to the demo's expected outcome, like the
 * demo itself. This module finds them and splices them; `check-deck.ts` checks and runs them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Deck, DemoRef, DemoTarget } from '../../server/deck/model.ts';
import { extractRegion } from '../../server/deck/regions.ts';
import { resolveDemoPath } from '../../server/deck/resolve-demo.ts';
import { spliceRegion } from '../../server/deck/splice-region.ts';

export interface TypingUse {
  /** The demo line that names the target: its runtime, file, region, limits and expected outcome. */
  readonly ref: DemoRef;
  readonly target: DemoTarget;
  /** `python concepts/race.py#race typing=concepts/race_locked.py#locked`. */
  readonly label: string;
  /** Where the slide names it: `02-concepts.md:14`. */
  readonly where: string;
  /** The demo's and the target's files, or null when missing (the slide shows that error already). */
  readonly demoFile: string | null;
  readonly targetFile: string | null;
}

/** Each demo and target pair once, however many slides name it; the first slide names it. */
export function collectTypingUses(deck: Deck, demosDir: string): TypingUse[] {
  const uses = new Map<string, TypingUse>();
  for (const section of deck.sections) {
    for (const slide of section.slides) {
      for (const ref of slide.demos) {
        for (const target of ref.typing) {
          const label = `${ref.runtime} ${named(ref)} typing=${named(target)}`;
          if (uses.has(label)) continue;
          uses.set(label, { ref, target, label, where: `${section.file}:${ref.line}`, demoFile: resolveDemoPath(demosDir, ref.path), targetFile: resolveDemoPath(demosDir, target.path) });
        }
      }
    }
  }
  return [...uses.values()];
}

function named(target: DemoTarget): string {
  return target.region === null ? target.path : `${target.path}#${target.region}`;
}

export type SplicedTyping =
  | { readonly ok: true; readonly source: string }
  /** `reported`: the deck's slide errors list this problem already (a missing file or region). */
  | { readonly ok: false; readonly error: string; readonly reported: boolean };

/** The demo's full source with the target's shown code in place of the demo's shown code. */
export async function spliceTyping(use: TypingUse): Promise<SplicedTyping> {
  if (use.demoFile === null) return { ok: false, error: `missing: no file demos/${use.ref.path}`, reported: true };
  if (use.targetFile === null) return { ok: false, error: `missing: no file demos/${use.target.path}`, reported: true };
  const [demoText, targetText] = await Promise.all([readFile(use.demoFile, 'utf8'), readFile(use.targetFile, 'utf8')]);
  const shown = extractRegion(targetText, use.target.region);
  if (!shown.ok) return { ok: false, error: `typing target ${named(use.target)}: ${shown.error}`, reported: true };
  const demoShown = extractRegion(demoText, use.ref.region);
  if (!demoShown.ok) return { ok: false, error: `demo ${named(use.ref)}: ${demoShown.error}`, reported: true };
  const spliced = spliceRegion(demoText, use.ref.region, shown.value);
  return spliced.ok ? { ok: true, source: spliced.value } : { ok: false, error: `cannot splice it in: ${spliced.error}`, reported: false };
}

/**
 * Where the spliced demo is checked as if it were a file: beside the demo, so its imports
 * resolve as the demo's do, with the demo's extension. It is never written.
 */
export function splicedPath(demoFile: string, index: number): string {
  const extension = path.extname(demoFile);
  return path.join(path.dirname(demoFile), `${path.basename(demoFile, extension)}.typing-${index + 1}${extension}`);
}
