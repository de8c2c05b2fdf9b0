/**
 * The presenter screen's view of a deck page in an iframe (same origin): its reveal.js API
 * once it is ready, and a call whenever what it shows may have changed (slide, step,
 * slides swapped by hot reload, the frame reloaded). Reading the frame's DOM happens here
 * and nowhere else.
 */
import type { IDisposable } from '@xterm/xterm';
import type { RevealApi } from 'reveal.js';
import type { SlideMark } from './pacing.ts';

/** What the deck page in `view=frame` offers its parent. */
export interface DeckControls {
  /** Runs the demos of the slide on screen. */
  run(): void;
  /** Stops them. */
  stop(): void;
  /** Edits the code of its first demo (the editor takes the keys). */
  edit(): void;
  /** Types the next prepared code into that editor. */
  type(): void;
  /** Plays the recordings of the slide's demos in place of live runs. */
  playRecording(): void;
  /** Shows the next variant (Python, TypeScript) of every demo group on the slide. */
  language(): void;
  /** Shows or hides the timeline of the slide's demos. */
  timeline(): void;
}

interface DeckWindowGlobals {
  Reveal?: RevealApi;
  deckControls?: DeckControls;
}

/** A slide's step among its fragments: `index` from 1; `count` 1 for a slide without fragments. */
export interface SlideStep {
  readonly index: number;
  readonly count: number;
}

const REVEAL_EVENTS = ['ready', 'slidechanged', 'fragmentshown', 'fragmenthidden'] as const;
const POLL_MS = 50;

export class DeckFrame implements IDisposable {
  private api: RevealApi | null = null;
  private unbind: (() => void) | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly onLoad = (): void => this.attach();

  constructor(
    readonly iframe: HTMLIFrameElement,
    private readonly onChange: () => void,
  ) {
    iframe.addEventListener('load', this.onLoad);
    // Not from the constructor itself: `onChange` may use what the caller builds around this frame.
    this.pollTimer = setTimeout(() => this.attach(), 0);
  }

  /** The frame's reveal.js, once it is ready; null while it loads. */
  get reveal(): RevealApi | null {
    return this.api;
  }

  get controls(): DeckControls | null {
    return this.globals()?.deckControls ?? null;
  }

  get window(): Window | null {
    return this.iframe.contentWindow;
  }

  get currentSlide(): HTMLElement | null {
    return this.api?.getCurrentSlide() ?? null;
  }

  /** Every slide of the frame's deck, in order, with its plan marks. */
  slideMarks(): SlideMark[] {
    const slides = this.api?.getSlides() ?? [];
    return slides.flatMap((slide) => {
      const id = slide.dataset['slideId'];
      if (id === undefined || id === '') return [];
      const minutes = Number(slide.dataset['minutes']);
      return [{
        id,
        sectionTitle: slide.dataset['sectionTitle'] ?? '',
        sectionStart: slide.dataset['sectionStart'] !== undefined,
        minutes: slide.dataset['minutes'] !== undefined && Number.isFinite(minutes) ? minutes : null,
      }];
    });
  }

  /** The slide after the one on screen, or null on the last. */
  nextSlide(): HTMLElement | null {
    const api = this.api;
    const current = this.currentSlide;
    if (api === null || current === null) return null;
    const slides = api.getSlides();
    return slides[slides.indexOf(current) + 1] ?? null;
  }

  /** Which step of the current slide is shown: reveal.js fragments, code steps among them. */
  step(): SlideStep {
    const api = this.api;
    const current = this.currentSlide;
    if (api === null || current === null) return { index: 1, count: 1 };
    const indices = new Set<string>();
    for (const fragment of current.querySelectorAll<HTMLElement>('.fragment')) indices.add(fragment.dataset['fragmentIndex'] ?? String(indices.size));
    const f = api.getIndices().f;
    return { index: (typeof f === 'number' && f >= 0 ? f + 1 : 0) + 1, count: indices.size + 1 };
  }

  /** Which slide of how many (from 1). */
  slideNumber(): { index: number; count: number } | null {
    const api = this.api;
    const current = this.currentSlide;
    if (api === null || current === null) return null;
    return { index: api.getSlides().indexOf(current) + 1, count: api.getTotalSlides() };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.iframe.removeEventListener('load', this.onLoad);
    this.detach();
  }

  private globals(): (Window & DeckWindowGlobals) | null {
    try {
      return this.iframe.contentWindow as (Window & DeckWindowGlobals) | null;
    } catch {
      return null;
    }
  }

  /** (Re)binds to the frame's reveal.js: after every load, as soon as it says it is ready. */
  private attach(): void {
    this.detach();
    const poll = (): void => {
      this.pollTimer = null;
      if (this.disposed) return;
      const api = this.globals()?.Reveal;
      if (api !== undefined && api.isReady()) {
        this.bind(api);
        return;
      }
      this.pollTimer = setTimeout(poll, POLL_MS);
    };
    poll();
  }

  private bind(api: RevealApi): void {
    this.api = api;
    const changed = (): void => this.onChange();
    for (const type of REVEAL_EVENTS) api.on(type, changed);
    // Hot reload swaps slide elements without always changing the slide: watch the deck's children.
    const observer = new MutationObserver(changed);
    const slides = api.getSlidesElement();
    if (slides !== null) observer.observe(slides, { childList: true });
    this.unbind = () => {
      for (const type of REVEAL_EVENTS) api.off(type, changed);
      observer.disconnect();
    };
    this.onChange();
  }

  private detach(): void {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.unbind?.();
    this.unbind = null;
    if (this.api !== null) {
      this.api = null;
      this.onChange();
    }
  }
}
