/**
 * The rehearsal comparison for the terminal: `npm run rehearse -- --report` (through
 * server/main.ts) and `node --import tsx scripts/rehearsal-report.ts`.
 *
 *   --dir <dir>   where the rehearsals are (default: <root>/rehearsals)
 *   --root <dir>  the deck's folder (default: this project)
 *   --last <n>    compare the last n rehearsals, 1 to 5 (default 5)
 *
 * `--rehearse` and `--report` are accepted and ignored, so the server can hand over its argv.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../config.ts';
import { readRehearsals } from './rehearsal-files.ts';
import { MAX_COMPARED, formatComparison } from './rehearsal-format.ts';

export interface ReportCliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Directory relative paths are resolved from and shown against. */
  readonly cwd: string;
}

const processIo: ReportCliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

const USAGE = `usage: rehearsal-report [--dir <dir>] [--root <dir>] [--last <1-${MAX_COMPARED}>]`;

/** Where rehearsals of the deck in `root` are written and read. */
export function defaultRehearsalDir(root: string = projectRoot): string {
  return path.join(root, 'rehearsals');
}

/** Prints the comparison of the last rehearsals; returns the exit code (2 for bad arguments). */
export async function runReportCli(argv: readonly string[], io: ReportCliIo = processIo): Promise<number> {
  let options: { dir: string; last: number };
  try {
    options = readOptions(argv, io.cwd);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const { records, problems } = await readRehearsals(options.dir);
  const shown = displayDir(options.dir, io.cwd);
  for (const problem of problems) io.err(`skipped ${path.join(shown, problem)}\n`);
  if (records.length === 0) {
    io.out(`no rehearsals yet in ${shown}${path.sep}: run \`npm run rehearse\` and present the deck\n`);
    return 0;
  }
  io.out(formatComparison(records.slice(-options.last)));
  return 0;
}

function readOptions(argv: readonly string[], cwd: string): { dir: string; last: number } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dir: { type: 'string' },
      root: { type: 'string' },
      last: { type: 'string' },
      rehearse: { type: 'boolean' },
      report: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const lastText = values.last ?? String(MAX_COMPARED);
  const last = Number(lastText);
  if (!Number.isInteger(last) || last < 1 || last > MAX_COMPARED) throw new Error(`--last ${lastText}: give a whole number from 1 to ${MAX_COMPARED}`);
  const dir = values.dir === undefined ? defaultRehearsalDir(values.root === undefined ? projectRoot : path.resolve(cwd, values.root)) : path.resolve(cwd, values.dir);
  return { dir, last };
}

/** `rehearsals` when under the working directory, else the absolute path. */
function displayDir(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}
