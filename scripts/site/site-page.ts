/**
 * The site's one HTML page: the slides inside reveal.js's markup, as server/page.ts writes
 * the live page, but with its policy in a `<meta>` and no token, socket or revision. Its
 * script and stylesheet are linked files, or inline in the single file (with the recordings
 * as JSON data blocks beside them).
 */
import { escapeHtml } from '../../server/escape-html.ts';

export interface SitePageParts {
  readonly title: string;
  readonly slidesHtml: string;
  /** The Content-Security-Policy (see site-policy.ts). */
  readonly policy: string;
  /** A URL, or the stylesheet's text. */
  readonly style: { readonly href: string } | { readonly css: string };
  /** A URL, or the module script's text (see `inlineScriptText`). */
  readonly script: { readonly src: string } | { readonly js: string };
  /** Inline data blocks by id (the single file's recordings, JSON). */
  readonly data: ReadonlyMap<string, string>;
  /** The page carries speaker notes (the page then offers to show them). */
  readonly notes: boolean;
}

export function renderSitePage(parts: SitePageParts): string {
  const style = 'href' in parts.style ? `<link rel="stylesheet" href="${escapeHtml(parts.style.href)}">` : `<style>${inlineStyleText(parts.style.css)}</style>`;
  const script = 'src' in parts.script ? `<script type="module" src="${escapeHtml(parts.script.src)}"></script>` : `<script type="module">${parts.script.js}</script>`;
  const data = [...parts.data].map(([id, json]) => `<script type="application/json" id="${escapeHtml(id)}">${inlineJsonText(json)}</script>\n`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(parts.policy)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<link rel="icon" href="data:,">
${style}
</head>
<body>
<div class="reveal" data-site${parts.notes ? ' data-notes' : ''}><div class="slides">
${parts.slidesHtml}
</div></div>
${data}${script}
</body>
</html>
`;
}

/**
 * A module script's text made safe to sit inside `<script>`: `</script` would end the
 * element, so it becomes `<\/script` (the same string in JavaScript). Its CSP hash is taken
 * of this text, which is why the caller converts it before hashing.
 */
export function inlineScriptText(js: string): string {
  const safe = js.replace(/<\/(script)/gi, '<\\/$1');
  if (/<!--/.test(safe)) throw new Error('the site script contains "<!--", which an inline <script> cannot hold');
  return safe;
}

function inlineStyleText(css: string): string {
  if (/<\/style/i.test(css)) throw new Error('the site stylesheet contains "</style", which an inline <style> cannot hold');
  return css;
}

/** JSON inside `<script type="application/json">`: `<` escaped, so no `</script>` or `<!--` can end or bend it. */
function inlineJsonText(json: string): string {
  return json.replace(/</g, '\\u003c');
}
