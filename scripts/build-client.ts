/**
 * Bundles the page into `dist/client`: `client/main.ts` → `app-<hash>.js` (and the chunks
 * it imports only when first needed, such as `code-editor-<hash>.js`), and
 * `client/styles.css` (which imports reveal.js, its theme and xterm's CSS) →
 * `app-<hash>.css` with its fonts as woff2 files under `fonts/`; each with a source map.
 * Names carry a hash of the content, so the server lets browsers cache them for good;
 * `manifest.json` (see server/assets.ts) tells it and the page the current names. The
 * script and stylesheet get a brotli and a gzip copy, so nothing is compressed per request.
 * A running server sees either the old build or the new one: the new files are written
 * beside the old, then the manifest is swapped in, then what it no longer lists is removed.
 * Everything the page needs is local, so the deck works without a network; the build
 * fails if the output mentions an outside URL in a place a browser would fetch.
 * The hosted site's build (scripts/site/) shares its font handling, checks and compression.
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

export const FONT_LOADERS = { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.otf': 'file', '.svg': 'file' } as const;

/** `url(http…)` or `@import "http…"` in CSS, or an `import("http…")`/`src="http…"` a script could load. */
export const OUTSIDE_URL = /url\(\s*['"]?(?:https?:)?\/\/|@import\s+(?:url\()?\s*['"]?(?:https?:)?\/\/|\bimport\(\s*['"]https?:|\bsrc\s*=\s*['"]https?:/i;

/** A font inlined as a `data:` URL: `(mime type)`. */
export const INLINED_FONT = /url\(\s*['"]?data:((?:font\/|application\/(?:x-)?font-)[\w.+-]+)[;,]/i;

/** A font file in another format than woff2. */
export const NOT_WOFF2 = /\.(?:woff|ttf|otf|eot)$/i;

/** Files worth compressing: what the page loads as text. Source maps are for the developer tools only. */
const COMPRESSIBLE = /\.(?:js|css|svg)$/;

export const compress: Record<Coding, (data: Buffer) => Promise<Buffer>> = {
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
    // What the page needs only later (the code editor) is a chunk of its own, imported when first used.
    chunkNames: '[name]-[hash]',
    splitting: true,
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
    plugins: [woff2Fonts()],
    metafile: true,
    logLevel: 'warning',
  });
  const chunks = Object.keys(script.metafile.outputs).filter((output) => output.endsWith('.js')).map((output) => assetName(path.join(root, output)));
  const manifest = await finish(entryOutput(script.metafile, 'client/main.ts'), entryOutput(style.metafile, 'client/styles.css'), chunks, [
    ...Object.keys(script.metafile.outputs),
    ...Object.keys(style.metafile.outputs),
  ]);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`client built into ${path.relative(root, outdir)} in ${ms} ms: ${manifest.script}, ${manifest.style}\n`);
}

/** Checks the page's scripts (its entry and its chunks) and stylesheet, writes the compressed copies, swaps in the manifest that names them all, and removes the rest. */
async function finish(scriptFile: string, styleFile: string, scripts: readonly string[], outputs: readonly string[]): Promise<ClientManifest> {
  for (const file of new Set([scriptFile, ...scripts, styleFile])) {
    const text = await readFile(path.join(outdir, file), 'utf8');
    const hit = OUTSIDE_URL.exec(text);
    if (hit) throw new Error(`${file} references an outside URL near: ${text.slice(Math.max(0, hit.index - 40), hit.index + 80)}`);
    const inlined = INLINED_FONT.exec(text);
    if (inlined) throw new Error(`${file} still inlines a font (${inlined[1]}): it should be a woff2 file`);
  }
  const notWoff2 = outputs.filter((output) => NOT_WOFF2.test(output));
  if (notWoff2.length > 0) throw new Error(`the build emits fonts that are not woff2: ${notWoff2.join(', ')}`);
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

/** A reveal.js theme's stylesheet, as esbuild resolves `reveal.js/theme/<name>.css`. */
const REVEAL_THEME = /[\\/]reveal\.js[\\/]dist[\\/]theme[\\/][^\\/]+\.css$/;

/** The family whose faces come from @fontsource/source-sans-pro (imported by client/styles.css) instead of the theme. */
const THEME_FAMILY = 'source sans pro';

/**
 * The page's fonts are woff2 files. reveal.js's themes inline Source Sans Pro as base64 woff
 * `data:` URLs; client/styles.css imports the same faces from @fontsource/source-sans-pro
 * as woff2 files instead. So this drops the theme's own Source Sans Pro `@font-face` rules,
 * in the theme's file only (fontsource's rules name the same family and must stay), and in
 * every `@font-face` that offers a woff2 keeps only that source, so no woff fallback is
 * emitted at all. Whatever is still inlined or not woff2 then fails the build in `finish`.
 */
export function woff2Fonts(): Plugin {
  return {
    name: 'woff2-fonts',
    setup(builder) {
      builder.onLoad({ filter: /\.css$/ }, async (args) => {
        const css = await readFile(args.path, 'utf8');
        const theme = REVEAL_THEME.test(args.path);
        let contents = '';
        let from = 0;
        for (const rule of fontFaceRules(css)) {
          contents += css.slice(from, rule.start);
          from = rule.end;
          if (theme && unquote(descriptor(rule.body, 'font-family')).toLowerCase() === THEME_FAMILY) continue;
          contents += woff2Only(css.slice(rule.start, rule.end));
        }
        contents += css.slice(from);
        return contents === css ? undefined : { contents, loader: 'css', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

interface FontFaceRule {
  /** Index of its `@font-face`. */
  readonly start: number;
  /** Index just past its closing `}`. */
  readonly end: number;
  /** What is between its braces. */
  readonly body: string;
}

/** Every `@font-face` rule in `css`, at any nesting depth (`@media`, `@supports`, …), found by its braces outside strings and comments. */
function fontFaceRules(css: string): FontFaceRule[] {
  const rules: FontFaceRule[] = [];
  const open: number[] = []; // for each open brace: where its @font-face starts, or -1
  let pending = -1;
  for (let i = 0; i < css.length; i += 1) {
    const ch = css[i];
    if (ch === '/' && css[i + 1] === '*') {
      const close = css.indexOf('*/', i + 2);
      i = close === -1 ? css.length : close + 1;
    } else if (ch === '"' || ch === "'") {
      for (i += 1; i < css.length && css[i] !== ch; i += 1) if (css[i] === '\\') i += 1;
    } else if (ch === '@' && /^@font-face(?![\w-])/i.test(css.slice(i, i + 11))) {
      pending = i;
    } else if (ch === '{') {
      open.push(pending);
      pending = -1;
    } else if (ch === '}') {
      const start = open.pop() ?? -1;
      if (start >= 0) rules.push({ start, end: i + 1, body: css.slice(css.indexOf('{', start) + 1, i) });
    } else if (ch === ';') {
      pending = -1;
    }
  }
  return rules.sort((a, b) => a.start - b.start);
}

/** The value of `name` in a declaration block, `''` if it has none. */
function descriptor(body: string, name: string): string {
  return new RegExp(`(?:^|[;\\s])${name}\\s*:\\s*([^;]*)`, 'i').exec(body)?.[1]?.trim() ?? '';
}

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

/** `rule` with its `src` cut down to its woff2 sources, if it has any; otherwise unchanged. */
function woff2Only(rule: string): string {
  return rule.replace(/(\bsrc\s*:\s*)([^;}]+)/i, (whole, prefix: string, list: string) => {
    // Commas outside parentheses separate the sources (a data: URL has one inside its own).
    const sources = list.split(/,(?![^(]*\))/).map((source) => source.trim());
    const woff2 = sources.filter((source) => /format\(\s*['"]?woff2['"]?\s*\)|\.woff2['"]?\s*\)/i.test(source));
    return woff2.length === 0 || woff2.length === sources.length ? whole : `${prefix}${woff2.join(', ')}`;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildClient();
}
