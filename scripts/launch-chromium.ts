/**
 * Debian's headless chromium through playwright-core, with a profile of its own that is
 * removed when it closes: nothing of the user's browser is read or left behind. `npm run pdf`
 * prints through it; the browser tests and the bench drive it (test/helpers/browser.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh chromium whose pages are `width`x`height`. */
export async function launchChromium(viewport: { width: number; height: number }): Promise<Chromium> {
  const profile = await mkdtemp(path.join(tmpdir(), 'deck-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`could not start chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium; CHROMIUM_PATH names another): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
