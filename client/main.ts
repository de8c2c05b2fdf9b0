/**
 * The page's entry: takes the token out of the address bar, starts reveal.js, opens the
 * socket and mounts the demo terminals, code steps and hot reload. Wiring only.
 */
import Reveal from 'reveal.js';
import type { RevealApi } from 'reveal.js';
import Notes from 'reveal.js/plugin/notes';
import type { IDisposable } from '@xterm/xterm';
import { SocketClient, socketUrl } from './socket-client.ts';
import { DemoTerminal } from './demo-terminal.ts';
import { mountCodeSteps, updateCodeSteps } from './code-steps.ts';
import { mountHotReload } from './hot-reload.ts';

const TOKEN_KEY = 'concurrency-deck:token';

declare global {
  interface Window {
    /** The running deck, for the console and for browser tests. */
    Reveal?: RevealApi;
  }
}

/** Keeps the token for this tab and removes it from the URL (and so from history and screen shares). */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function mountSlides(slides: HTMLElement, socket: SocketClient, terminals: Set<DemoTerminal>): IDisposable {
  const mine: DemoTerminal[] = [];
  for (const demo of slides.querySelectorAll<HTMLElement>('.demo')) {
    const terminal = new DemoTerminal(demo, socket);
    mine.push(terminal);
    terminals.add(terminal);
  }
  const steps = mountCodeSteps(slides);
  return {
    dispose: () => {
      steps.dispose();
      for (const terminal of mine) {
        terminals.delete(terminal);
        terminal.dispose();
      }
    },
  };
}

const revealConfig = {
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

/** reveal.js's speaker view shows the deck in iframes with `?receiver`: previews only, they run nothing. */
function isPreview(): boolean {
  return new URL(window.location.href).searchParams.has('receiver');
}

async function start(): Promise<void> {
  const revealElement = document.querySelector<HTMLElement>('.reveal');
  const slides = document.querySelector<HTMLElement>('.reveal .slides');
  if (revealElement === null || slides === null) throw new Error('page has no .reveal .slides');
  if (isPreview()) {
    await new Reveal(revealElement, revealConfig).initialize();
    return;
  }
  const token = takeToken();

  const socket = new SocketClient({ url: socketUrl(window.location, token) });
  // Exposed for styling and for tests that must not click Run before the socket is up.
  const showState = (state: string): void => { document.documentElement.dataset['socket'] = state; };
  showState(socket.connectionState);
  socket.onStateChange(showState);
  const terminals = new Set<DemoTerminal>();
  const initial = mountSlides(slides, socket, terminals);

  const deck = new Reveal(revealElement, { ...revealConfig, plugins: [Notes] });
  window.Reveal = deck;

  // Terminals are opened and fitted only when their slide is on screen: xterm cannot
  // measure its cells inside a slide reveal.js keeps hidden.
  const fitVisible = (): void => {
    const current = deck.getCurrentSlide();
    for (const terminal of terminals) terminal.fitIfIn(current);
  };
  // Only the slide on screen can have changed steps: a key press re-marks its code, not the deck's.
  const updateSteps = (): void => {
    const current = deck.getCurrentSlide();
    if (current !== undefined) updateCodeSteps(current);
  };
  deck.on('ready', () => { fitVisible(); updateSteps(); });
  deck.on('slidechanged', () => { fitVisible(); updateSteps(); });
  deck.on('resize', fitVisible);
  deck.on('fragmentshown', updateSteps);
  deck.on('fragmenthidden', updateSteps);
  void document.fonts.ready.then(fitVisible);

  await deck.initialize();

  mountHotReload({
    socket,
    reveal: deck,
    slides,
    initial,
    mount: (root) => {
      const mounted = mountSlides(root, socket, terminals);
      // fitVisible runs after reveal.js has re-laid out the new slides (slide() fires slidechanged only on a change).
      requestAnimationFrame(fitVisible);
      return mounted;
    },
  });
  window.addEventListener('pagehide', () => socket.dispose());
}

void start().catch((error: unknown) => {
  console.error(error);
  const box = document.createElement('div');
  box.className = 'slide-error';
  box.setAttribute('role', 'alert');
  box.textContent = `The deck failed to start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.prepend(box);
});
