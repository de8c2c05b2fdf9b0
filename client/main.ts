/**
 * The page's entry. One bundle, four views:
 *   /                    the deck (the projector's window; the audience's with an audience token)
 *   /?view=frame         the deck inside the presenter screen: the same, without reveal's chrome
 *   /?view=presenter     the presenter screen
 *   /?receiver           a preview (the presenter screen's next slide): slides only, no socket
 * Wiring only: each feature lives in its own module.
 */
import Reveal from 'reveal.js';
import type { RevealApi } from 'reveal.js';
import type { IDisposable } from '@xterm/xterm';
import { checkToken, SocketClient, socketUrl } from './socket-client.ts';
import { followCodeSteps, mountCodeSteps } from './code-steps.ts';
import { mountConnectionBanner } from './connection-banner.ts';
import { followPosition } from './follow-position.ts';
import { mountHotReload, type SlideMounts } from './hot-reload.ts';
import { openPresenterScreen, startPresenterScreen } from './presenter/presenter-screen.ts';
import { revealConfig, showStartFailure } from './reveal-config.ts';
import { mountRunBadge } from './run-badge.ts';
import { mountDemos, type MountedDemos } from './runs/mount-demos.ts';
import type { RunController } from './runs/run-controller.ts';
import type { EditController } from './editing/edit-controller.ts';
import { mountStageKeys } from './stage-keys.ts';
import { takeToken } from './token.ts';

declare global {
  interface Window {
    /** The running deck, for the console, the presenter screen and browser tests. */
    Reveal?: RevealApi;
    /** Run, Stop and Edit on the current slide, for the presenter screen (which drives this page in a frame). */
    deckControls?: { run(): void; stop(): void; edit(): void; type(): void; playRecording(): void; language(): void; timeline(): void };
  }
}

type View = 'deck' | 'frame' | 'presenter' | 'preview';

function currentView(): View {
  const params = new URL(window.location.href).searchParams;
  if (params.has('receiver')) return 'preview';
  const view = params.get('view');
  return view === 'frame' || view === 'presenter' ? view : 'deck';
}

/** What lives on each slide, mounted once per slide element and kept while the slide is unchanged. */
class DeckMounts implements SlideMounts {
  private readonly mounted = new Map<HTMLElement, { source: string; demos: MountedDemos; steps: IDisposable }>();

  constructor(
    private readonly socket: SocketClient,
    private readonly readOnly: () => boolean,
  ) {}

  mount(slide: HTMLElement): void {
    const source = slide.outerHTML;
    this.mounted.set(slide, { source, demos: mountDemos(slide, this.socket, this.readOnly()), steps: mountCodeSteps(slide) });
  }

  unmount(slide: HTMLElement): void {
    const mounted = this.mounted.get(slide);
    if (mounted === undefined) return;
    this.mounted.delete(slide);
    mounted.steps.dispose();
    mounted.demos.dispose();
  }

  sourceOf(slide: HTMLElement): string | undefined {
    return this.mounted.get(slide)?.source;
  }

  /** Every demo of the slide, each variant of a group too: what the page watches. */
  watchedOn(slide: Element | undefined): readonly RunController[] {
    return slide === undefined ? [] : (this.mounted.get(slide as HTMLElement)?.demos.controllers ?? []);
  }

  /** The demos of the slide on show (a group's visible variant): what the keys act on. */
  controllersOn(slide: Element | undefined): readonly RunController[] {
    return slide === undefined ? [] : (this.mounted.get(slide as HTMLElement)?.demos.shownControllers() ?? []);
  }

  editsOn(slide: Element | undefined): readonly EditController[] {
    return slide === undefined ? [] : (this.mounted.get(slide as HTMLElement)?.demos.shownEdits() ?? []);
  }

  /** The next variant of every group on the slide (the `l` key). */
  cycleVariantsOn(slide: Element | undefined): void {
    if (slide !== undefined) this.mounted.get(slide as HTMLElement)?.demos.cycleVariants();
  }

  /** Shows or hides the timelines of the slide's demos on show (the `i` key). */
  toggleTimelinesOn(slide: Element | undefined): void {
    if (slide !== undefined) this.mounted.get(slide as HTMLElement)?.demos.toggleTimelines();
  }

  /** Tells the server again of every edit this page shows (it may have restarted meanwhile). */
  resyncEdits(): void {
    for (const { demos } of this.mounted.values()) for (const edit of demos.edits) edit.resync();
  }

