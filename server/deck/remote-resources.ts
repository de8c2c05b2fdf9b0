/**
 * Finds everything in a slide's Markdown and raw HTML that would make the page fetch from
 * another host (`![](https://…)`, `<img src|srcset>`, `<video|audio|source|iframe src>`,
 * `<link href>`, CSS `url()` in style attributes and `<style>`, reveal.js's `data-src`,
 * `//host/…`), with its line, and disarms the ones that are blocked so the page never requests them: a deck that
 * fails on a plane, or tells third parties who is presenting when, is a broken deck.
 * Pure: markdown-it tokens in, the same tokens rewritten plus a list out.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { Deck } from './model.ts';
import { isQrUrl } from './qr-code.ts';

export interface RemoteReference {
  readonly url: string;
  /** What refers to it, as the speaker wrote it: `![](…)`, `<img src>`, `<style> url()`, … */
  readonly via: string;
  /** 0-based line in the Markdown the tokens were parsed from. */
  readonly line: number;
  /** Null when the page may load it; else why not (the reference has been disarmed). */
  readonly blocked: string | null;
}

/** Why a reference is blocked when the deck has not opted in. */
export const NOT_OPTED_IN = 'the deck does not say `remote: allow` (in its first section’s front matter)';

/** A deck opts in with `remote: allow` in its first section's front matter. */
export function deckAllowsRemote(deck: Deck): boolean {
  return deck.sections[0]?.remote === 'allow';
}

/**
 * Every remote reference in `tokens`, in source order. Blocked ones are disarmed in place:
 * the attribute is renamed `data-remote-<name>` and a CSS URL becomes `about:invalid`.
 * With `allowRemote`, images, media, fonts and styles over https: stay; frames, scripts,
 * plugins and plain-http URLs are blocked all the same, as the Content-Security-Policy would.
 */
export function scanRemoteResources(tokens: Token[], allowRemote: boolean): RemoteReference[] {
  const found: RemoteReference[] = [];
  const scanner = new HtmlScanner((url, via, line, optInLoads) => {
    const blocked = !allowRemote ? NOT_OPTED_IN : optInLoads ? httpsOnly(url) : 'frames, scripts and plugins never load from another host, even with `remote: allow`';
    found.push({ url, via, line, blocked });
    return blocked !== null;
  });
  let line = 0;
  for (const token of tokens) {
    line = token.map?.[0] ?? line;
    if (token.type === 'html_block') token.content = scanner.html(token.content, line);
    else if (token.type === 'inline') scanInline(token.children ?? [], line, scanner);
  }
  return found;
}

function httpsOnly(url: string): string | null {
  return /^https:/i.test(normalizeUrl(url)) ? null : 'only https: URLs load, even with `remote: allow`';
}

function scanInline(children: readonly Token[], firstLine: number, scanner: HtmlScanner): void {
  let line = firstLine;
  for (const child of children) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
    else if (child.type === 'html_inline') {
      child.content = scanner.html(child.content, line);
      line += countLines(child.content);
    } else if (child.type === 'text') child.content = scanner.text(child.content, line);
    else if (child.type === 'image') {
      const attr = child.attrGet('src');
      const src = attr === null ? null : String(attr);
      if (src !== null && isRemoteUrl(src) && scanner.report(src, '![](…)', line, true)) disarmAttribute(child, 'src');
      line += (child.children ?? []).filter((c) => c.type === 'softbreak' || c.type === 'hardbreak').length;
    }
  }
}

function disarmAttribute(token: Token, name: string): void {
  const value = String(token.attrGet(name) ?? '');
  token.attrs = (token.attrs ?? []).filter(([attr]) => attr !== name);
  token.attrSet(`data-remote-${name}`, value);
}

// ---------------------------------------------------------------- URLs

