/**
 * `Deck` → the reveal.js slides (the `<section>`s inside `.reveal .slides`). Demo files come
 * through `readDemo`, so this module does no I/O of its own and tests hand it strings.
 * A broken slide renders as a visible error box and never breaks its neighbours.
 */
import MarkdownIt from 'markdown-it';
import type { MarkdownIt as Markdown } from 'markdown-it';
import { demoKeys } from './demo-keys.ts';
import type { Deck, DeckError, DemoLanguage, DemoRef, DemoTarget, RemoteResource, Section, Slide } from './model.ts';
import { DEMO_PLACEHOLDER_PATTERN } from './parse-deck.ts';
import { checkStepsFit, formatPythonRequirement, parseFenceSteps } from './parse-demo-line.ts';
import type { Parsed } from './parse-demo-line.ts';
import { extractRegion } from './regions.ts';
import { deckAllowsRemote, scanRemoteResources } from './remote-resources.ts';
import { errorSlideIds, slideIds } from './slide-ids.ts';
import { sourceVersion } from './source-version.ts';
import { regionStartLine } from './splice-region.ts';
import { chooseDemoLayout } from './demo-layout.ts';
import type { DemoLayout } from './demo-layout.ts';
import { addQrImages } from './qr-code.ts';
import { kindClass, slideKinds } from './slide-kind.ts';
import type { SlideKind } from './slide-kind.ts';
import { deckLanguage, defaultVariant, variantLabels } from './variants.ts';
import { languageOf, loadHighlighter } from './highlight.ts';
import type { HighlightCode } from './highlight.ts';
import { escapeHtml } from '../escape-html.ts';

/** A demo file's text by its path relative to `demos/`; null when missing or not allowed. */
export type ReadDemo = (path: string) => Promise<string | null>;

export interface RenderedDeck {
  readonly html: string;
  /** Every problem of the deck, parse-time and render-time, in slide order. */
  readonly errors: DeckError[];
  /** Every reference to something on another host, loaded or blocked, in slide order. */
  readonly remoteResources: RemoteResource[];
}

interface RenderContext {
  readonly md: Markdown;
  readonly highlight: HighlightCode;
  readonly readDemo: (path: string) => Promise<Parsed<string>>;
  readonly allowRemote: boolean;
  /** The deck's `language:`: the tab each group of demo variants opens on. */
  readonly language: DemoLanguage | null;
  /** Each demo's key (see `demo-keys.ts`), by the demo line it comes from. */
  readonly keys: ReadonlyMap<DemoRef, string>;
  /** Each slide's stable id (see `slide-ids.ts`), and that of each section shown as one slide of errors. */
  readonly slideIds: ReadonlyMap<Slide, string>;
  readonly errorSlideIds: ReadonlyMap<Section, string>;
  /** Each slide's kind (see `slide-kind.ts`): title, section divider, closing or content. */
  readonly kinds: ReadonlyMap<Slide, SlideKind>;
}

interface RenderedSlide {
  readonly html: string;
  readonly errors: readonly DeckError[];
  readonly remoteResources: readonly RemoteResource[];
}

export async function renderDeck(deck: Deck, readDemo: ReadDemo): Promise<RenderedDeck> {
  const highlight = await loadHighlighter();
  const keys = new Map([...demoKeys(deck)].map(([key, demo]) => [demo, key]));
  const context: RenderContext = {
    md: addQrImages(createMarkdown(highlight)),
    highlight,
    readDemo: cacheReads(readDemo),
    allowRemote: deckAllowsRemote(deck),
    language: deckLanguage(deck),
    keys,
    slideIds: slideIds(deck),
    errorSlideIds: errorSlideIds(deck),
    kinds: slideKinds(deck),
  };
  const html: string[] = [];
  const errors: DeckError[] = [];
  const remoteResources: RemoteResource[] = [];
  for (const section of deck.sections) {
    for (const slide of await renderSection(section, context)) {
      html.push(slide.html);
      errors.push(...slide.errors);
      remoteResources.push(...slide.remoteResources);
    }
  }
  return { html: html.join('\n'), errors, remoteResources };
}

