/**
 * The next slide, in reveal.js's preview mode of our page (`/?receiver`: slides only, no
 * socket, no terminals). It shows the slide whole, every step in, so the speaker sees what
 * is coming; the slide is found by its id, so a preview that loaded another revision of the
 * deck still shows the right one (or nothing).
 */
import type { IDisposable } from '@xterm/xterm';
import type { RevealApi } from 'reveal.js';

const POLL_MS = 50;
/** Past any slide's last fragment: reveal.js shows every fragment up to this index. */
const ALL_STEPS = 10_000;

export class NextPreview implements IDisposable {
  private wanted: string | null = null;
  private configured: RevealApi | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly onLoad = (): void => this.show(this.wanted);

  constructor(readonly iframe: HTMLIFrameElement) {
    iframe.addEventListener('load', this.onLoad);
  }

  /** Shows the slide with this id; null shows none (the talk is on its last slide). */
  show(slideId: string | null): void {
    this.wanted = slideId;
    this.iframe.classList.toggle('is-empty', slideId === null);
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (slideId !== null) this.apply();
  }

  /** After the deck changed: a fresh preview with the new slides. */
  reload(): void {
    this.iframe.contentWindow?.location.reload();
  }

  dispose(): void {
    this.disposed = true;
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.iframe.removeEventListener('load', this.onLoad);
  }

  private apply(): void {
    this.pollTimer = null;
    if (this.disposed || this.wanted === null) return;
    const win = this.iframe.contentWindow as (Window & { Reveal?: RevealApi }) | null;
    const api = win?.Reveal;
    if (win === null || api === undefined || !api.isReady()) {
      this.pollTimer = setTimeout(() => this.apply(), POLL_MS);
      return;
    }
    const slide = win.document.getElementById(this.wanted);
    if (slide === null) {
      this.iframe.classList.add('is-empty');
      return;
    }
    if (api !== this.configured) {
      this.configured = api;
      // A preview is narrow: below reveal.js's scrollActivationWidth (435 px) it would turn into
      // a scrolling page of slides; 0 keeps it a slide (null would leave a scroll view on).
      api.configure({ controls: false, progress: false, slideNumber: false, scrollActivationWidth: 0 });
      api.layout();
    }
    const { h, v } = api.getIndices(slide);
    api.slide(h, v, ALL_STEPS);
  }
}
