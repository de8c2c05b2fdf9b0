/** The one HTML page of the deck; slides come pre-rendered from the server. */
import type { ClientManifest } from './assets.ts';
import { escapeHtml } from './escape-html.ts';

/** `revision` is the deck's (see `DeckStore.revision`); `assets` names the built script and stylesheet (their names change with their content). */
export function renderPage(title: string, slidesHtml: string, revision: string, assets: Pick<ClientManifest, 'script' | 'style'>): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${escapeHtml(assets.style)}">
</head>
<body>
<div class="reveal" data-revision="${escapeHtml(revision)}"><div class="slides">
${slidesHtml}
</div></div>
<script type="module" src="/assets/${escapeHtml(assets.script)}"></script>
</body>
</html>
`;
}