/** As a browser reads a URL: surrounding spaces and controls trimmed, tabs and newlines dropped. */
function normalizeUrl(url: string): string {
  let start = 0;
  let end = url.length;
  while (start < end && url.charCodeAt(start) <= 0x20) start++;
  while (end > start && url.charCodeAt(end - 1) <= 0x20) end--;
  return url.slice(start, end).replace(/[\t\n\r]/g, '');
}

/**
 * Whether a browser would fetch `url` from another host: a network scheme, or any
 * `scheme://` or protocol-relative `//host` (`\` counts as `/`). Relative paths and
 * `data:`/`blob:` stay on the page.
 */
export function isRemoteUrl(url: string): boolean {
  // `qr:…` asks for a QR code made here (qr-code.ts): what follows is data, never fetched.
  if (isQrUrl(normalizeUrl(url))) return false;
  return /^(?:(?:https?|ftps?|wss?):|(?:[a-z][a-z\d+.-]*:)?[\\/]{2})/i.test(normalizeUrl(url));
}

const { unescapeAll } = new MarkdownIt().utils;

/** An HTML attribute value as the browser reads it: character references decoded. */
function decodeAttribute(value: string): string {
  return value.replace(/&(?:#[xX]([\da-fA-F]+)|#(\d+)|[A-Za-z][A-Za-z\d]*);?/g, (reference: string, hex?: string, decimal?: string) => {
    const code = hex !== undefined ? parseInt(hex, 16) : decimal !== undefined ? Number(decimal) : null;
    if (code === null) return unescapeAll(reference.endsWith(';') ? reference : `${reference};`);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}

function encodeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function countLines(text: string, end = text.length): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

// ---------------------------------------------------------------- CSS

const BLOCKED_CSS_URL = 'url(about:invalid)';

/** CSS strings and unquoted `url()` contents, escapes included. */
const CSS_DOUBLE = String.raw`"((?:\\[^]|[^"\\])*)"`;
const CSS_SINGLE = String.raw`'((?:\\[^]|[^'\\])*)'`;
const CSS_BARE = String.raw`((?:\\[\da-fA-F]{1,6}\s?|\\[^]|[^)"'\s\\])*)`;
/** `url(…)`, `@import "…"` and the strings of `image-set(…)`: seven groups, one holding the URL as written. */
const CSS_REFERENCE = new RegExp(
  String.raw`url\(\s*(?:${CSS_DOUBLE}|${CSS_SINGLE}|${CSS_BARE})\s*\)|@import\s*(?:${CSS_DOUBLE}|${CSS_SINGLE})|(?<=image-set\((?:[^)]*,)?\s*)(?:${CSS_DOUBLE}|${CSS_SINGLE})`,
  'gi',
);

/**
 * Reports each remote URL in CSS (`url()`, `@import "…"`, `image-set("…")`); blocked ones
 * become `about:invalid`. Escapes are decoded only to judge a URL: the rest stays as written.
 */
function scanCss(css: string, via: string, report: (url: string, via: string, offset: number) => boolean): string {
  return css.replace(CSS_REFERENCE, (match: string, ...groups: unknown[]) => {
    const written = groups.slice(0, 7).find((group): group is string => typeof group === 'string') ?? '';
    const url = decodeCssEscapes(written);
    if (!isRemoteUrl(url)) return match;
    const kind = match.startsWith('@') ? '@import' : match.toLowerCase().startsWith('url(') ? 'url()' : 'image-set()';
    if (!report(url, `${via} ${kind}`, groups[7] as number)) return match;
    return kind === '@import' ? `@import ${BLOCKED_CSS_URL}` : kind === 'url()' ? BLOCKED_CSS_URL : '"about:invalid"';
  });
}

/** `\68 ttps` → `https`: CSS escapes, as the browser reads them. */
function decodeCssEscapes(css: string): string {
  return css.replace(/\\([\da-fA-F]{1,6})[ \t]?|\\([^\n\da-fA-F])/g, (_escape: string, hex?: string, char?: string) => {
    if (char !== undefined) return char;
    const code = parseInt(hex ?? '0', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}

// ---------------------------------------------------------------- HTML

/** Elements whose content the browser does not parse as HTML (style is CSS, the rest inert text). */
const RAW_TEXT = new Set(['style', 'script', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'noscript', 'iframe', 'plaintext']);

/** What an attribute makes the page load, and whether `remote: allow` lets it. */
interface Load {
  readonly optInLoads: boolean;
  readonly list: boolean;
}

/**
 * Attributes that load something, by element. reveal.js loads its own too: `data-src` and
 * `data-srcset` (lazy loading) as the slide comes near, and a nested `<section>`'s
 * `data-background-*`. `<a href>` is a link, not a resource.
 */
function loadOf(element: string, attribute: string): Load | null {
  const single = { optInLoads: true, list: false };
  const list = { optInLoads: true, list: true };
  const never = { optInLoads: false, list: false };
  switch (attribute) {
    case 'src':
    case 'data-src':
      return ['iframe', 'frame', 'embed', 'script'].includes(element) ? never : single;
    case 'srcset':
    case 'imagesrcset':
    case 'data-srcset':
    case 'data-background-image':
    case 'data-background-video':
      return list;
    case 'poster':
    case 'background':
    case 'data-background':
      return single;
    case 'data-background-iframe':
      return never;
    case 'data':
      return element === 'object' ? never : null;
    case 'href':
    case 'xlink:href':
      return ['link', 'image', 'use', 'feimage'].includes(element) ? single : null;
    default:
      return null;
  }
}

interface Attribute {
  readonly name: string;
  readonly nameStart: number;
  /** Raw value (character references not decoded) and where it sits, quotes excluded; null for a bare attribute. */
  readonly value: string | null;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly quoted: boolean;
}

type Report = (url: string, via: string, line: number, optInLoads: boolean) => boolean;

/**
 * Reads raw HTML the way a browser tokenizes it (lenient: `<img/src=…>` is an image), one
 * piece after another, remembering across pieces when it is inside `<style>` or another
 * raw-text element: markdown-it may split one element over several tokens.
 */
class HtmlScanner {
  private rawText: string | null = null;

  constructor(private readonly onReference: Report) {}

  /** Reports one reference; true when it is blocked and must be disarmed. */
  report(url: string, via: string, line: number, optInLoads: boolean): boolean {
    return this.onReference(url, via, line, optInLoads);
  }

  /** Text markdown-it renders escaped: harmless, except as the content of a `<style>`. */
  text(text: string, line: number): string {
    return this.rawText === 'style' ? this.css(text, '<style>', line) : text;
  }

  /** Raw HTML starting at `line`; returns it with blocked references disarmed. */
  html(html: string, line: number): string {
    let out = '';
    let pos = 0;
    while (pos < html.length) {
      if (this.rawText !== null) {
        const close = html.slice(pos).search(new RegExp(`</${this.rawText}[\\s/>]`, 'i'));
        const end = close < 0 ? html.length : pos + close;
        const content = html.slice(pos, end);
        out += this.rawText === 'style' ? this.css(content, '<style>', line + countLines(html, pos)) : content;
        if (close >= 0) this.rawText = null;
        pos = end;
        continue;
      }
      const next = html.indexOf('<', pos);
      if (next < 0) return out + html.slice(pos);
      out += html.slice(pos, next);
      const skip = skipMarkup(html, next);
      if (skip !== null) {
        out += html.slice(next, skip);
        pos = skip;
        continue;
      }
      const tag = readTag(html, next);
      if (tag === null) {
        out += '<';
        pos = next + 1;
        continue;
      }
      out += this.tag(html.slice(next, tag.end), tag.name, tag.attributes.map((a) => shift(a, -next)), line + countLines(html, next));
      // `<style/>` opens a style element in HTML all the same.
      if (RAW_TEXT.has(tag.name)) this.rawText = tag.name;
      pos = tag.end;
    }
    return out;
  }

  private css(css: string, via: string, line: number): string {
    return scanCss(css, via, (url, what, offset) => this.report(url, what, line + countLines(css, offset), true));
  }

  /** One start tag: each remote reference reported, blocked ones disarmed. */
  private tag(source: string, element: string, attributes: readonly Attribute[], line: number): string {
    const edits: { start: number; end: number; text: string }[] = [];
    for (const attribute of attributes) {
      if (attribute.value === null) continue;
      const value = decodeAttribute(attribute.value);
      const at = line + countLines(source, attribute.valueStart);
      const via = `<${element} ${attribute.name}>`;
      if (attribute.name === 'style') {
        const css = this.css(value, `<${element} style>`, at);
        if (css !== value) {
          const [start, end] = attribute.quoted ? [attribute.valueStart - 1, attribute.valueEnd + 1] : [attribute.valueStart, attribute.valueEnd];
          edits.push({ start, end, text: `"${encodeAttribute(css)}"` });
        }
        continue;
      }
      const load = loadOf(element, attribute.name);
      if (load === null) continue;
      const urls = load.list ? value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '') : [value];
      // A srcset may spread its candidates over several lines.
      const lineOf = (url: string): number => line + countLines(source, attribute.valueStart + Math.max(0, attribute.value?.indexOf(url) ?? 0));
      const blocked = urls.filter((url) => isRemoteUrl(url)).map((url) => this.report(url, via, lineOf(url), load.optInLoads));
      if (blocked.includes(true)) edits.push({ start: attribute.nameStart, end: attribute.nameStart + attribute.name.length, text: `data-remote-${attribute.name}` });
    }
    let out = source;
    for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    return out;
  }
}

function shift(attribute: Attribute, by: number): Attribute {
  return { ...attribute, nameStart: attribute.nameStart + by, valueStart: attribute.valueStart + by, valueEnd: attribute.valueEnd + by };
}

/** Comments, `<!…>`, `<?…>` and end tags: where they end, or null when `pos` starts none. */
function skipMarkup(html: string, pos: number): number | null {
  const end = (marker: string, from: number): number => {
    const at = html.indexOf(marker, from);
    return at < 0 ? html.length : at + marker.length;
  };
  if (html.startsWith('<!--', pos)) return end('-->', pos + 4);
  if (/^<[!?]/.test(html.slice(pos, pos + 2))) return end('>', pos + 2);
  if (/^<\/[A-Za-z]/.test(html.slice(pos, pos + 3))) return end('>', pos + 2);
  return null;
}

interface Tag {
  readonly name: string;
  readonly attributes: readonly Attribute[];
  readonly end: number;
}

/** The start tag at `pos` (`<` then a letter), tokenized as HTML does; positions are in `html`. */
function readTag(html: string, pos: number): Tag | null {
  const nameMatch = /^<([A-Za-z][^\s/>]*)/.exec(html.slice(pos, pos + 256));
  if (!nameMatch?.[1]) return null;
  const name = nameMatch[1].toLowerCase();
  const attributes: Attribute[] = [];
  const attribute = /[\s/]*([^\s/>][^\s/>=]*)?(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/y;
  let at = pos + nameMatch[0].length;
  while (at < html.length && html[at] !== '>') {
    attribute.lastIndex = at;
    const match = attribute.exec(html);
    if (!match || match[0] === '') break;
    const [whole, attrName, double, single, bare] = match;
    at += whole.length;
    if (attrName === undefined) continue;
    const value = double ?? single ?? bare ?? null;
    const valueEnd = at - (double !== undefined || single !== undefined ? 1 : 0);
    attributes.push({
      name: attrName.toLowerCase(),
      nameStart: at - whole.length + whole.indexOf(attrName),
      value,
      valueStart: value === null ? valueEnd : valueEnd - value.length,
      valueEnd,
      quoted: double !== undefined || single !== undefined,
    });
  }
  const end = at < html.length ? at + 1 : html.length;
  return { name, attributes, end };
}
