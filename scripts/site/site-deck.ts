/**
 * The deck as the hosted site shows it: rendered as the server renders it, speaker notes
 * left out unless asked for, and refused whole when any slide has an error (a live deck
 * shows the error box to the speaker; a published one must not).
 */
import path from 'node:path';
import type { Deck } from '../../server/deck/model.ts';
import { createDemoReader, loadDeck } from '../../server/deck/load-deck.ts';
import { renderDeck } from '../../server/deck/render-deck.ts';
import { slugify } from '../../server/deck/slide-ids.ts';

export interface SiteDeck {
  readonly title: string;
  /** The title as a file name: `concurrency-in-python`. */
  readonly slug: string;
  /** The slides, ready to go inside `.reveal .slides`. */
  readonly html: string;
  /** The deck's `remote: allow`: the page's Content-Security-Policy follows it. */
  readonly allowRemote: boolean;
}

export async function loadSiteDeck(root: string, options: { notes: boolean }): Promise<SiteDeck> {
  const demosDir = path.join(root, 'demos');
  const loaded = await loadDeck({ slidesDir: path.join(root, 'slides'), demosDir });
  if (loaded.errors.length > 0) {
    const lines = loaded.errors.map((error) => `  ${error.file}:${error.line} ${error.message}`);
    throw new Error(`the deck has ${loaded.errors.length} error(s); fix them (npm run check lists them) before publishing it:\n${lines.join('\n')}`);
  }
  // Slide ids do not depend on the notes, so a deck rendered without them keeps its URLs.
  const html = options.notes ? loaded.html : (await renderDeck(withoutNotes(loaded.deck), createDemoReader(demosDir))).html;
  const title = loaded.deck.sections[0]?.title ?? 'Deck';
  return { title, slug: slugify(title) || 'deck', html, allowRemote: loaded.allowRemote };
}

function withoutNotes(deck: Deck): Deck {
  return { sections: deck.sections.map((section) => ({ ...section, slides: section.slides.map((slide) => ({ ...slide, notes: '', notesLine: null })) })) };
}
