/**
 * Hot reload: when the deck changed (said by the server, or noticed on reconnecting after a
 * change the page missed), fetch the new slides and swap in only the slides that changed.
 * A slide whose HTML is the same keeps its element, and with it its terminals and their runs;
 * the speaker stays on the same slide (by id) and step.
 */
import type { IDisposable } from '@xterm/xterm';
import type { RevealApi } from 'reveal.js';
import { currentPosition, showPosition } from './follow-position.ts';
import type { SocketClient } from './socket-client.ts';

export interface SlideMounts {
  /** Mounts what lives on a slide (terminals, code steps). */
  mount(slide: HTMLElement): void;
  unmount(slide: HTMLElement): void;
  /** The slide's HTML as the server sent it, before anything was mounted on it. */
  sourceOf(slide: HTMLElement): string | undefined;
}

export interface HotReloadOptions {
  readonly socket: SocketClient;
  readonly reveal: RevealApi;
  /** The `.slides` element whose slides are replaced. */
  readonly slides: HTMLElement;
  readonly mounts: SlideMounts;
  /** The revision of the slides the page loaded with. */
  readonly revision: string;
  /** After slides were swapped (to re-watch the demos on screen). */
  readonly onReloaded: () => void;
}

interface DeckPayload {
  readonly revision: string;
  readonly html: string;
}

function isDeckPayload(value: unknown): value is DeckPayload {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['revision'] === 'string' && typeof record['html'] === 'string';
}

export function mountHotReload(options: HotReloadOptions): IDisposable {
  let applied = options.revision;
  let wanted = applied;
  let busy: Promise<void> = Promise.resolve();

  const reload = async (): Promise<void> => {
    if (wanted === applied) return;
    // The slides are no secret: /deck, like the page, needs no token.
    const response = await fetch('/deck', { cache: 'no-store' });
    if (!response.ok) throw new Error(`GET /deck: ${response.status}`);
    const payload: unknown = await response.json();
    if (!isDeckPayload(payload)) throw new Error('GET /deck: unexpected payload');
    if (payload.revision === applied) return;
    applied = payload.revision;
    const changed = swapSlides(options, payload.html);
    options.onReloaded();
    showNotice(changed === 1 ? '1 slide reloaded' : `${changed} slides reloaded`);
  };

  const want = (revision: string): void => {
    wanted = revision;
    // One reload at a time; a burst of changes ends in the newest deck.
    busy = busy.then(reload).catch((error: unknown) => showNotice(`reload failed: ${error instanceof Error ? error.message : String(error)}`, true));
  };
  const subscriptions = [options.socket.on('deck-changed', (m) => want(m.revision)), options.socket.on('welcome', (m) => want(m.revision))];
  return { dispose: () => { for (const s of subscriptions) s.dispose(); } };
}

/** Replaces the slides whose HTML changed, keeps the rest as they are; returns how many changed. */
function swapSlides(options: HotReloadOptions, html: string): number {
  const { slides, mounts, reveal } = options;
  const here = currentPosition(reveal);
  const { h: oldIndex } = reveal.getIndices();
  const template = document.createElement('template');
  template.innerHTML = html;
  const old = new Map<string, HTMLElement>();
  for (const section of slides.querySelectorAll<HTMLElement>(':scope > section')) old.set(section.id || `#${old.size}`, section);

  const next: HTMLElement[] = [];
  let changed = 0;
  // (`:scope` in a fragment's querySelectorAll matches nothing: the fragment is no element.)
  const sections = [...template.content.children].filter((element): element is HTMLElement => element instanceof HTMLElement && element.tagName === 'SECTION');
  for (const fresh of sections) {
    const kept = fresh.id === '' ? undefined : old.get(fresh.id);
    if (kept !== undefined && mounts.sourceOf(kept) === fresh.outerHTML) {
      old.delete(fresh.id);
      next.push(kept);
    } else {
      changed += 1;
      next.push(fresh);
    }
  }
  for (const gone of old.values()) mounts.unmount(gone);
  slides.replaceChildren(...next);
  for (const section of next) if (mounts.sourceOf(section) === undefined) mounts.mount(section);
  reveal.sync();
  if (here === null || !showPosition(reveal, here)) reveal.slide(Math.min(oldIndex, next.length - 1));
  return changed;
}

let noticeTimer: ReturnType<typeof setTimeout> | null = null;

export function showNotice(text: string, isError = false): void {
  let notice = document.querySelector<HTMLElement>('.deck-notice');
  if (notice === null) {
    notice = document.createElement('div');
    notice.className = 'deck-notice';
    notice.setAttribute('role', 'status');
    document.body.append(notice);
  }
  notice.textContent = text;
  notice.classList.toggle('is-error', isError);
  notice.classList.add('is-visible');
  if (noticeTimer !== null) clearTimeout(noticeTimer);
  const shown = notice;
  noticeTimer = setTimeout(() => shown.classList.remove('is-visible'), isError ? 6000 : 1800);
}
