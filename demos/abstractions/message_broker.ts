/**
 * Outsourcing concurrency to a message broker: an MQTT broker (aedes) runs in its own
 * process, worker processes subscribe to it, and a publisher sends jobs through it. The
 * publisher and the workers know only the broker's address and topic names, never each
 * other. The broker routes `jobs/<n>` to worker n; the publisher deals jobs round-robin.
 * (aedes has no shared subscriptions, `$share/group/topic`, so no broker-side balancing.)
 * Runtime: process. Forks itself: `broker`, then `worker <n> <port>`.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import { connectAsync } from 'mqtt';

const WORKERS = 3;
const MESSAGES = 30;
const STOP = 'stop';

type Report = { readonly port: number } | { readonly ready: number } | { readonly worker: number; readonly delivered: number };

const send = (message: Report): void => void process.send?.(message);
const [role, idArg, portArg] = process.argv.slice(2);

if (role === 'broker') {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  send({ port: (server.address() as AddressInfo).port });
  process.once('message', () => server.close(() => broker.close(() => process.disconnect())));
} else if (role === 'worker') {
  const id = Number(idArg);
  const client = await connectAsync(`mqtt://127.0.0.1:${portArg}`, { clientId: `worker-${id}` });
  let delivered = 0;
  // #region worker
  client.on('message', (_topic, payload) => {
    if (payload.toString() !== STOP) return void delivered++; // do the job
    send({ worker: id, delivered });
    void client.endAsync().then(() => process.disconnect()); // leave cleanly
  });
  await client.subscribeAsync(`jobs/${id}`, { qos: 1 }); // at least once
  // #endregion
  send({ ready: id });
} else {
  const self = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = [];
  const exits: Promise<number | null>[] = [];
  const start = (args: string[]): ChildProcess => {
    const child = fork(self, args);
    children.push(child);
    exits.push(new Promise((resolve) => child.once('exit', (code) => resolve(code))));
    return child;
  };
  const next = (child: ChildProcess): Promise<Report> => new Promise((resolve) => child.once('message', (m) => resolve(m as Report)));

  const broker = start(['broker']);
  const { port } = (await next(broker)) as { port: number };
  console.log(`broker: pid ${broker.pid}, listening on 127.0.0.1:${port}`);
  const workers = Array.from({ length: WORKERS }, (_, id) => start(['worker', String(id), String(port)]));
  await Promise.all(workers.map(next));
  const reports = workers.map(next);

  const publisher = await connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'publisher' });
  // #region publisher
  const qos = 1; // delivered at least once
  for (let m = 0; m < MESSAGES; m++) {
    const topic = `jobs/${m % WORKERS}`; // round-robin
    await publisher.publishAsync(topic, `job ${m}`, { qos });
  }
  for (let id = 0; id < WORKERS; id++) {
    await publisher.publishAsync(`jobs/${id}`, STOP, { qos });
  }
  // #endregion
  const counts = (await Promise.all(reports)) as { worker: number; delivered: number }[];
  await publisher.endAsync();
  broker.send(STOP);
  const codes = await Promise.all(exits);

  for (const { worker, delivered } of counts) console.log(`worker ${worker + 1}: pid ${workers[worker]?.pid}, ${delivered} messages`);
  console.log(`messages sent: ${MESSAGES}`);
  console.log(`messages delivered: ${counts.reduce((sum, c) => sum + c.delivered, 0)}`);
  console.log(`processes exited with code 0: ${codes.filter((c) => c === 0).length} of ${children.length}`);
  console.log(`pids: ${children.map((c) => c.pid).join(' ')}`);
}
