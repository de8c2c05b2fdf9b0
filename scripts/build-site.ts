/**
 * `npm run build:site [--out dist/site] [--base /talks/concurrency/] [--notes] [--single-file] [--root <dir>]`:
 * the deck as a static read-only site (see scripts/site/build-site.ts). Prints what it wrote
 * and the page's weight; exits 1, saying why, on a deck error or a page over its budget.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSite, DEFAULT_BASE } from './site/build-site.ts';
import { describeSizes } from './site/site-budget.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      base: { type: 'string', default: DEFAULT_BASE },
      notes: { type: 'boolean', default: false },
      'single-file': { type: 'boolean', default: false },
      root: { type: 'string' },
    },
    strict: true,
  });
  const started = performance.now();
  const outDir = path.resolve(values.out ?? path.join(projectRoot, 'dist', 'site'));
  const site = await buildSite({
    root: path.resolve(values.root ?? projectRoot),
    outDir,
    base: values.base,
    notes: values.notes,
    singleFile: values['single-file'],
  });
  const relative = path.relative(process.cwd(), site.entry);
  const where = relative.startsWith('..') || path.isAbsolute(relative) ? site.entry : relative;
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`site built in ${ms} ms: ${where} (${site.files.length} file${site.files.length === 1 ? '' : 's'}${values.notes ? ', with speaker notes' : ''})\n`);
  process.stdout.write(`${describeSizes(site.sizes)}\n`);
  const missing = site.missingRecordings;
  if (missing.length > 0) {
    process.stdout.write(`⚠ ${missing.length} demo${missing.length === 1 ? ' has' : 's have'} no recording (the terminal says so; npm run record makes them):\n`);
    for (const demo of missing) process.stdout.write(`  ${demo}\n`);
  }
  const stale = site.staleRecordings;
  if (stale.length > 0) {
    process.stdout.write(`⚠ ${stale.length} recording${stale.length === 1 ? ' is' : 's are'} stale, published as recorded (npm run record records them again):\n`);
    for (const line of stale) process.stdout.write(`  ${line}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`build:site failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
