/**
 * The site page's script and stylesheet, in memory: `client/site.ts` as one ES module (no
 * chunks: the site has no editor to load later, and the single file needs one script) and
 * `client/site.css` with its fonts either as woff2 files under `fonts/` or, for the single
 * file, inlined as `data:` URLs. The bundle is refused if it pulls in what the site must not
 * carry (the editor, the socket, the protocol's runtime, a validation library) or anything
 * that could open a WebSocket or load from another host.
 */
import { build, type Loader, type Metafile, type OutputFile } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FONT_LOADERS, INLINED_FONT, NOT_WOFF2, OUTSIDE_URL, woff2Fonts } from '../build-client.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SCRIPT_ENTRY = 'client/site.ts';
export const STYLE_ENTRY = 'client/site.css';

/** Inputs the site's bundle must not contain, with why. */
const FORBIDDEN_INPUTS: readonly (readonly [RegExp, string])[] = [
  [/^client\/editing\//, 'the code editor'],
  [/^client\/typing\//, 'prepared typing (it drives the editor)'],
  [/^client\/socket-client\.ts$/, 'the socket client'],
  [/^client\/runs\/(?:run-controller|mount-demos)\.ts$/, 'the live run controller (it speaks the protocol)'],
  [/^server\/protocol\.ts$/, "the protocol's runtime and validation"],
  [/(?:^|\/)node_modules\/zod\//, 'zod (validation stays on the server)'],
  [/(?:^|\/)node_modules\/@codemirror\//, 'CodeMirror'],
];

export interface BundledFile {
  /** Its path under the site's folder: `assets/site-<hash>.js`, `assets/fonts/…`. */
  readonly file: string;
  readonly contents: Uint8Array;
}

export interface SiteBundle {
  readonly script: BundledFile;
  readonly style: BundledFile;
  /** The fonts as files; none when they are inlined. */
  readonly fonts: readonly BundledFile[];
}

export async function bundleSite(options: { inlineFonts: boolean }): Promise<SiteBundle> {
  // esbuild writes nothing (write: false); the outdir only names the files relative to the site.
  const outdir = path.join(root, 'dist', 'site-bundle', 'assets');
  const script = await build({
    absWorkingDir: root,
    entryPoints: { site: SCRIPT_ENTRY },
    entryNames: '[name]-[hash]',
    outdir,
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  checkInputs(script.metafile);
  const fontLoaders: Record<string, Loader> = options.inlineFonts ? Object.fromEntries(Object.keys(FONT_LOADERS).map((ext) => [ext, 'dataurl'])) : FONT_LOADERS;
  const style = await build({
    absWorkingDir: root,
    entryPoints: { site: STYLE_ENTRY },
    entryNames: '[name]-[hash]',
    outdir,
    write: false,
    bundle: true,
    minify: true,
    legalComments: 'none',
    loader: fontLoaders,
    assetNames: 'fonts/[name]-[hash]',
    plugins: [woff2Fonts()],
    logLevel: 'warning',
  });
  const scripts = script.outputFiles.filter((output) => output.path.endsWith('.js'));
  const styles = style.outputFiles.filter((output) => output.path.endsWith('.css'));
  const fonts = style.outputFiles.filter((output) => !output.path.endsWith('.css'));
  const [scriptFile] = scripts;
  const [styleFile] = styles;
  if (scripts.length !== 1 || scriptFile === undefined) throw new Error(`the site's script should be one file; esbuild wrote ${scripts.length}`);
  if (styles.length !== 1 || styleFile === undefined) throw new Error(`the site's stylesheet should be one file; esbuild wrote ${styles.length}`);
  if (options.inlineFonts && fonts.length > 0) throw new Error(`the single file should inline every font; esbuild wrote ${fonts.map((f) => f.path).join(', ')}`);
  const named = (output: OutputFile): BundledFile => ({ file: path.relative(path.dirname(outdir), output.path).split(path.sep).join('/'), contents: output.contents });
  const bundle: SiteBundle = { script: named(scriptFile), style: named(styleFile), fonts: fonts.map(named) };
  checkOutputs(bundle, options.inlineFonts);
  return bundle;
}

function checkInputs(metafile: Metafile): void {
  const problems = Object.keys(metafile.inputs).flatMap((input) => {
    const normalized = input.split(path.sep).join('/');
    const hit = FORBIDDEN_INPUTS.find(([pattern]) => pattern.test(normalized));
    return hit === undefined ? [] : [`${normalized} (${hit[1]})`];
  });
  if (problems.length > 0) throw new Error(`the site's script must not include:\n  ${problems.join('\n  ')}\n(${SCRIPT_ENTRY} imports it, directly or through another module)`);
}

/** A browser must find nothing in the bundle that could reach a server: no WebSocket, no outside URL, fonts as the build means them. */
function checkOutputs(bundle: SiteBundle, inlineFonts: boolean): void {
  const scriptText = new TextDecoder().decode(bundle.script.contents);
  const websocket = /\bWebSocket\b/.exec(scriptText);
  if (websocket) throw new Error(`${bundle.script.file} mentions WebSocket near: ${excerpt(scriptText, websocket.index)}; the site has no server to connect to`);
  for (const file of [bundle.script, bundle.style]) {
    const text = new TextDecoder().decode(file.contents);
    const outside = OUTSIDE_URL.exec(text);
    if (outside) throw new Error(`${file.file} references an outside URL near: ${excerpt(text, outside.index)}`);
    for (const inlined of text.matchAll(new RegExp(INLINED_FONT.source, 'gi'))) {
      if (!inlineFonts) throw new Error(`${file.file} still inlines a font (${inlined[1]}): it should be a woff2 file`);
      if (inlined[1]?.toLowerCase() !== 'font/woff2') throw new Error(`${file.file} inlines a font that is not woff2 (${inlined[1]})`);
    }
  }
  const notWoff2 = bundle.fonts.filter((font) => NOT_WOFF2.test(font.file));
  if (notWoff2.length > 0) throw new Error(`the site's fonts should all be woff2: ${notWoff2.map((font) => font.file).join(', ')}`);
}

function excerpt(text: string, index: number): string {
  return text.slice(Math.max(0, index - 40), index + 80);
}
