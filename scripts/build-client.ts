/**
 * Bundles the page into `dist/client`: `client/main.ts` → `app-<hash>.js`, and
 * `client/styles.css` (which imports reveal.js, its theme and xterm's CSS) →
 * `app-<hash>.css` with its fonts as files under `fonts/`; each with a source map.
 * Names carry a hash of the content, so the server lets browsers cache them for good;
 * `manifest.json` (see server/assets.ts) tells it and the page the current names. The
 * script and stylesheet get a brotli and a gzip copy, so nothing is compressed per request.
 * A running server sees either the old build or the new one: the new files are written
 * beside the old, then the manifest is swapped in, then what it no longer lists is removed.
 * Everything the page needs is local, so the deck works without a network; the build
 * fails if the output mentions an outside URL in a place a browser would fetch.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CODINGS, MANIFEST_FILE, type AssetEntry, type ClientManifest, type Coding } from '../server/assets.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'client');

const FONT_LOADERS = { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.otf': 'file', '.svg': 'file' } as const;

/** `url(http…)` or `@import "http…"` in CSS, or an `import("http…")`/`src="http…"` a script could load. */
const OUTSIDE_URL = /url\(\s*['"]?(?:https?:)?\/\/|@import\s+(?:url\()?\s*['"]?(?:https?:)?\/\/|\bimport\(\s*['"]https?:|\bsrc\s*=\s*['"]https?:/i;

/** A font inlined as a `data:` URL: `(mime type, file extension, base64 bytes)`. */
const INLINED_FONT = /url\(\s*['"]?data:((?:font\/|application\/(?:x-)?font-)(woff2|woff|ttf|otf));base64,([A-Za-z0-9+/=]+)['"]?\s*\)/g;

/** Files worth compressing: what the page loads as text. Source maps are for the developer tools only. */
const COMPRESSIBLE = /\.(?:js|css|svg)$/;

const compress: Record<Coding, (data: Buffer) => Promise<Buffer>> = {
  br: (data) =>
    promisify(zlib.brotliCompress)(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  gzip: (data) => promisify(zlib.gzip)(data, { level: zlib.constants.Z_BEST_COMPRESSION }),
};

export async function buildClient(): Promise<void> {
  const started = performance.now();
  await mkdir(outdir, { recursive: true });
  const script = await build({
    absWorkingDir: root,
    entryPoints: { app: 'client/main.ts' },
    entryNames: '[name]-[hash]',
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const style = await build({
    absWorkingDir: root,
    entryPoints: { app: 'client/styles.css' },
    entryNames: '[name]-[hash]',
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    loader: FONT_LOADERS,
    assetNames: 'fonts/[name]-[hash]',
    plugins: [fontsAsFiles()],
    metafile: true,
    logLevel: 'warning',
  });
  const manifest = await finish(entryOutput(script.metafile, 'client/main.ts'), entryOutput(style.metafile, 'client/styles.css'), [
    ...Object.keys(script.metafile.outputs),
    ...Object.keys(style.metafile.outputs),
  ]);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`client built into ${path.relative(root, outdir)} in ${ms} ms: ${manifest.script}, ${manifest.style}\n`);
}

/** Checks the page's script and stylesheet, writes the compressed copies, swaps in the manifest that names them all, and removes the rest. */
async function finish(scriptFile: string, styleFile: string, outputs: readonly string[]): Promise<ClientManifest> {
  for (const file of [scriptFile, styleFile]) {
    const text = await readFile(path.join(outdir, file), 'utf8');
    const hit = OUTSIDE_URL.exec(text);
    if (hit) throw new Error(`${file} references an outside URL near: ${text.slice(Math.max(0, hit.index - 40), hit.index + 80)}`);
    const inlined = new RegExp(INLINED_FONT.source).exec(text);
    if (inlined) throw new Error(`${file} still inlines a font (${inlined[1]}): it should be a file`);
  }
  const files: Record<string, AssetEntry> = {};
  await Promise.all(
    outputs.map(async (output) => {
      const name = assetName(path.join(root, output));
      const codings = COMPRESSIBLE.test(name) ? await writeCompressed(name) : [];
      // A source map keeps its file's name, but its content may change while the file's does not.
      files[name] = { immutable: !name.endsWith('.map'), codings };
    }),
  );
  const manifest: ClientManifest = { script: scriptFile, style: styleFile, files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) };
  await writeWhole(path.join(outdir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await removeStale(manifest);
  return manifest;
}

/** Writes `file` under another name and renames it into place, so a server reading it never sees it half written. */
async function writeWhole(file: string, data: string | Buffer): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, data);
  await rename(partial, file);
}

/** Removes what earlier builds left: every file that is neither listed in `manifest`, nor a compressed copy of one, nor the manifest. */
async function removeStale(manifest: ClientManifest): Promise<void> {
  const keep = new Set([MANIFEST_FILE]);
  for (const [name, entry] of Object.entries(manifest.files)) {
    keep.add(name);
    for (const coding of entry.codings) keep.add(`${name}${CODINGS[coding]}`);
  }
  for (const entry of await readdir(outdir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !keep.has(assetName(file))) await rm(file, { force: true });
  }
}

/** Writes `<name>.br` and `<name>.gz` where they are smaller than the file; returns the codings written. */
async function writeCompressed(name: string): Promise<Coding[]> {
  const data = await readFile(path.join(outdir, name));
  const written: Coding[] = [];
  for (const coding of Object.keys(CODINGS) as Coding[]) {
    const packed = await compress[coding](data);
    if (packed.length >= data.length) continue;
    await writeWhole(path.join(outdir, `${name}${CODINGS[coding]}`), packed);
    written.push(coding);
  }
  return written;
}

/** The output file (relative to `outdir`) that esbuild made from `entryPoint`. */
function entryOutput(metafile: Metafile, entryPoint: string): string {
  const output = Object.entries(metafile.outputs).find(([, meta]) => meta.entryPoint === entryPoint)?.[0];
  if (output === undefined) throw new Error(`esbuild wrote no output for ${entryPoint}`);
  return assetName(path.join(root, output));
}

/** The name under `/assets` of a file in `outdir`. */
function assetName(file: string): string {
  return path.relative(outdir, file).split(path.sep).join('/');
}

/**
 * reveal.js's themes inline their fonts as base64 `data:` URLs, which makes the stylesheet
 * large and keeps the fonts from being cached apart from it. This turns each one back into
 * a font file of the same bytes, named after its `@font-face` (`source-sans-pro-600-italic`),
 * which esbuild then emits under `fonts/` like any font a stylesheet references.
 */
function fontsAsFiles(): Plugin {
  const NAMESPACE = 'inlined-font';
  const fonts = new Map<string, Buffer>();
  return {
    name: 'fonts-as-files',
    setup(builder) {
      builder.onLoad({ filter: /\.css$/ }, async (args) => {
        const css = await readFile(args.path, 'utf8');
        if (!new RegExp(INLINED_FONT.source).test(css)) return undefined;
        const contents = css.replace(/@font-face\s*\{[^}]*\}/g, (fontFace) =>
          fontFace.replace(INLINED_FONT, (_url, _mime: string, extension: string, base64: string) => {
            const bytes = Buffer.from(base64, 'base64');
            const base = fontFaceName(fontFace);
            let file = `${base}.${extension}`;
            for (let n = 2; fonts.get(file)?.equals(bytes) === false; n += 1) file = `${base}-${n}.${extension}`;
            fonts.set(file, bytes);
            return `url("${NAMESPACE}:${file}")`;
          }),
        );
        return { contents, loader: 'css', resolveDir: path.dirname(args.path) };
      });
      builder.onResolve({ filter: new RegExp(`^${NAMESPACE}:`) }, (args) => ({ path: args.path.slice(NAMESPACE.length + 1), namespace: NAMESPACE }));
      builder.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const contents = fonts.get(args.path);
        return contents === undefined ? { errors: [{ text: `no inlined font ${args.path}` }] } : { contents, loader: 'file' };
      });
    },
  };
}

/** `source-sans-pro-600-italic` for the `@font-face` of Source Sans Pro, weight 600, italic. */
function fontFaceName(fontFace: string): string {
  const descriptor = (name: string): string => new RegExp(`${name}\\s*:\\s*['"]?([^;'"}]+)`, 'i').exec(fontFace)?.[1]?.trim() ?? '';
  const style = descriptor('font-style');
  const parts = [descriptor('font-family') || 'font', descriptor('font-weight') || '400', style === '' || style === 'normal' ? '' : style];
  return parts
    .filter((part) => part !== '')
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildClient();
}