function createMarkdown(highlight: HighlightCode): Markdown {
  return new MarkdownIt({
    html: true,
    typographer: true,
    // Steps were checked by the parser, which knows the fence's line; here they are only applied.
    highlight: (code, lang, attrs) => {
      const steps = parseFenceSteps(`${lang} ${attrs}`);
      return highlight(code.replace(/\n$/, ''), lang || 'text', steps.ok ? steps.value : []);
    },
  });
}

/** Reads each demo file once per render, and turns a throwing reader into an error. */
function cacheReads(readDemo: ReadDemo): RenderContext['readDemo'] {
  const reads = new Map<string, Promise<Parsed<string>>>();
  const read = async (path: string): Promise<Parsed<string>> => {
    try {
      const text = await readDemo(path);
      return text === null ? { ok: false, error: 'file not found in demos/' } : { ok: true, value: text };
    } catch (error) {
      return { ok: false, error: `cannot read file: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  return (path) => {
    let result = reads.get(path);
    if (!result) reads.set(path, (result = read(path)));
    return result;
  };
}

async function renderSection(section: Section, context: RenderContext): Promise<RenderedSlide[]> {
  if (section.slides.length === 0) {
    if (section.errors.length === 0) return [];
    const attributes = slideAttributes(section, { file: section.file, line: 1 }, true, context.errorSlideIds.get(section) ?? null);
    return [{ html: `<section ${attributes}>\n${section.errors.map(renderErrorBox).join('\n')}\n</section>`, errors: section.errors, remoteResources: [] }];
  }
  const slides: RenderedSlide[] = [];
  for (const [index, slide] of section.slides.entries()) {
    const rendered = await renderSlide(slide, section, index === 0, context);
    const sectionErrors = index === 0 ? section.errors : [];
    slides.push({ ...rendered, errors: [...sectionErrors, ...rendered.errors] });
  }
  return slides;
}

/**
 * A slide with every error it has at once: parse errors and demos that cannot be shown, a
 * box each, and blocked remote resources, a box per reason with a line each. A broken demo
 * hides the slide's content (it would show a hole); a blocked resource only loses its
 * reference, and the rest of the slide stays.
 */
async function renderSlide(slide: Slide, section: Section, first: boolean, context: RenderContext): Promise<RenderedSlide> {
  const demos = await Promise.all(slide.demos.map((demo) => renderDemo(demo, context)));
  const demoErrors = demos.flatMap((demo, i) => (demo.ok ? [] : demo.errors.map((message) => ({ file: slide.file, line: slide.demos[i]?.line ?? slide.line, message }))));
  const ownErrors = [...slide.errors, ...demoErrors].sort((a, b) => a.line - b.line);
  const body = renderMarkdown(slide.markdown, { file: slide.file, line: slide.line }, context);
  const notes = renderMarkdown(slide.notes, { file: slide.file, line: slide.notesLine ?? slide.line }, context);
  const remoteResources = [...body.remoteResources, ...notes.remoteResources];
  const remoteErrors = remoteResources.flatMap(({ file, line, url, via, blocked }) => (blocked === null ? [] : [{ file, line, message: `${via} ${url} not loaded: ${blocked}` }]));
  const shown = ownErrors.length > 0 ? new Map<number, string>() : placeDemos(slide, demos.map((demo) => (demo.ok ? demo.value : '')), context.language);
  const html = ownErrors.length > 0 ? '' : body.html.replace(DEMO_PLACEHOLDER_PATTERN, (placeholder: string, index: string) => shown.get(Number(index)) ?? placeholder);
  const boxes = [...[...(first ? section.errors : []), ...ownErrors].map(renderErrorBox), ...renderRemoteBoxes(remoteResources)];
  const aside = notes.html === '' ? '' : `<aside class="notes">\n${notes.html}\n</aside>`;
  const content = [...boxes, html.trimEnd(), aside].filter(Boolean).join('\n');
  const errors = [...ownErrors, ...remoteErrors].sort((a, b) => a.line - b.line);
  const showsDemos = ownErrors.length === 0 && slide.demos.length > 0;
  const shows = { demo: showsDemos, tabs: showsDemos && slide.groups.some((group) => group.length > 1) };
  return { html: `<section ${slideAttributes(section, slide, first, context.slideIds.get(slide) ?? null, context.kinds.get(slide) ?? null, shows)}>\n${content}\n</section>`, errors, remoteResources };
}

/** Markdown whose first line is `origin.line` of its file → HTML, with its remote references found (and disarmed unless allowed). */
function renderMarkdown(markdown: string, origin: { file: string; line: number }, context: RenderContext): { html: string; remoteResources: RemoteResource[] } {
  if (markdown === '') return { html: '', remoteResources: [] };
  const env = {};
  const tokens = context.md.parse(markdown, env);
  const found = scanRemoteResources(tokens, context.allowRemote);
  const remoteResources = found.map(({ line, ...reference }) => ({ file: origin.file, line: origin.line + line, ...reference }));
  return { html: context.md.renderer.render(tokens, context.md.options, env).trimEnd(), remoteResources };
}

/**
 * What each demo's placeholder becomes: a demo alone its own box; a group of variants one box
 * with a tab per variant, at its first demo's place (the others' placeholders go). Every
 * variant keeps its own `.demo` (own key, own run); all but the default one are hidden.
 */
function placeDemos(slide: Slide, html: readonly string[], language: DemoLanguage | null): Map<number, string> {
  const placed = new Map<number, string>();
  for (const group of slide.groups) {
    const [first] = group;
    if (first === undefined) continue;
    if (group.length === 1) {
      placed.set(first, `${html[first] ?? ''}\n`);
      continue;
    }
    const variants = group.flatMap((index) => slide.demos[index] ?? []);
    const shown = defaultVariant(variants, language);
    const labels = variantLabels(variants);
    const tabs = labels.map((label, i) => `    <button type="button" role="tab" class="demo-tab" data-variant="${i}" aria-selected="${i === shown}">${escapeHtml(label)}</button>`);
    const panes = group.map((index, i) => {
      const demo = html[index] ?? '';
      return i === shown ? demo : demo.replace(/^<div /, '<div hidden ');
    });
    placed.set(first, `<div class="demo-variants" data-default-variant="${shown}">\n  <div class="demo-tabs" role="tablist" aria-label="Language of the demo">\n${tabs.join('\n')}\n  </div>\n${panes.join('\n')}\n</div>\n`);
    for (const index of group.slice(1)) placed.set(index, '');
  }
  return placed;
}

/** A demo's HTML, or every reason it cannot be shown (its own file, its steps, each typing target). */
type RenderedDemo = { ok: true; value: string } | { ok: false; errors: string[] };

async function renderDemo(demo: DemoRef, context: RenderContext): Promise<RenderedDemo> {
  const [shown, ...typing] = await Promise.all([readShown(demo, 'demo', context), ...demo.typing.map((target) => readShown(target, 'typing target', context))]);
  const errors = [shown, ...typing].flatMap((read) => (read?.ok === false ? [read.error] : []));
  if (shown?.ok) {
    const outOfRange = checkStepsFit(demo.steps, shown.value.code.split('\n').length);
    if (outOfRange) errors.unshift(`${targetLabel('demo', demo)}: ${outOfRange}`);
  }
  if (!shown?.ok || errors.length > 0) return { ok: false, errors };
  const { code, source } = shown.value;
  const pre = context.highlight(code, languageOf(demo.runtime), demo.steps);
  const attributes = demoAttributes(demo, context.keys.get(demo) ?? null, { version: sourceVersion(source), firstLine: regionStartLine(source, demo.region) }, chooseDemoLayout(code));
  const templates = demo.typing.map((target, i) => {
    const read = typing[i];
    return read?.ok ? `\n  <template class="demo-typing" data-target="${escapeHtml(targetName(target))}">${escapeHtml(read.value.code)}</template>` : '';
  });
  return { ok: true, value: `<div ${attributes}>\n  <div class="demo-code">${pre}</div>\n  <div class="demo-terminal"></div>${templates.join('')}\n</div>` };
}

/** A file's shown code (its region, dedented) and its whole text; or what is wrong, naming it. */
async function readShown(target: DemoTarget, noun: 'demo' | 'typing target', context: RenderContext): Promise<Parsed<{ code: string; source: string }>> {
  const label = targetLabel(noun, target);
  const source = await context.readDemo(target.path);
  if (!source.ok) return { ok: false, error: `${label}: ${source.error}` };
  const code = extractRegion(source.value, target.region);
  if (!code.ok) return { ok: false, error: `${label}: ${code.error}` };
  return { ok: true, value: { code: code.value, source: source.value } };
}

function targetName(target: DemoTarget): string {
  return `${target.path}${target.region === null ? '' : `#${target.region}`}`;
}

function targetLabel(noun: 'demo' | 'typing target', target: DemoTarget): string {
  return `${noun} ${targetName(target)}`;
}

/**
 * What the page needs to show, ask for and edit a demo: its key, the version of its file (to
 * save against) and the file line its shown code starts at. Its runtime, file and limits the
 * server takes from its own deck, by key.
 */
function demoAttributes(demo: DemoRef, key: string | null, file: { version: string; firstLine: number }, layout: DemoLayout): string {
  return attributes({
    class: 'demo',
    'data-layout': layout,
    'data-demo': demo.path,
    'data-demo-key': key,
    'data-runtime': demo.runtime,
    'data-expect': demo.expect,
    'data-input': demo.input ? '' : null,
    'data-timing': demo.timing ? '' : null,
    // The slide shows the demo's timeline from the start (the `i` key toggles it).
    'data-timeline': demo.timeline ? '' : null,
    'data-version': file.version,
    'data-first-line': file.firstLine,
    'data-requires': demo.requires === null ? null : formatPythonRequirement(demo.requires),
  });
}

/**
 * `id` is what reveal.js puts in the URL (`#/concepts--race`); `data-slide-id` says the same for the page's own code.
 * `with-demo` and `with-demo-tabs` say what the slide shows, for the theme: a `:has()` rule
 * would do it, but makes every row a running terminal draws re-style the whole slide.
 */
function slideAttributes(section: Section, slide: Pick<Slide, 'file' | 'line'>, first: boolean, id: string | null, kind: SlideKind | null = null, shows = { demo: false, tabs: false }): string {
  const classes = [kind === null ? null : kindClass(kind), shows.demo ? 'with-demo' : null, shows.tabs ? 'with-demo-tabs' : null].filter((c) => c !== null);
  return attributes({
    id,
    class: classes.length === 0 ? null : classes.join(' '),
    'data-slide-id': id,
    'data-file': slide.file,
    'data-line': slide.line,
    'data-section-title': section.title,
    'data-section-start': first ? '' : null,
    'data-minutes': first ? section.minutes : null,
  });
}

/** Blocked remote resources, one box per reason with a line each: many of them must not push the slide out of view. */
function renderRemoteBoxes(resources: readonly RemoteResource[]): string[] {
  const byReason = new Map<string, RemoteResource[]>();
  for (const resource of resources) {
    if (resource.blocked !== null) byReason.set(resource.blocked, [...(byReason.get(resource.blocked) ?? []), resource]);
  }
  return [...byReason].map(([reason, blocked]) => {
    const lines = blocked.map(({ file, line, via, url }) => `<strong>${escapeHtml(`${file}:${line}`)}</strong> ${escapeHtml(`${via} ${url}`)}`);
    return `<div class="slide-error" role="alert">Not loaded: ${escapeHtml(reason)}\n${lines.join('\n')}</div>`;
  });
}

function renderErrorBox(error: DeckError): string {
  return `<div class="slide-error" role="alert"><strong>${escapeHtml(`${error.file}:${error.line}`)}</strong> ${escapeHtml(error.message)}</div>`;
}

/** `name="value"` pairs; null values are left out, '' gives a bare attribute. */
function attributes(values: Record<string, string | number | null>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== null)
    .map(([name, value]) => (value === '' ? name : `${name}="${escapeHtml(String(value))}"`))
    .join(' ');
}
