/** The one HTML page of the deck; slides come pre-rendered from the server. */
import { escapeHtml } from './escape-html.ts';

export function renderPage(title: string, slidesHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<div class="reveal"><div class="slides">
${slidesHtml}
</div></div>
<script type="module" src="/assets/app.js"></script>
</body>
</html>
`;
}
