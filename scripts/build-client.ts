/**
 * Bundles the page: `client/main.ts` → `dist/client/app.js` and `client/styles.css`
 * (which imports reveal.js, its theme and xterm's CSS) → `dist/client/app.css`.
 * Everything the page needs is local, so the deck works without a network; the build
 * fails if the output mentions an outside URL in a place a browser would fetch.
 */
import { build } from 'esbuild';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'client');

const FONT_LOADERS = { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.otf': 'file', '.svg': 'file' } as const;

/** `url(http…)` or `@import "http…"` in CSS, or an `import("http…")`/`src="http…"` a script could load. */
const OUTSIDE_URL = /url\(\s*['"]?(?:https?:)?\/\/|@import\s+(?:url\()?\s*['"]?(?:https?:)?\/\/|\bimport\(\s*['"]https?:|\bsrc\s*=\s*['"]https?:/i;

export async function buildClient(): Promise<void> {
  const started = performance.now();
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: { app: 'client/main.ts' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await build({
    absWorkingDir: root,
    entryPoints: { app: 'client/styles.css' },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    loader: FONT_LOADERS,
    assetNames: 'fonts/[name]-[hash]',
    logLevel: 'warning',
  });
  for (const file of ['app.js', 'app.css']) {
    const text = await readFile(path.join(outdir, file), 'utf8');
    const hit = OUTSIDE_URL.exec(text);
    if (hit) throw new Error(`${file} references an outside URL near: ${text.slice(Math.max(0, hit.index - 40), hit.index + 80)}`);
  }
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`client built into ${path.relative(root, outdir)} in ${ms} ms\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildClient();
}
