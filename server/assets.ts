/**
 * The page's built files in `dist/client`, as the build's manifest lists them. The page
 * names its script and stylesheet through the manifest, and only files it lists are
 * served: each in the pre-compressed copy the request accepts, named by its content and
 * so cached for good. The manifest is read per request, so a rebuild needs no restart.
 */
import { readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from 'express';

export const MANIFEST_FILE = 'manifest.json';

/** Content codings the build writes, in our order of preference, with the suffix of their copy. */
export const CODINGS = { br: '.br', gzip: '.gz' } as const;
export type Coding = keyof typeof CODINGS;

export interface AssetEntry {
  /** Its name carries a hash of its content, so a browser may keep it for good. */
  readonly immutable: boolean;
  /** Pre-compressed copies beside it (`<name>.br`, `<name>.gz`). */
  readonly codings: readonly Coding[];
}

export interface ClientManifest {
  /** The page's script and stylesheet, by their names under `/assets`. */
  readonly script: string;
  readonly style: string;
  /** Every file that may be served, by its name under `/assets` (`/`-separated). */
  readonly files: Readonly<Record<string, AssetEntry>>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
};

/** The manifest of the client built into `clientDir`; throws, saying what to run, when there is none. */
export function readManifest(clientDir: string): ClientManifest {
  const file = path.join(clientDir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`the client is not built (${file} is missing): run "npm run build"`);
    throw error;
  }
  return parseManifest(text, file);
}

export function parseManifest(text: string, source: string): ClientManifest {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value) || typeof value['script'] !== 'string' || typeof value['style'] !== 'string' || !isRecord(value['files'])) {
    throw new Error(`${source} is not a client manifest: rebuild with "npm run build"`);
  }
  const files: Record<string, AssetEntry> = Object.create(null) as Record<string, AssetEntry>;
  for (const [name, entry] of Object.entries(value['files'])) {
    if (!isRecord(entry) || typeof entry['immutable'] !== 'boolean' || !isCodingList(entry['codings'])) {
      throw new Error(`${source}: the entry of ${name} is malformed: rebuild with "npm run build"`);
    }
    files[name] = { immutable: entry['immutable'], codings: entry['codings'] };
  }
  return { script: value['script'], style: value['style'], files };
}

/**
 * Serves the files the manifest lists, under the name it lists them by; anything else is
 * a 404 handed to the app's error handler, which logs none (any page can make a browser
 * ask for one). A name is looked up, never joined onto the folder, so no path leads out.
 */
export function serveAssets(clientDir: string): RequestHandler {
  return async (req, res, next) => {
    const name = req.path.slice(1);
    const manifest = await readFile(path.join(clientDir, MANIFEST_FILE), 'utf8').then(
      (text) => parseManifest(text, MANIFEST_FILE),
      () => null,
    );
    const entry = manifest !== null && Object.hasOwn(manifest.files, name) ? manifest.files[name] : undefined;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || entry === undefined) {
      next(Object.assign(new Error(`no asset ${name}`), { status: 404 }));
      return;
    }
    const coding = chooseCoding(req.headers['accept-encoding'], entry.codings);
    // Opened before the headers go out: a file a rebuild removed is still a plain 404.
    const handle = await open(path.join(clientDir, coding === null ? name : `${name}${CODINGS[coding]}`), 'r').catch(() => null);
    if (handle === null) {
      next(Object.assign(new Error(`asset ${name} is gone`), { status: 404 }));
      return;
    }
    const { size } = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    res.status(200).set({
      'Content-Type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Cache-Control': entry.immutable ? IMMUTABLE : 'no-cache',
    });
    if (entry.codings.length > 0) res.set('Vary', 'Accept-Encoding');
    if (coding !== null) res.set('Content-Encoding', coding);
    if (req.method === 'HEAD') {
      await handle.close();
      res.end();
      return;
    }
    // A browser that leaves mid-download is routine; the response is ended either way.
    await pipeline(handle.createReadStream(), res).catch(() => undefined);
  };
}

/**
 * The coding of `available` that `Accept-Encoding` rates highest (above q=0), ours first
 * on a tie; null for the file as it is.
 */
export function chooseCoding(acceptEncoding: string | undefined, available: readonly Coding[]): Coding | null {
  const ratings = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [token = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (token === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    const rating = q === undefined ? 1 : Number(q.slice(2));
    ratings.set(token, Number.isFinite(rating) ? rating : 0);
  }
  let best: Coding | null = null;
  let bestRating = 0;
  for (const coding of Object.keys(CODINGS) as Coding[]) {
    if (!available.includes(coding)) continue;
    const rating = ratings.get(coding) ?? ratings.get('*') ?? 0;
    if (rating > bestRating) {
      best = coding;
      bestRating = rating;
    }
  }
  return best;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCodingList(value: unknown): value is Coding[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && Object.hasOwn(CODINGS, item));
}