  /** Re-mounts everything read-only (the page turned out to be an audience page). */
  remountAll(): void {
    for (const slide of [...this.mounted.keys()]) {
      const source = this.mounted.get(slide)?.source ?? '';
      this.unmount(slide);
      const fresh = document.createElement('template');
      fresh.innerHTML = source;
      const replacement = fresh.content.firstElementChild;
      if (replacement instanceof HTMLElement) {
        slide.replaceChildren(...replacement.childNodes);
        this.mounted.set(slide, { source, demos: mountDemos(slide, this.socket, true), steps: mountCodeSteps(slide) });
      }
    }
  }
}

async function startDeck(view: 'deck' | 'frame'): Promise<void> {
  const revealElement = document.querySelector<HTMLElement>('.reveal');
  const slides = document.querySelector<HTMLElement>('.reveal .slides');
  if (revealElement === null || slides === null) throw new Error('page has no .reveal .slides');
  const token = takeToken();

  const socket = new SocketClient({ url: socketUrl(window.location, token), tokenAccepted: () => checkToken(token) });
  mountConnectionBanner(socket);
  const mounts = new DeckMounts(socket, () => socket.role === 'audience');
  for (const slide of slides.querySelectorAll<HTMLElement>(':scope > section')) mounts.mount(slide);

  const chrome = view === 'frame' ? { controls: false, progress: false, slideNumber: false } : {};
  const deck = new Reveal(revealElement, { ...revealConfig, ...chrome });
  window.Reveal = deck;

  const current = (): readonly RunController[] => mounts.controllersOn(deck.getCurrentSlide());
  // Terminals are opened and fitted only when their slide is on screen: xterm cannot measure
  // its cells inside a slide reveal.js keeps hidden. The page watches the demos it shows.
  // A hidden page (a background tab, a minimised window) watches nothing: presenter pages pace
  // runs, and one the browser throttles must not slow them; shown again, it gets the screens.
  const showCurrent = (): void => {
    for (const controller of current()) controller.fit();
    // Every variant of a group: a run of a hidden one, started elsewhere, switches its tab here.
    const watched = mounts.watchedOn(deck.getCurrentSlide());
    socket.send({ type: 'watch', demos: document.hidden ? [] : watched.map((c) => c.key) });
  };
  const fitCurrent = (): void => { for (const controller of current()) controller.fit(); };
  deck.on('ready', showCurrent);
  deck.on('slidechanged', showCurrent);
  deck.on('resize', fitCurrent);
  followCodeSteps(deck);
  void document.fonts.ready.then(fitCurrent);
  document.addEventListener('visibilitychange', showCurrent);

  const controls = {
    run: () => { for (const controller of current()) controller.start(); },
    stop: () => { for (const controller of current()) controller.stop(); },
    playRecording: () => { for (const controller of current()) controller.playRecording(); },
    edit: () => mounts.editsOn(deck.getCurrentSlide())[0]?.edit(),
    type: () => mounts.editsOn(deck.getCurrentSlide())[0]?.typeNext(),
    language: () => mounts.cycleVariantsOn(deck.getCurrentSlide()),
    timeline: () => mounts.toggleTimelinesOn(deck.getCurrentSlide()),
  };
  window.deckControls = controls;

  await deck.initialize();
  mountStageKeys(deck, { ...controls, openPresenter: () => openPresenterScreen(token) });
  followPosition(deck, socket);
  mountRunBadge(deck, socket);
  mountHotReload({
    socket,
    reveal: deck,
    slides,
    mounts,
    revision: revealElement.dataset['revision'] ?? '',
    // fitting waits until reveal.js has laid out the new slides
    onReloaded: () => requestAnimationFrame(showCurrent),
  });
  socket.on('welcome', (m) => {
    if (m.role === 'audience' && document.documentElement.dataset['role'] !== 'audience') {
      // An audience page follows: no Run, no Stop, no typing, no moving on its own.
      mounts.remountAll();
      deck.configure({ keyboard: false, controls: false, touch: false });
      document.documentElement.dataset['role'] = 'audience';
    } else if (m.role === 'presenter') {
      // Before the page watches its demos: the server knows this page's edits again when it answers.
      mounts.resyncEdits();
    }
    showCurrent();
  });
  window.addEventListener('pagehide', () => socket.dispose());
  socket.open();
}

async function start(): Promise<void> {
  const view = currentView();
  if (view === 'presenter') {
    await startPresenterScreen({ token: takeToken() });
    return;
  }
  if (view === 'preview') {
    const revealElement = document.querySelector<HTMLElement>('.reveal');
    if (revealElement === null) throw new Error('page has no .reveal');
    const deck = new Reveal(revealElement, { ...revealConfig, controls: false, progress: false, hash: false, keyboard: false });
    window.Reveal = deck;
    await deck.initialize();
    return;
  }
  await startDeck(view);
}

void start().catch(showStartFailure);
