/**
 * Producer/consumer with a queue: one producer thread puts items, three consumer threads
 * take them, each item exactly once. The queue lives in the demo's own thread; the
 * workers talk to it through MessagePorts. Shutdown: a DONE sentinel per consumer once
 * the producer has finished and the queue is empty, then every worker exits by itself.
 * Runtime: worker.
 */
import { MessageChannel, Worker, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

const ITEMS = 1000;
const CONSUMERS = 3;
const DONE = -1; // the sentinel, like queue.put(None) in Python

type Role = { readonly role: 'producer'; readonly port: MessagePort } | { readonly role: 'consumer'; readonly port: MessagePort };

function work(item: number): number {
  let x = item;
  for (let i = 0; i < 20_000; i++) x = (x * 31 + i) % 1_000_003; // a little CPU per item
  return x;
}

const data = workerData as Role | undefined;

if (data?.role === 'producer') {
  for (let item = 1; item <= ITEMS; item++) data.port.postMessage(item);
  data.port.postMessage(DONE);
  data.port.close();
} else if (data?.role === 'consumer') {
  const port = data.port;
  const taken: number[] = [];
  // #region consumer
  port.on('message', (item: number) => {
    if (item === DONE) { // the sentinel
      port.postMessage(taken); // report
      port.close(); // the thread ends
      return;
    }
    work(item);
    taken.push(item);
    port.postMessage('get'); // next, please
  });
  port.postMessage('get'); // the first
  // #endregion
} else {
  const queue: number[] = [];
  const idle: MessagePort[] = [];
  let producerDone = false;
  const exits: Promise<number>[] = [];
  const start = (role: 'producer' | 'consumer'): MessagePort => {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL(import.meta.url), { workerData: { role, port: port2 }, transferList: [port2] });
    exits.push(new Promise((resolve) => worker.once('exit', resolve)));
    return port1;
  };
  let everyoneAsked = (): void => undefined;
  const allAsked = new Promise<void>((resolve) => (everyoneAsked = resolve));
  const hand = (consumer: MessagePort): void => {
    const item = queue.shift();
    if (item !== undefined) consumer.postMessage(item);
    else if (producerDone) consumer.postMessage(DONE);
    else idle.push(consumer);
    if (idle.length === CONSUMERS) everyoneAsked();
  };

  const perConsumer: number[][] = [];
  const reports: Promise<void>[] = [];
  for (let c = 0; c < CONSUMERS; c++) {
    const port = start('consumer');
    reports.push(
      new Promise((resolve) =>
        port.on('message', (message: 'get' | number[]) => {
          if (message === 'get') return hand(port);
          perConsumer[c] = message;
          port.close();
          resolve();
        }),
      ),
    );
  }
  let produced = 0;
  // Start the producer once every consumer has asked for its first item.
  await allAsked;
  const producer = start('producer');
  producer.on('message', (item: number) => {
    if (item === DONE) {
      producerDone = true;
      producer.close();
    } else {
      produced++;
      queue.push(item);
    }
    while (idle.length > 0 && (queue.length > 0 || producerDone)) hand(idle.shift() as MessagePort);
  });

  await Promise.all(reports);
  const codes = await Promise.all(exits);
  const all = perConsumer.flat();
  const seen = new Set(all);
  let missing = 0;
  for (let item = 1; item <= ITEMS; item++) if (!seen.has(item)) missing++;
  const n = (value: number): string => value.toLocaleString('en-US');
  console.log(`1 producer, ${CONSUMERS} consumer threads`);
  perConsumer.forEach((items, c) => console.log(`  consumer ${c}: ${n(items.length)} items`));
  console.log(`put: ${n(produced)}, taken: ${n(all.length)}`);
  const duplicates = all.length - seen.size;
  const line = `duplicates: ${duplicates}, missing: ${missing}`;
  console.log(`\x1b]7770;${line}\x07${duplicates || missing ? '\x1b[31m' : '\x1b[32m'}${line}\x1b[0m`);
  console.log(`threads exited with code 0: ${codes.filter((code) => code === 0).length} of ${codes.length}`);
}
