/**
 * The hosted read-only site of a deck: static files only, for any static host or CDN under
 * any base path. `index.html` (the rendered slides), `assets/site-<hash>.js` and `.css`,
 * `assets/fonts/*.woff2`, and `recordings/<demo>.<runtime>-<hash>.json` that the page plays
 * when Run is pressed. Nothing in it can run a demo: no token, no socket, no server to call.
 * With `singleFile`, one HTML file holds it all (fonts and recordings inlined) and opens from
 * the file system. Everything is checked before anything is written: a deck error or a page
 * over its budget leaves the output as it was.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleSite, type BundledFile } from './bundle-site.ts';
import { checkBudget, measureSite, SITE_BUDGET_GZIP_BYTES, type SiteSizes } from './site-budget.ts';
import { loadSiteDeck } from './site-deck.ts';
import { inlineScriptText, renderSitePage } from './site-page.ts';
import { sitePolicy } from './site-policy.ts';
import { collectRecordings, markDemos, type SiteRecordings } from './site-recordings.ts';

export interface BuildSiteOptions {
  /** The deck's folder: `slides/`, `demos/`, `recordings/`. */
  readonly root: string;
  /** The site's folder; for a single file, that file (`….html`) or the folder it goes in. */
  readonly outDir: string;
  /** URL prefix of every URL of the site, `/` at both ends (`/talks/concurrency/`), or `./` for relative URLs that work from any path. */
  readonly base: string;
  /** Keep the speaker notes. */
  readonly notes: boolean;
  readonly singleFile: boolean;
  /** Script plus stylesheet, gzipped, at most (default 300 kB). */
  readonly budgetGzipBytes?: number;
}

export interface SiteBuild {
  /** Absolute path of `index.html`, or of the single file. */
  readonly entry: string;
  /** Absolute paths of every file written. */
  readonly files: readonly string[];
  readonly sizes: SiteSizes;
  /** `<runtime> <demo>` of each demo shown that has no recording (its terminal says so). */
  readonly missingRecordings: readonly string[];
  /** `<runtime> <demo>: <why>` of each recording made from another version of its demo (published all the same). */
  readonly staleRecordings: readonly string[];
}

export const DEFAULT_BASE = './';

export async function buildSite(options: BuildSiteOptions): Promise<SiteBuild> {
  const base = checkBase(options.base);
  const budget = options.budgetGzipBytes ?? SITE_BUDGET_GZIP_BYTES;
  const deck = await loadSiteDeck(options.root, { notes: options.notes });
  const recordings = await collectRecordings(deck.html, path.join(options.root, 'recordings'), path.join(options.root, 'demos'));
  const bundle = await bundleSite({ inlineFonts: options.singleFile });
  const sizes = await measureSite(bundle.script.contents, bundle.style.contents, bundle.fonts.map((font) => font.contents));
  checkBudget(sizes, budget);
  const write = options.singleFile ? writeSingleFile : writeSite;
  const { entry, files } = await write(options.outDir, { ...deck, base, notes: options.notes, recordings, bundle });
  return { entry, files, sizes, missingRecordings: recordings.missing, staleRecordings: recordings.stale };
}

interface SiteContent {
  readonly title: string;
  readonly slug: string;
  readonly html: string;
  readonly allowRemote: boolean;
  readonly base: string;
  readonly notes: boolean;
  readonly recordings: SiteRecordings;
  readonly bundle: Awaited<ReturnType<typeof bundleSite>>;
}

function checkBase(base: string): string {
  if (base === DEFAULT_BASE) return base;
  if (!base.startsWith('/') || !base.endsWith('/') || base.includes('//') || /[\s"'<>\\?#]/.test(base)) {
    throw new Error(`--base must be a path that starts and ends with "/" (like /talks/concurrency/), or ./ for relative URLs: got ${JSON.stringify(base)}`);
  }
  return base;
}

async function writeSite(outDir: string, content: SiteContent): Promise<{ entry: string; files: string[] }> {
  const { bundle, recordings, base } = content;
  const page = renderSitePage({
    title: content.title,
    slidesHtml: markDemos(content.html, recordings, (recording) => `${base}${recording.file}`),
    policy: sitePolicy({ allowRemote: content.allowRemote, inlineScript: null }),
    style: { href: `${base}${bundle.style.file}` },
    script: { src: `${base}${bundle.script.file}` },
    data: new Map(),
    notes: content.notes,
  });
  const outputs: BundledFile[] = [
    bundle.script,
    bundle.style,
    ...bundle.fonts,
    ...[...recordings.found.values()].map((recording) => ({ file: recording.file, contents: Buffer.from(recording.json) })),
    { file: 'index.html', contents: Buffer.from(page) },
  ];
  // What an earlier build wrote goes: the site is exactly what this build names.
  await Promise.all(['assets', 'recordings', 'index.html'].map((name) => rm(path.join(outDir, name), { recursive: true, force: true })));
  const files = await Promise.all(
    outputs.map(async (output) => {
      const file = path.join(outDir, ...output.file.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, output.contents);
      return file;
    }),
  );
  return { entry: path.resolve(outDir, 'index.html'), files: files.map((file) => path.resolve(file)) };
}

async function writeSingleFile(out: string, content: SiteContent): Promise<{ entry: string; files: string[] }> {
  const { bundle, recordings } = content;
  const js = inlineScriptText(new TextDecoder().decode(bundle.script.contents));
  const page = renderSitePage({
    title: content.title,
    slidesHtml: markDemos(content.html, recordings, (recording) => `#${recording.id}`),
    policy: sitePolicy({ allowRemote: content.allowRemote, inlineScript: js }),
    style: { css: new TextDecoder().decode(bundle.style.contents) },
    script: { js },
    data: new Map([...recordings.found.values()].map((recording) => [recording.id, recording.json])),
    notes: content.notes,
  });
  const entry = path.resolve(out.endsWith('.html') ? out : path.join(out, `${content.slug}.html`));
  await mkdir(path.dirname(entry), { recursive: true });
  await writeFile(entry, page);
  return { entry, files: [entry] };
}
