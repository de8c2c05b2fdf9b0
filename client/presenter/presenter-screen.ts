/**
 * The presenter screen (`/?view=presenter`, opened with `S` from the deck): the current
 * slide as a live deck page in an iframe (its own socket and terminals: a run started here
 * or in the audience window is the same run, shown in both), the next slide, the notes,
 * the clock, the talk time and the section plan against the time spent. A clicker and a
 * few keys drive it without the mouse. Wiring only: the pacing math is `pacing.ts`, the
 * drawing `presenter-view.ts`, the frames `deck-frame.ts` and `next-preview.ts`.
 */
import type { IDisposable } from '@xterm/xterm';
import type { Pacing, Position, Role, RunSummary } from '../../server/protocol.ts';
import { SocketClient, checkToken, socketUrl } from '../socket-client.ts';
import type { ConnectionState } from '../socket-client.ts';
import { DeckFrame } from './deck-frame.ts';
import { fitNotes } from './fit-notes.ts';
import { actionForKey } from './keys.ts';
import type { PresenterAction } from './keys.ts';
import { NextPreview } from './next-preview.ts';
import { planFromSlides, summarizePacing } from './pacing.ts';
import type { PlannedSection } from './pacing.ts';
import { PresenterView } from './presenter-view.ts';

const WINDOW_NAME = 'deck-presenter';
const WINDOW_FEATURES = 'popup,width=1400,height=860';
const FRAME_SRC = '/?view=frame';
const PREVIEW_SRC = '/?receiver';
const TICK_MS = 500;
/** Ending a rehearsal writes it: the second Shift+T must come within this long of the first. */
const CONFIRM_END_MS = 4_000;
/** Keys a clicker sends: they move the talk even while a terminal in the frame has the focus. */
const CLICKER_KEYS = new Set(['PageDown', 'PageUp']);

let presenterWindow: Window | null = null;

export function presenterUrl(token: string | null): string {
  return token === null ? '/?view=presenter' : `/?view=presenter&token=${encodeURIComponent(token)}`;
}

/** Opens the presenter screen in its own window, or brings the open one to the front without reloading it. */
export function openPresenterScreen(token: string | null): void {
  if (presenterWindow !== null && !presenterWindow.closed) {
    presenterWindow.focus();
    return;
  }
  // An empty URL finds a window of that name (opened before this page reloaded) without navigating it.
  const opened = window.open('', WINDOW_NAME, WINDOW_FEATURES);
  if (opened === null) {
    console.warn('the browser blocked the presenter window; allow pop-ups for this page');
    return;
  }
  presenterWindow = opened;
  let isPresenter = false;
  try {
    isPresenter = new URLSearchParams(opened.location.search).get('view') === 'presenter';
  } catch {
    // Not readable: not ours, so navigate it.
  }
  if (!isPresenter) opened.location.replace(presenterUrl(token));
  opened.focus();
}

function connectionText(state: ConnectionState, role: Role | null): string {
  if (state === 'refused') return 'The server no longer knows this token: open the new URL it printed';
  if (state !== 'open') return state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return role === 'audience' ? 'Read-only: this is an audience token' : '';
}

function slideTitle(slide: HTMLElement): string {
  const heading = slide.querySelector('h1, h2, h3');
  const text = heading?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  return text !== '' ? text : (slide.dataset['slideId'] ?? 'untitled slide');
}

function isEditable(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return element !== null && typeof element.closest === 'function' && element.closest('input, textarea, select, [contenteditable]') !== null;
}

