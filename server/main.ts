/**
 * `npm start`: serves the deck on 127.0.0.1 and prints the presenter URL with its token.
 *
 *   --port <n>   port (default: $PORT, else 3030; 0 picks a free one)
 *   --host <a>   listen on another address than 127.0.0.1: anyone who can reach it and
 *                holds the token can run code on this machine, so this prints a warning
 *   --root <dir> folder with slides/ and demos/ (default: this project)
 *   --no-watch   do not reload pages when files change
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDeckServer, type DeckServer } from './app.ts';
import { defaultConfig } from './config.ts';
import { isLoopbackAddress } from './security.ts';

function readOptions(): { port: number; host: string; root: string; watch: boolean } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      root: { type: 'string' },
      'no-watch': { type: 'boolean', default: false },
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
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  if (!isLoopbackAddress(options.host)) {
    console.warn(`WARNING: listening on ${options.host}, not loopback. Anyone who can reach this address and has the token can run code on this machine.`);
  }
  const server: DeckServer = await startDeckServer(options);
  console.log('Deck ready. Open the presenter URL (it carries the access token; keep it to yourself):');
  console.log(server.url);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
