/**
 * The entry of the hosted read-only site (built by `npm run build:site`): the deck as the
 * projector shows it (reveal.js with the same config, stepped highlights, overview, slide
 * numbers), but each demo's terminal plays the demo's recording instead of running it.
 * Nothing here talks to a server: no token, no socket, no editor. With `?print-pdf` in the
 * query it is the page `npm run pdf` prints (client/print/print-deck.ts).
 */
import Reveal from 'reveal.js';
import type { RevealApi } from 'reveal.js';
import { followCodeSteps, mountCodeSteps } from './code-steps.ts';
import { printRevealConfig, startPrint } from './print/print-deck.ts';
import { mountReplays } from './replay/mount-replays.ts';
import type { ReplayController } from './replay/replay-controller.ts';
import { recordingFor } from './replay/recording-source.ts';
import { mountReplayKeys } from './replay/replay-keys.ts';
import { revealConfig, showStartFailure } from './reveal-config.ts';

async function start(): Promise<void> {
  const revealElement = document.querySelector<HTMLElement>('.reveal');
  const slides = document.querySelector<HTMLElement>('.reveal .slides');
  if (revealElement === null || slides === null) throw new Error('page has no .reveal .slides');
  // Before reveal.js starts: its step fragments are part of the slides (print mode clones them into step pages).
  mountCodeSteps(slides);

  const url = new URL(window.location.href);
  if (url.searchParams.has('print-pdf')) {
    const deck = new Reveal(revealElement, { ...revealConfig, ...printRevealConfig(url) });
    window.Reveal = deck;
    await deck.initialize();
    await startPrint(revealElement, recordingFor);
    return;
  }

  const replays = mountReplays(slides, recordingFor);
  const deck = new Reveal(revealElement, revealConfig);
  window.Reveal = deck;
  const onCurrent = (): readonly ReplayController[] => replays.shownOn(deck.getCurrentSlide());
  // A terminal opens only once its slide is shown: xterm cannot measure its cells on a hidden slide.
  const fitCurrent = (): void => replays.fitOn(deck.getCurrentSlide());
  deck.on('ready', fitCurrent);
  deck.on('slidechanged', fitCurrent);
  deck.on('resize', fitCurrent);
  followCodeSteps(deck);
  void document.fonts.ready.then(fitCurrent);

  await deck.initialize();
  mountReplayKeys(deck, {
    play: () => { for (const controller of onCurrent()) controller.play(); },
    pause: () => { for (const controller of onCurrent()) controller.pause(); },
    language: () => replays.cycleVariantsOn(deck.getCurrentSlide()),
    timeline: () => replays.toggleTimelinesOn(deck.getCurrentSlide()),
  });
  if (revealElement.hasAttribute('data-notes')) mountNotesKey(deck);
}

/** A site built with its notes shows them on the slides on `n`. */
function mountNotesKey(deck: RevealApi): void {
  deck.addKeyBinding({ keyCode: 78, key: 'N', description: 'Show or hide the speaker notes' }, () => {
    deck.configure({ showNotes: deck.getConfig().showNotes !== true });
  });
}

void start().catch(showStartFailure);
