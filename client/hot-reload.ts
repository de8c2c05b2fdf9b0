/**
 * Hot reload: when the server says the deck changed, fetch the new slides, swap them in
 * under reveal.js, remount what lives on them (terminals, code steps) and stay on the
 * slide and fragment the speaker was on.
 */
import type { IDisposable } from '@xterm/xterm';
import type { RevealApi } from 'reveal.js';
import type { SocketClient } from './socket-client.ts';

export interface HotReloadOptions {
  readonly socket: SocketClient;
  readonly reveal: RevealApi;
  /** The `.slides` element whose content is replaced. */
  readonly slides: HTMLElement;
  /** Mounts everything that lives on the slides; disposed before the next swap. */
  readonly mount: (slides: HTMLElement) => IDisposable;
  /** The mount of the slides the page loaded with. */
  readonly initial: IDisposable;
}

interface DeckPayload {
  readonly version: number;
  readonly html: string;
}

function isDeckPayload(value: unknown): value is DeckPayload {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['version'] === 'number' && typeof record['html'] === 'string';
}

export function mountHotReload(options: HotReloadOptions): IDisposable {
  let mounted = options.initial;
  let latest = 0;
  let applied = 0;
  let busy: Promise<void> = Promise.resolve();

  const reload = async (version: number): Promise<void> => {
    if (version <= applied) return;
    // The slides are no secret: /deck, like the page, needs no token.
    const response = await fetch('/deck', { cache: 'no-store' });
    if (!response.ok) throw new Error(`GET /deck: ${response.status}`);
    const payload: unknown = await response.json();
    if (!isDeckPayload(payload)) throw new Error('GET /deck: unexpected payload');
    if (payload.version <= applied) return;
    applied = payload.version;

    const { h, v, f } = options.reveal.getIndices();
    mounted.dispose();
    options.slides.innerHTML = payload.html;
    mounted = options.mount(options.slides);
    options.reveal.sync();
    options.reveal.slide(h, v, f);
    showNotice('slides reloaded');
  };

  const subscription = options.socket.onDeckChanged(({ version }) => {
    latest = Math.max(latest, version);
    // One reload at a time; a burst of changes ends in the newest deck.
    busy = busy
      .then(() => reload(latest))
      .catch((error: unknown) => showNotice(`reload failed: ${error instanceof Error ? error.message : String(error)}`, true));
  });

  return {
    dispose: () => {
      subscription.dispose();
      mounted.dispose();
    },
  };
}

let noticeTimer: ReturnType<typeof setTimeout> | null = null;

function showNotice(text: string, isError = false): void {
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
