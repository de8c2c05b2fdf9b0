/** reveal.js's config for every page that shows the deck: the live deck, the presenter's preview and the hosted site. */
export const revealConfig = {
  hash: true,
  width: 1280,
  height: 720,
  margin: 0.04,
  controls: true,
  progress: true,
  slideNumber: 'c/t',
  center: false,
  transition: 'fade',
  transitionSpeed: 'fast',
} as const;

/** A page that could not start says so on the page, not only in the console. */
export function showStartFailure(error: unknown): void {
  console.error(error);
  const box = document.createElement('div');
  box.className = 'slide-error';
  box.setAttribute('role', 'alert');
  box.textContent = `The deck failed to start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.prepend(box);
}
