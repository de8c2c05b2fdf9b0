/**
 * Says plainly on the page when it has lost its server: "reconnecting" while it retries, and
 * what to do when the server no longer takes its token. The socket state is also on
 * `<html data-socket>`, for styling and tests.
 */
import type { IDisposable } from '@xterm/xterm';
import type { ConnectionState, SocketClient } from './socket-client.ts';

/** A brief drop (a reload of the server) shows nothing; a longer one shows the banner. */
const SHOW_AFTER_MS = 1500;

export function mountConnectionBanner(socket: SocketClient): IDisposable {
  const banner = document.createElement('div');
  banner.className = 'connection-banner';
  banner.setAttribute('role', 'alert');
  banner.hidden = true;
  document.body.append(banner);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let everOpen = false;

  const show = (state: ConnectionState): void => {
    document.documentElement.dataset['socket'] = state;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (state === 'open') {
      everOpen = true;
      banner.hidden = true;
      return;
    }
    if (state === 'refused') {
      banner.textContent = 'This page’s access token is not valid on the server any more (it was restarted with a new token). Open the URL the server printed.';
      banner.classList.add('is-fatal');
      banner.hidden = false;
      return;
    }
    timer = setTimeout(() => {
      banner.textContent = everOpen ? 'Lost the server: reconnecting… (runs go on there; this page catches up when it is back)' : 'Connecting to the server…';
      banner.hidden = false;
    }, SHOW_AFTER_MS);
  };
  show(socket.connectionState);
  const subscription = socket.onStateChange(show);
  return {
    dispose: () => {
      subscription.dispose();
      if (timer !== null) clearTimeout(timer);
      banner.remove();
    },
  };
}
