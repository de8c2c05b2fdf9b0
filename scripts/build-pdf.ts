/**
 * `npm run pdf`: the talk as a PDF, printed by Debian's chromium from the hosted site's
 * print mode: one page per slide, each demo with its code and its recorded final screen.
 * Needs no runtime, only the recordings (`npm run record`).
 *
 *   --out <file>   where the PDF goes (default: dist/talk.pdf)
 *   --steps        one page per step, each with its own highlight
 *   --notes        the speaker's notes, each on a page after its slide
 *   --root <dir>   folder with slides/, demos/ and recordings/ (default: this project)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../server/config.ts';
import { printPdf } from './pdf/print-pdf.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      steps: { type: 'boolean', default: false },
      notes: { type: 'boolean', default: false },
      root: { type: 'string' },
    },
  });
  const started = performance.now();
  const printed = await printPdf({
    root: path.resolve(values.root ?? projectRoot),
    out: path.resolve(values.out ?? path.join(projectRoot, 'dist', 'talk.pdf')),
    steps: values.steps,
    notes: values.notes,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${path.relative(process.cwd(), printed.out) || printed.out}: ${printed.pages} pages, ${formatBytes(printed.bytes)} (${seconds} s)`);
  const missing = printed.missingRecordings;
  if (missing.length > 0) {
    // A warning, not a failure: the page says "no recording" in those terminals.
    console.log(`⚠ ${missing.length} demo${missing.length === 1 ? '' : 's'} without a recording (npm run record makes them): ${missing.join(', ')}`);
  }
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

main().catch((error: unknown) => {
  console.error(`npm run pdf: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
