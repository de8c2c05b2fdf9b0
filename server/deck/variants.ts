/**
 * Demo variants: demo lines directly one after the other are one group on the page, one tab
 * per variant (a Python and a TypeScript take on the same point). Which tab a group opens on
 * follows the deck's `language:`; what a tab is called follows the variant's runtime. Pure.
 */
import type { Deck, DemoLanguage, DemoRef } from './model.ts';
import type { RuntimeName } from '../runtimes.ts';

const LANGUAGE_OF: Readonly<Record<RuntimeName, DemoLanguage>> = { python: 'python', worker: 'typescript', process: 'typescript' };
const LANGUAGE_LABEL: Readonly<Record<DemoLanguage, string>> = { python: 'Python', typescript: 'TypeScript' };

export function languageOfRuntime(runtime: RuntimeName): DemoLanguage {
  return LANGUAGE_OF[runtime];
}

/** The language the talk is presented in: the first section's `language:`, or null (each group opens on its first variant). */
export function deckLanguage(deck: Deck): DemoLanguage | null {
  return deck.sections[0]?.language ?? null;
}

/** The variant a group shows first: the first in the deck's language, else the first of all. */
export function defaultVariant(variants: readonly Pick<DemoRef, 'runtime'>[], language: DemoLanguage | null): number {
  const index = language === null ? -1 : variants.findIndex((demo) => languageOfRuntime(demo.runtime) === language);
  return Math.max(0, index);
}

/**
 * Each variant's tab label: its language ("Python", "TypeScript"); two variants of one
 * language are told apart by runtime ("TypeScript · worker", "TypeScript · process").
 */
export function variantLabels(variants: readonly Pick<DemoRef, 'runtime'>[]): string[] {
  const languages = variants.map((demo) => languageOfRuntime(demo.runtime));
  return variants.map((demo, i) => {
    const language = languages[i] ?? 'python';
    const shared = languages.filter((l) => l === language).length > 1;
    return shared ? `${LANGUAGE_LABEL[language]} · ${demo.runtime}` : LANGUAGE_LABEL[language];
  });
}
