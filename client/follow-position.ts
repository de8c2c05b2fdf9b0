/**
 * Every page follows the talk's position, which the server holds: a slide by its id (so an
 * edit that inserts a slide above never moves the speaker) and the step on it. A presenter
 * page that moves tells the server; the others follow within a frame of the message.
 */
import type { IDisposable } from '@xterm/xterm';
import type { RevealApi } from 'reveal.js';
import { samePosition } from '../server/protocol.ts';
import type { Position } from '../server/protocol.ts';
import type { SocketClient } from './socket-client.ts';
import { shownVariants, showVariants, VARIANT_SHOWN } from './variants.ts';

export function currentPosition(deck: RevealApi): Position | null {
  const slide = deck.getCurrentSlide();
  if (slide === undefined || slide.id === '') return null;
  const variants = shownVariants(slide);
  return { slide: slide.id, fragment: deck.getIndices().f ?? -1, ...(variants === null ? {} : { variants }) };
}

/** Shows the slide with this id at this step, its demos in the variants it names; false when the deck has no such slide. */
export function showPosition(deck: RevealApi, position: Position): boolean {
  const slide = document.getElementById(position.slide);
  if (slide === null || !slide.matches('.reveal .slides section')) return false;
  const { h, v } = deck.getIndices(slide);
  deck.slide(h, v, position.fragment);
  if (position.variants !== undefined) showVariants(slide, position.variants);
  return true;
}

export function followPosition(deck: RevealApi, socket: SocketClient): IDisposable {
  let known: Position | null = null;
  let applying = false;
  const same = (a: Position | null, b: Position | null): boolean => a !== null && b !== null && samePosition(a, b);

  const apply = (position: Position): void => {
    known = position;
    if (same(currentPosition(deck), position)) return;
    applying = true;
    try {
      showPosition(deck, position);
    } finally {
      applying = false;
    }
  };
  const lead = (): void => {
    if (applying || socket.role !== 'presenter') return;
    const here = currentPosition(deck);
    if (here === null || same(here, known)) return;
    if (socket.send({ type: 'goto', ...here })) known = here;
  };

  const subscriptions = [
    socket.on('welcome', (m) => {
      if (m.position !== null && document.getElementById(m.position.slide) !== null) apply(m.position);
      else lead(); // the server has no position yet (it just started): this page's is the talk's
    }),
    socket.on('position', apply),
  ];
  const events = ['slidechanged', 'fragmentshown', 'fragmenthidden'] as const;
  for (const event of events) deck.on(event, lead);
  // A tab, the `l` key or a run on another variant switched a group: the room follows.
  document.addEventListener(VARIANT_SHOWN, lead);
  return {
    dispose: () => {
      for (const s of subscriptions) s.dispose();
      for (const event of events) deck.off(event, lead);
      document.removeEventListener(VARIANT_SHOWN, lead);
    },
  };
}
