/**
 * I/O-bound work on the event loop: N requests to a slow local HTTP server, first one
 * after the other, then all at once. One thread, no workers: while a request waits, the
 * event loop runs the others, so N concurrent waits take about as long as one.
 * Runtime: worker.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const N = 10;
const DELAY_MS = 150;

// A local server that answers every request after DELAY_MS (a slow database, a slow API).
const server = createServer((req, res) => {
  setTimeout(() => res.end(`answer to ${req.url ?? '/'}`), DELAY_MS);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const urls = Array.from({ length: N }, (_, i) => `${base}/item/${i}`);

async function timed(run: () => Promise<string[]>): Promise<[number, number]> {
  const t = performance.now();
  const answers = await run();
  return [performance.now() - t, answers.length];
}

const [sequential, n1] = await timed(async () => {
  // #region sequential
  const answers: string[] = [];
  for (const url of urls) {
    answers.push(await (await fetch(url)).text()); // one at a time
  }
  // #endregion
  return answers;
});

const [concurrent, n2] = await timed(async () => {
  // #region concurrent
  async function get(url: string): Promise<string> {
    return (await fetch(url)).text(); // waits, never blocks
  }
  // all ten requests in flight at once
  const answers = await Promise.all(urls.map(get));
  // #endregion
  return answers;
});

server.closeAllConnections();
server.close();
console.log(`${N} requests, the server answers each after ${DELAY_MS} ms`);
console.log(`sequential: ${sequential.toFixed(0)} ms (${n1} answers)`);
console.log(`concurrent: ${concurrent.toFixed(0)} ms (${n2} answers)`);
console.log(`speed-up: ${(sequential / concurrent).toFixed(1)}`);
