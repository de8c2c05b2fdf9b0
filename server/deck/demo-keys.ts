/**
 * A stable name for every demo a deck embeds, so a page can ask to run "this demo" and the
 * server takes its runtime, file and limits from its own parsed deck. Pure.
 *
 *   python:threads/race.py#race      the first slide that embeds it
 *   python:threads/race.py#race~2    the second, in deck order
 *
 * A key depends only on the demo line itself and on how many earlier lines name the same
 * demo, so editing unrelated slides leaves every key as it was.
 */
import type { Deck, DemoRef } from './model.ts';

/** `${runtime}:${path}`, plus `#${region}` when the demo shows a region. */
export function baseDemoKey(demo: Pick<DemoRef, 'runtime' | 'path' | 'region'>): string {
  return `${demo.runtime}:${demo.path}${demo.region === null ? '' : `#${demo.region}`}`;
}

/** Every demo of the deck by its key, in deck order; the n-th use of the same base key (n ≥ 2) gets `~n`. */
export function demoKeys(deck: Deck): Map<string, DemoRef> {
  const keys = new Map<string, DemoRef>();
  const uses = new Map<string, number>();
  for (const section of deck.sections) {
    for (const slide of section.slides) {
      for (const demo of slide.demos) {
        const base = baseDemoKey(demo);
        const count = (uses.get(base) ?? 0) + 1;
        uses.set(base, count);
        keys.set(count === 1 ? base : `${base}~${count}`, demo);
      }
    }
  }
  return keys;
}
