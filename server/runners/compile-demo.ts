/**
 * Compiles a TypeScript demo to one ESM file that Node runs as is (in a worker or a child
 * process). Bundles the demo's own imports, leaves packages to Node, and does not
 * type-check: `tsc` does that ahead of time, a run must start fast.
 *
 * The result is cached on disk: a manifest beside the output lists every input esbuild
 * read with a content hash, so an edit of the demo or of any file it imports recompiles,
 * and an unchanged demo costs a few small file reads and no esbuild call.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, formatMessages, version as esbuildVersion } from 'esbuild';
import type { BuildFailure, BuildOptions, Loader, Message } from 'esbuild';

export interface CompileOptions {
  /** Where compiled files and their manifests go. Default: `node_modules/.cache/concurrency-deck/` of this project, so compiled demos resolve its packages. */
  readonly cacheDir?: string;
}

export const defaultCacheDir = (): string => fileURLToPath(new URL('../../node_modules/.cache/concurrency-deck/', import.meta.url));

/** Bump when the build options below change, so old cache entries are not reused. */
const BUILD_KEY = `esbuild ${esbuildVersion}; node20 esm bundle, packages external, inline sourcemap; v1`;

interface Manifest {
  readonly key: string;
  readonly source: string;
  /** Absolute input path → sha256 of its content. */
  readonly inputs: Record<string, string>;
}

/** What every compile of a demo shares (BUILD_KEY names it). */
const buildOptions = () => ({
  // Paths in diagnostics read relative to the project (e.g. `demos/threads/race.ts:3:5`).
  absWorkingDir: process.cwd(),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  write: false,
  logLevel: 'silent',
}) as const satisfies BuildOptions;

const inFlight = new Map<string, Promise<string>>();

/**
 * Returns the absolute path of the compiled `.mjs` for `file` (an absolute `.ts` path),
 * compiling only when the demo or one of its imports changed. Throws an `Error` whose
 * message is esbuild's formatted diagnostics (file:line:column, the text, the code line)
 * when the demo does not compile.
 */
export function compileDemo(file: string, options: CompileOptions = {}): Promise<string> {
  const source = path.resolve(file);
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  const outfile = path.join(cacheDir, `${path.basename(source).replace(/\.[cm]?[jt]sx?$/, '')}-${hash(source).slice(0, 12)}.mjs`);
  // Two runs of one demo started together share one compile instead of racing on the file.
  const pending = inFlight.get(outfile);
  if (pending) return pending;
  const compiling = compileIfStale(source, outfile).finally(() => inFlight.delete(outfile));
  inFlight.set(outfile, compiling);
  return compiling;
}

/**
 * A file that is part of the server, not of the deck: it cannot change while the server
 * runs, so it is compiled (or found in the cache) once. A failed compile is tried again.
 */
export function compileOnce(file: string, options: CompileOptions): () => Promise<string> {
  let compiled: Promise<string> | null = null;
  return () => {
    compiled ??= compileDemo(file, options).catch((error: unknown) => {
      compiled = null;
      throw error;
    });
    return compiled;
  };
}

/**
 * Compiles `source`, edited in place of the demo `file`'s text, into a folder of its own
 * under the cache folder (mode 0700; there, not in the OS's temporary folder, so the compiled
 * file finds the project's packages as the demo's does); its relative imports resolve from
 * the demo's folder. Never cached: `cleanup` removes it once its run is over. Throws as
 * `compileDemo` does.
 */
export async function compileEditedDemo(file: string, source: string, options: CompileOptions = {}): Promise<{ file: string; args: readonly string[]; cleanup: () => Promise<void> }> {
  const demo = path.resolve(file);
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  await mkdir(cacheDir, { recursive: true });
  const dir = await mkdtemp(path.join(cacheDir, 'edited-'));
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  const outfile = path.join(dir, `${path.basename(demo).replace(/\.[cm]?[jt]sx?$/, '')}.mjs`);
  try {
    let result;
    try {
      result = await build({
        ...buildOptions(),
        stdin: { contents: source, resolveDir: path.dirname(demo), sourcefile: path.relative(process.cwd(), demo), loader: loaderOf(demo) },
        outfile,
        metafile: false,
      });
    } catch (error) {
      throw await compileError(demo, error);
    }
    const output = result.outputFiles.find((f) => f.path === outfile) ?? result.outputFiles[0];
    if (!output) throw new Error(`esbuild produced no output for ${demo}`);
    await writeFile(outfile, output.contents, { mode: 0o600 });
    return { file: outfile, args: [], cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** How esbuild reads a demo by its extension. */
export function loaderOf(file: string): Loader {
  return /\.[cm]?tsx?$/.test(file) ? 'ts' : 'js';
}

/** Compiles every demo of `files` ahead of its first run; one that does not compile is reported when it runs. */
export async function compileAll(files: readonly string[], options: CompileOptions): Promise<void> {
  await Promise.allSettled(files.map((file) => compileDemo(file, options)));
}

async function compileIfStale(source: string, outfile: string): Promise<string> {
  const manifestFile = `${outfile}.json`;
  if (await isFresh(source, outfile, manifestFile)) return outfile;

  let result;
  try {
    result = await build({ ...buildOptions(), entryPoints: [source], outfile, metafile: true });
  } catch (error) {
    throw await compileError(source, error);
  }

  const output = result.outputFiles.find((f) => f.path === outfile) ?? result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${source}`);

  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    // Inputs outside the file namespace (e.g. `<define:...>`) have no file to watch.
    if (/^[a-z-]+:/i.test(input) && !path.isAbsolute(input)) continue;
    const absolute = path.resolve(process.cwd(), input);
    const content = await readFile(absolute).catch(() => null);
    if (content) inputs[absolute] = hash(content);
  }
  const manifest: Manifest = { key: BUILD_KEY, source, inputs };

  await mkdir(path.dirname(outfile), { recursive: true });
  // Write then rename, so a run starting meanwhile never reads half a file.
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, output.contents);
  await rename(tmp, outfile);
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
  return outfile;
}

async function isFresh(source: string, outfile: string, manifestFile: string): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
    await stat(outfile);
  } catch {
    return false;
  }
  if (manifest.key !== BUILD_KEY || manifest.source !== source || typeof manifest.inputs !== 'object') return false;
  const entries = Object.entries(manifest.inputs);
  if (!entries.some(([input]) => input === source)) return false;
  for (const [input, digest] of entries) {
    const content = await readFile(input).catch(() => null);
    if (!content || hash(content) !== digest) return false;
  }
  return true;
}

async function compileError(source: string, error: unknown): Promise<Error> {
  const messages = (error as Partial<BuildFailure> | null)?.errors;
  if (!Array.isArray(messages) || messages.length === 0) {
    return new Error(`could not compile ${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const formatted = await formatMessages(messages as Message[], { kind: 'error', color: false });
  return new Error(formatted.join('').trimEnd(), { cause: error });
}

function hash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
