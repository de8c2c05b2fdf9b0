/**
 * The current rendered deck, reloaded when a slide or demo changes on disk. A reload that
 * throws keeps the last good deck and reports the error as a deck error, so an edit in
 * progress never takes the talk down.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'chokidar';
import { demoKeys } from './deck/demo-keys.ts';
import { loadDeck, type LoadedDeck } from './deck/load-deck.ts';
import type { DemoRef } from './deck/model.ts';
import { slideIds } from './deck/slide-ids.ts';

export interface DeckFolders {
  readonly slidesDir: string;
  readonly demosDir: string;
}

export class DeckStore {
  private current: LoadedDeck | null = null;
  private keyed = new Map<string, DemoRef>();
  private slideOfDemo = new Map<string, string>();
  private revisionHash = '';
  private version = 0;
  private watcher: FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(version: number) => void>();

  constructor(private readonly folders: DeckFolders) {}

  get deck(): LoadedDeck {
    if (!this.current) throw new Error('deck not loaded yet: call load() first');
    return this.current;
  }

  /** The deck's demos by the key a page names them with (`data-demo-key`). */
  get demos(): ReadonlyMap<string, DemoRef> {
    return this.keyed;
  }

  get deckVersion(): number {
    return this.version;
  }

  /**
   * A hash of the rendered slides: the same deck has the same revision across server
   * restarts, so a page that reconnects knows whether it missed a change.
   */
  get revision(): string {
    return this.revisionHash;
  }

  /** The id of the slide that shows the demo with this key. */
  slideOf(demoKey: string): string | null {
    return this.slideOfDemo.get(demoKey) ?? null;
  }

  async load(): Promise<LoadedDeck> {
    try {
      this.current = await loadDeck(this.folders);
      this.keyed = demoKeys(this.current.deck);
      this.slideOfDemo = demoSlides(this.current.deck, this.keyed);
    } catch (error) {
      if (!this.current) throw error;
      const message = error instanceof Error ? error.message : String(error);
      this.current = { ...this.current, errors: [...this.current.errors, { file: 'deck', line: 0, message }] };
    }
    this.revisionHash = createHash('sha256').update(this.current.html).digest('base64url').slice(0, 16);
    this.version += 1;
    return this.current;
  }

  /** Calls `listener` with the new version after every reload caused by a change on disk. */
  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async watch(): Promise<void> {
    const watcher = watch([this.folders.slidesDir, this.folders.demosDir], { ignoreInitial: true, ignored: /(^|[/\\])(\.|__pycache__)/ });
    this.watcher = watcher;
    watcher.on('all', () => this.scheduleReload());
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.listeners.clear();
    await this.watcher?.close();
  }

  /** Editors save in bursts (write, rename, chmod): reload once per burst. */
  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.load().then(() => {
        for (const listener of this.listeners) listener(this.version);
      });
    }, 60);
  }
}

function demoSlides(deck: LoadedDeck['deck'], keyed: ReadonlyMap<string, DemoRef>): Map<string, string> {
  const ids = slideIds(deck);
  const slideOfRef = new Map<DemoRef, string>();
  for (const [slide, id] of ids) for (const demo of slide.demos) slideOfRef.set(demo, id);
  return new Map([...keyed].flatMap(([key, demo]) => {
    const id = slideOfRef.get(demo);
    return id === undefined ? [] : [[key, id] as const];
  }));
}
