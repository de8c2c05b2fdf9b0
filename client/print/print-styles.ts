/**
 * What print mode adds to the deck's stylesheet, only when it prints: kept here, not in
 * client/styles.css, so the pages a browser shows carry none of it. The page's
 * Content-Security-Policy allows inline styles (reveal.js's print view adds its own too).
 */
const PRINT_CSS = `
/* reveal.js moves each slide into a .pdf-page and zeroes its padding: the slide gets back its
   on-screen padding (--slide-padding, client/styles.css and theme.css), so it is aligned as on screen. */
html.reveal-print .reveal .pdf-page > section {
  box-sizing: border-box !important;
  height: 720px;
  padding: var(--slide-padding) !important;
  overflow: hidden;
  text-align: left;
  container: slide / inline-size;
}
/* Nothing to type into on paper, no scrollbar to drag, and nothing to download. */
html.reveal-print .demo-timeline .timeline-download,
html.reveal-print .demo-xterm .xterm-helper-textarea,
html.reveal-print .demo-xterm .xterm-scrollable-element > .scrollbar { display: none !important; }
/* A notes page: a page of the deck's colours, headed by its slide's number. */
html.reveal-print .reveal .speaker-notes-pdf[data-layout='separate-page'] {
  box-sizing: border-box;
  height: 719px;
  overflow: hidden;
  padding: 48px 64px;
  background: var(--r-background-color, #191919);
  color: var(--r-main-color, #fff);
  font-family: var(--r-main-font, sans-serif);
  font-size: 26px;
  line-height: 1.45;
  text-align: left;
}
html.reveal-print .reveal .speaker-notes-pdf[data-layout='separate-page']::before {
  content: 'Notes · slide ' attr(data-slide);
  display: block;
  margin-bottom: 24px;
  color: #8b949e;
  font-size: 20px;
}
`;

export function injectPrintStyles(): void {
  const style = document.createElement('style');
  style.dataset['print'] = '';
  style.textContent = PRINT_CSS;
  document.head.append(style);
}
