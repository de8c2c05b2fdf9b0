/**
 * What kind of slide each slide is, for its look: the deck's first slide is the title slide,
 * its last the closing slide, and a slide whose body is only a `#` heading (and at most one
 * short line under it) is a section divider. No syntax to learn: the renderer decides from
 * the slides as written. Pure: the parsed deck in, a kind per slide out.
 */
import type { Deck, Slide } from './model.ts';

export type SlideKind = 'title' | 'section' | 'closing' | 'content';

/** A divider's optional line: a subtitle, not a paragraph. */
export const DIVIDER_LINE_MAX = 80;

export function slideKinds(deck: Deck): Map<Slide, SlideKind> {
  const slides = deck.sections.flatMap((section) => section.slides);
  return new Map(slides.map((slide, i) => [slide, kindOf(slide, i === 0, i === slides.length - 1)]));
}

function kindOf(slide: Slide, first: boolean, last: boolean): SlideKind {
  if (first) return 'title';
  if (last) return 'closing';
  return slide.demos.length === 0 && isDivider(slide.markdown) ? 'section' : 'content';
}

/**
 * Only a level-1 heading, then at most one short plain line. Comments (a time override, a
 * demo's placeholder) do not count, so the caller rules out slides with demos.
 */
export function isDivider(markdown: string): boolean {
  const lines = markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const [heading, subtitle, ...rest] = lines;
  if (heading === undefined || !/^#\s+\S/.test(heading) || rest.length > 0) return false;
  if (subtitle === undefined) return true;
  return subtitle.length <= DIVIDER_LINE_MAX && !/^(?:[#>|`-]|[*+]\s|\d+[.)]\s|<<<|!\[)/.test(subtitle);
}

/** The CSS class the renderer puts on a slide of `kind`. */
export function kindClass(kind: SlideKind): string {
  return `slide-${kind}`;
}