/** The page's entry for `view=presenter`: `main.ts` has already taken the token out of the URL. */
export async function startPresenterScreen(options: { token: string | null }): Promise<void> {
  const { token } = options;
  document.documentElement.classList.add('presenter-view');
  document.title = `Presenter · ${document.title}`;
  const view = new PresenterView(FRAME_SRC, PREVIEW_SRC);
  document.body.append(view.root);

  const disposables: IDisposable[] = [];
  const socket = new SocketClient({ url: socketUrl(window.location, token), tokenAccepted: () => checkToken(token) });
  disposables.push(socket);

  let role: Role | null = null;
  let position: Position | null = null;
  let pacing: Pacing | null = null;
  let pacingAt = performance.now();
  let runs: readonly RunSummary[] = [];
  let runsAt = performance.now();
  let plan: PlannedSection[] = [];
  let notesSlide: HTMLElement | null = null;
  let confirmEndUntil = 0;

  const notes = fitNotes(view.notesBox);
  disposables.push(notes);
  const next = new NextPreview(view.nextFrame);
  disposables.push(next);

  /** The slide the talk is on: the server's word, else the frame's. */
  const currentSlideId = (): string | null => position?.slide ?? frame.currentSlide?.dataset['slideId'] ?? null;

  const renderStatus = (): void => {
    view.showStatus({
      slide: frame.slideNumber(),
      step: frame.step(),
      section: frame.currentSlide?.dataset['sectionTitle'] ?? null,
      rehearsing: pacing?.rehearsing ?? false,
      connection: connectionText(socket.connectionState, role),
    });
  };

  const renderTimes = (): void => {
    const now = performance.now();
    view.showPacing(summarizePacing(plan, pacing, now - pacingAt, currentSlideId()), new Date());
    view.showRuns(runs, now - runsAt);
  };

  /** The frame moved, stepped, reloaded or swapped slides: notes, next slide, plan and header follow. */
  const onFrameChange = (): void => {
    plan = planFromSlides(frame.slideMarks());
    const current = frame.currentSlide;
    if (current !== notesSlide) {
      notesSlide = current;
      view.showNotes(current?.querySelector('aside.notes') ?? null);
      notes.refit();
    }
    const upcoming = frame.nextSlide();
    next.show(upcoming?.dataset['slideId'] ?? null);
    view.showNextTitle(current === null ? '…' : upcoming === null ? null : slideTitle(upcoming));
    renderStatus();
    renderTimes();
  };
  const frame = new DeckFrame(view.currentFrame, onFrameChange);
  disposables.push(frame);

  /** After a key, the focus stays on this document, where the clicker's next key lands (not in a terminal of the frame). */
  const keepFocus = (): void => {
    const active = document.activeElement;
    if (active !== null && active.tagName === 'IFRAME') (active as HTMLElement).blur();
    window.focus();
  };

  const needPresenter = (what: string): boolean => {
    if (role === 'audience') {
      view.flash(`An audience token cannot ${what}`);
      return false;
    }
    return true;
  };

  const send = (message: Parameters<SocketClient['send']>[0]): void => {
    if (!socket.send(message)) view.flash('Not connected to the server: try again in a moment');
  };

  const toggleRehearsal = (): void => {
    if (!needPresenter('record a rehearsal')) return;
    if (pacing?.rehearsing !== true) {
      send({ type: 'rehearsal', action: 'start' });
      return;
    }
    const now = performance.now();
    if (now < confirmEndUntil) {
      confirmEndUntil = 0;
      send({ type: 'rehearsal', action: 'end' });
      view.flash('Ending the rehearsal…');
      return;
    }
    confirmEndUntil = now + CONFIRM_END_MS;
    view.flash('Shift+T again to end the rehearsal and save it', CONFIRM_END_MS);
  };

  const perform = (action: PresenterAction): void => {
    if (action === 'dismiss') {
      view.closeReport();
      return;
    }
    if (action === 'rehearsal') {
      toggleRehearsal();
      return;
    }
    const reveal = frame.reveal;
    if (reveal === null) {
      view.flash('The current slide is still loading');
      return;
    }
    switch (action) {
      case 'next': reveal.next(); break;
      case 'prev': reveal.prev(); break;
      case 'first': reveal.slide(0); break;
      case 'last': reveal.slide(Math.max(reveal.getHorizontalSlides().length - 1, 0)); break;
      case 'run':
      case 'stop':
      case 'edit':
      case 'type':
      case 'language':
      case 'timeline':
      case 'recording': {
        if (action !== 'language' && action !== 'timeline' && !needPresenter(action === 'recording' ? 'play a recording' : action)) return;
        const controls = frame.controls;
        if (controls === null) view.flash('The current slide cannot run demos yet');
        else if (action === 'recording') controls.playRecording();
        else if (action === 'edit') {
          // The editor opens in the frame and takes the keys there, until Esc.
          view.currentFrame.contentWindow?.focus();
          controls.edit();
        } else controls[action]();
        break;
      }
    }
  };

  /** One key press, here or in the frame: its action, once, and the focus back on this document. */
  const handle = (event: KeyboardEvent, action: PresenterAction): void => {
    event.preventDefault();
    // A held key repeats: moving on may repeat, a Run press is one run.
    if (event.repeat && action !== 'next' && action !== 'prev') return;
    perform(action);
    if (action !== 'edit') keepFocus();
  };

  const onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || isEditable(event.target)) return;
    const action = actionForKey(event);
    if (action !== null) handle(event, action);
  };
  document.addEventListener('keydown', onKey);
  disposables.push({ dispose: () => document.removeEventListener('keydown', onKey) });

  // A click into the frame (Run, Stop, a terminal to type in) leaves the focus there. The
  // screen's keys keep their meaning there (Shift+T is a rehearsal, not the deck's Type), and
  // inside a terminal a clicker's page keys still move the talk; every other key is the demo's.
  const onFrameKey = (event: KeyboardEvent): void => {
    const action = actionForKey(event);
    if (action === null) return;
    const target = event.target as HTMLElement | null;
    // A terminal or the code editor has the keys: only a clicker's page keys are the screen's there.
    const inTerminal = target !== null && typeof target.closest === 'function' && target.closest('.xterm, .cm-editor') !== null;
    if (inTerminal && !CLICKER_KEYS.has(event.key)) return;
    event.stopImmediatePropagation();
    if (inTerminal) target.blur();
    handle(event, action);
  };
  const hookFrameKeys = (): void => view.currentFrame.contentWindow?.addEventListener('keydown', onFrameKey, true);
  view.currentFrame.addEventListener('load', hookFrameKeys);

  disposables.push(
    socket.onStateChange(renderStatus),
    socket.on('welcome', (message) => {
      role = message.role;
      position = message.position;
      runs = message.runs;
      runsAt = performance.now();
      if (message.pacing !== null) {
        pacing = message.pacing;
        pacingAt = performance.now();
      }
      renderStatus();
      renderTimes();
    }),
    socket.on('position', (message) => {
      position = { slide: message.slide, fragment: message.fragment };
      renderTimes();
    }),
    socket.on('pacing', (message) => {
      const wasRehearsing = pacing?.rehearsing ?? false;
      pacing = { elapsedMs: message.elapsedMs, spentMs: message.spentMs, rehearsedMs: message.rehearsedMs, rehearsing: message.rehearsing };
      pacingAt = performance.now();
      if (message.rehearsing && !wasRehearsing) view.flash('Rehearsal started: Shift+T twice ends and saves it');
      renderStatus();
      renderTimes();
    }),
    socket.on('activity', (message) => {
      runs = message.runs;
      runsAt = performance.now();
      renderTimes();
    }),
    socket.on('rehearsal-saved', (message) => {
      view.showReport(message.file, message.report);
    }),
    socket.on('deck-changed', () => next.reload()),
  );

  socket.open();
  const ticker = setInterval(renderTimes, TICK_MS);
  disposables.push({ dispose: () => clearInterval(ticker) });
  renderStatus();
  renderTimes();

  window.addEventListener('pagehide', () => {
    for (const disposable of disposables.reverse()) disposable.dispose();
    view.dispose();
  }, { once: true });
}
