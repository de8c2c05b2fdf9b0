/**
 * Stable ids for the deck's slides, for reveal.js's URL hash (`#/threads--race-conditions`)
 * and for keeping the speaker on the same slide while the deck changes: they come from
 * what a slide says, never from where it is, so inserting a slide above another leaves the
 * other's id alone. Pure: the deck in, ids out.
 */
import type { Deck, Section, Slide } from './model.ts';

/** Longest slug taken from a heading or a file name, so URLs stay readable. */
const MAX_SLUG_CHARS = 48;

/** Each slide's id: `<file stem>--<slug of its first heading>`, or `<file stem>--<hash of its text>` without one; `-2`, `-3` on repeats. */
export function slideIds(deck: Deck): Map<Slide, string> {
  return assignIds(deck).slides;
}

/** The id of each section that renders as one slide of errors only (it has errors and no slides). */
export function errorSlideIds(deck: Deck): Map<Section, string> {
  return assignIds(deck).errorSections;
}

/** Every rendered slide's id, by section, in deck order: a section's slides, or its one error slide. */
export function sectionSlideIds(deck: Deck): Map<Section, string[]> {
  const { slides, errorSections } = assignIds(deck);
  return new Map(
    deck.sections.map((section) => {
      const errorId = errorSections.get(section);
      return [section, errorId === undefined ? section.slides.flatMap((slide) => slides.get(slide) ?? []) : [errorId]];
    }),
  );
}

function assignIds(deck: Deck): { slides: Map<Slide, string>; errorSections: Map<Section, string> } {
  const prefixes = new Map(deck.sections.map((section) => [section, fileSlug(section.file)]));
  const errorBase = (section: Section): string | null => (section.slides.length === 0 && section.errors.length > 0 ? `${prefixes.get(section) ?? 'slides'}--errors` : null);
  const slideBase = (section: Section, slide: Slide): string => `${prefixes.get(section) ?? 'slides'}--${headingSlug(slide.markdown) ?? shortHash(slideText(slide))}`;
  // Every natural id is reserved first: a repeat's `-2` never takes the id another slide's own heading gives it.
  const natural = new Set(deck.sections.flatMap((section) => [errorBase(section) ?? [], section.slides.map((slide) => slideBase(section, slide))].flat()));
  const used = new Set<string>();
  const unique = (base: string): string => {
    let id = base;
    for (let n = 2; used.has(id) || (id !== base && natural.has(id)); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
  const slides = new Map<Slide, string>();
  const errorSections = new Map<Section, string>();
  for (const section of deck.sections) {
    const errorId = errorBase(section);
    if (errorId !== null) errorSections.set(section, unique(errorId));
    for (const slide of section.slides) slides.set(slide, unique(slideBase(section, slide)));
  }
  return { slides, errorSections };
}

/**
 * What a slide without a heading says: its Markdown, in which each demo line is a placeholder,
 * and the demos themselves (two slides that each show only a demo differ by their demos).
 */
function slideText(slide: Slide): string {
  const demos = slide.demos.map((demo) => `${demo.runtime}:${demo.path}#${demo.region ?? ''}`);
  return [slide.markdown, ...demos].join('\n');
}

/** `02-concepts.md` → `concepts`; a file named only by its number → `slides`. */
function fileSlug(file: string): string {
  const stem = (file.split('/').pop() ?? file).replace(/\.[^.]*$/, '').replace(/^\d+(?:[-_.\s]+|$)/, '');
  return slugify(stem) || 'slides';
}

/** Slug of the slide's first ATX heading (`#` … `######`) outside code fences, or null. */
function headingSlug(markdown: string): string | null {
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (heading) {
      const slug = slugify(plainText(heading[1] ?? ''));
      if (slug !== '') return slug;
    }
  }
  return null;
}

/** Inline Markdown to its words: `[text](url)` → text, `<b>x</b>` → x. */
function plainText(inline: string): string {
  return inline.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]*>/g, '');
}

/** Lower-case ASCII letters and digits joined by single dashes: `Don't share — in C++!` → `dont-share-in-c`. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, MAX_SLUG_CHARS).replace(/-+$/, '');
}

/** 8 hex digits of FNV-1a over the text: the same text gives the same id wherever it moves. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
