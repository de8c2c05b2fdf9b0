/**
 * A run still going on another slide stays visible: a badge beside the slide number names it
 * and its slide; clicking it (or the speaker's `g` jump) goes there.
 */
import type { IDisposable } from '@xterm/xterm';
import type { RevealApi } from 'reveal.js';
import type { RunSummary } from '../server/protocol.ts';
import type { SocketClient } from './socket-client.ts';

export function mountRunBadge(deck: RevealApi, socket: SocketClient): IDisposable {
  const badge = document.createElement('button');
  badge.type = 'button';
  badge.className = 'run-badge';
  badge.hidden = true;
  document.body.append(badge);
  let runs: readonly RunSummary[] = [];
  let target: HTMLElement | null = null;

  const slideOf = (demo: string): HTMLElement | null =>
    [...document.querySelectorAll<HTMLElement>('.reveal .slides .demo[data-demo-key]')].find((element) => element.dataset['demoKey'] === demo)?.closest<HTMLElement>('section') ?? null;

  const update = (): void => {
    const current = deck.getCurrentSlide();
    const elsewhere = runs.flatMap((run) => {
      const slide = slideOf(run.demo);
      return slide !== null && slide !== current ? [{ run, slide }] : [];
    });
    const first = elsewhere[0];
    badge.hidden = first === undefined;
    target = first?.slide ?? null;
    if (first === undefined) return;
    const number = deck.getIndices(first.slide).h + 1;
    const more = elsewhere.length > 1 ? ` (+${elsewhere.length - 1} more)` : '';
    badge.textContent = `● running on slide ${number}: ${first.run.demo.replace(/^[^:]+:/, '')}${more}`;
    badge.title = 'A demo is still running on another slide; click to go there';
  };
  const onClick = (): void => {
    if (target === null) return;
    const { h, v } = deck.getIndices(target);
    deck.slide(h, v);
  };
  badge.addEventListener('click', onClick);
  const subscriptions = [
    socket.on('welcome', (m) => { runs = m.runs; update(); }),
    socket.on('activity', (m) => { runs = m.runs; update(); }),
  ];
  deck.on('slidechanged', update);
  return {
    dispose: () => {
      for (const s of subscriptions) s.dispose();
      deck.off('slidechanged', update);
      badge.removeEventListener('click', onClick);
      badge.remove();
    },
  };
}
