/**
 * The deck from disk: `slides/*.md` in file-name order (one file = one section), demo files
 * read through `resolveDemoPath`. The only module of the deck that does I/O.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Deck, DeckError, RemoteResource } from './model.ts';
import { parseSection } from './parse-deck.ts';
import { deckAllowsRemote } from './remote-resources.ts';
import { renderDeck } from './render-deck.ts';
import type { ReadDemo } from './render-deck.ts';
import { resolveDemoPath } from './resolve-demo.ts';

export interface LoadDeckOptions {
  readonly slidesDir: string;
  readonly demosDir: string;
}

export interface LoadedDeck {
  readonly deck: Deck;
  /** The slides, ready to go inside `.reveal .slides`. */
  readonly html: string;
  readonly errors: DeckError[];
  /** Whether the deck opts in to remote resources (`remote: allow`): the Content-Security-Policy follows it. */
  readonly allowRemote: boolean;
  /** Every reference to something on another host, loaded or blocked. */
  readonly remoteResources: readonly RemoteResource[];
}

export async function loadDeck({ slidesDir, demosDir }: LoadDeckOptions): Promise<LoadedDeck> {
  const files = await listSectionFiles(slidesDir);
  const sections = await Promise.all(files.map(async (file) => parseSection(file, await readFile(path.join(slidesDir, file), 'utf8'))));
  const deck: Deck = { sections };
  const { html, errors, remoteResources } = await renderDeck(deck, createDemoReader(demosDir));
  return { deck, html, errors, allowRemote: deckAllowsRemote(deck), remoteResources };
}

/** Section files: `*.md` directly in `slidesDir`, hidden files left out, sorted by name. */
async function listSectionFiles(slidesDir: string): Promise<string[]> {
  const entries = await readdir(slidesDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Reads demo files under `demosDir` only; null for anything missing or outside it. */
export function createDemoReader(demosDir: string): ReadDemo {
  return async (id) => {
    const file = resolveDemoPath(demosDir, id);
    return file === null ? null : readFile(file, 'utf8');
  };
}
