/**
 * `npm start`: serves the deck on 127.0.0.1 and prints the presenter URL (runs code; keep it
 * to yourself) and the audience URL (follows the talk, read-only). `npm run rehearse` is the
 * same with a rehearsal being recorded; Ctrl-C writes it and prints its report.
 *
 *   --port <n>     port (default: $PORT, else 3030; 0 picks a free one)
 *   --host <a>     listen on another address than 127.0.0.1, so the room's devices can follow
 *                  with the audience URL; the presenter URL still works from this machine only
 *   --root <dir>   folder with slides/ and demos/ (default: this project)
 *   --no-watch     do not reload pages when files change
 *   --new-token    forget the kept tokens and make new ones (open pages then need the new URLs)
 *   --rehearse     record a rehearsal: time per slide and per run, written to rehearsals/
 *   --report       print how the last rehearsals compare, and exit
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDeckServer, type DeckServer } from './app.ts';
import { defaultConfig } from './config.ts';
import { isLoopbackAddress } from './security.ts';
import { runReportCli } from './talk/report-cli.ts';
import { defaultTokenFile, loadTokens } from './token-store.ts';

interface Options {
  port: number;
  host: string;
  root: string;
  watch: boolean;
  newToken: boolean;
  rehearse: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      root: { type: 'string' },
      'no-watch': { type: 'boolean', default: false },
      'new-token': { type: 'boolean', default: false },
      rehearse: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const portText = values.port ?? process.env.PORT ?? String(defaultConfig.port);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${portText}": give a number from 0 to 65535`);
  return {
    port,
    host: values.host ?? defaultConfig.host,
    root: path.resolve(values.root ?? defaultConfig.root),
    watch: !values['no-watch'],
    newToken: values['new-token'],
    rehearse: values.rehearse,
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--report')) {
    process.exitCode = await runReportCli(process.argv.slice(2).filter((arg) => arg !== '--report' && arg !== '--rehearse'));
    return;
  }
  const options = readOptions();
  if (!isLoopbackAddress(options.host)) {
    console.warn(`Listening on ${options.host}: devices that can reach it may follow with the audience URL. The presenter URL (which runs code) works from this machine only.`);
  }
  const tokens = await loadTokens({ file: process.env['DECK_TOKEN_FILE'] ?? defaultTokenFile(), renew: options.newToken });
  if (tokens.note !== undefined) console.log(tokens.note);
  const server: DeckServer = await startDeckServer({
    port: options.port,
    host: options.host,
    root: options.root,
    watch: options.watch,
    rehearse: options.rehearse,
    token: tokens.presenter,
    audienceToken: tokens.audience,
    onRehearsalSaved: ({ file, report }) => console.log(`\nRehearsal saved to ${file}\n\n${report}`),
  });
  console.log(`Deck ready${options.rehearse ? ', recording a rehearsal (Ctrl-C ends it and prints the report)' : ''}.`);
  console.log(`Presenter (runs code; keep it to yourself; press S in it for the presenter screen):\n${server.url}`);
  console.log(`Audience (read-only, follows the talk):\n${server.audienceUrl}`);
  console.log(`Tokens are kept in ${tokens.file} across restarts; --new-token makes new ones.`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await server.saveRehearsal().catch((error: unknown) => {
        console.error(`the rehearsal could not be saved: ${error instanceof Error ? error.message : String(error)}`);
      });
      await server.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A fault of ours must not leave the demos' processes running without their server.
  process.once('uncaughtException', (error) => {
    console.error(`fatal: ${error.stack ?? error.message}`);
    void server.close().finally(() => process.exit(1));
  });
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
