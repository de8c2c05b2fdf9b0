/**
 * Compares the last rehearsals (see server/talk/report-cli.ts for the options):
 *
 *   node --import tsx scripts/rehearsal-report.ts [--dir rehearsals] [--last N]
 */
import { runReportCli } from '../server/talk/report-cli.ts';

process.exitCode = await runReportCli(process.argv.slice(2));
