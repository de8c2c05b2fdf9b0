/**
 * An active object: one worker thread owns the resource (an account with a slow, async
 * "database"); the rest of the program sees a proxy whose methods return Promises. The
 * owner serves one request after another, so the resource is never used concurrently,
 * however many callers there are; a request that fails rejects its caller's Promise (the
 * error crosses the thread as a structured clone); close() lets the queued requests
 * finish, then the owner's thread ends. No locks in the callers' code.
 * Runtime: worker.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';

interface Request {
  readonly id: number;
  readonly op: 'deposit' | 'balance' | 'stats';
  readonly amount: number;
}
type Message = Request | 'close';
type Reply = { readonly id: number; readonly value: number } | { readonly id: number; readonly error: unknown };

const CALLERS = 20;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

if (parentPort && (workerData as { role?: string } | undefined)?.role === 'owner') {
  const port = parentPort;
  const reply = (message: Reply): void => port.postMessage(message);
  // The resource: only this thread ever touches it.
  let balance = 0;
  let inside = 0;
  let maxInside = 0;
  async function handle(request: Request): Promise<number> {
    maxInside = Math.max(maxInside, ++inside);
    try {
      await sleep(2); // slow I/O: without serialization, other requests would run meanwhile
      if (request.op === 'deposit') {
        if (request.amount <= 0) throw new RangeError('deposits must be positive');
        balance += request.amount;
      }
      return request.op === 'stats' ? maxInside : balance;
    } finally {
      inside--;
    }
  }
  // #region owner
  let queue = Promise.resolve(); // in order
  port.on('message', (req: Message) => {
    queue = queue.then(() => serve(req));
  });

  async function serve(req: Message) {
    if (req === 'close') return port.close();
    try {
      const value = await handle(req);
      reply({ id: req.id, value });
    } catch (error) { // back to the caller
      reply({ id: req.id, error });
    }
  }
  // #endregion
} else {
  class Account {
    private readonly owner = new Worker(new URL(import.meta.url), { workerData: { role: 'owner' } });
    private readonly pending = new Map<number, { resolve: (value: number) => void; reject: (error: unknown) => void }>();
    private nextId = 0;
    readonly exited = new Promise<number>((resolve) => this.owner.once('exit', resolve));
    constructor() {
      this.owner.on('message', (reply: Reply) => {
        const caller = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if ('error' in reply) caller?.reject(reply.error);
        else caller?.resolve(reply.value);
      });
    }
    private call(op: Request['op'], amount = 0): Promise<number> {
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject }); // settled when the owner replies
        this.owner.postMessage({ id, op, amount } satisfies Request);
      });
    }
    deposit(amount: number): Promise<number> {
      return this.call('deposit', amount);
    }
    balance(): Promise<number> {
      return this.call('balance');
    }
    maxConcurrentAccess(): Promise<number> {
      return this.call('stats');
    }
    /** The requests sent so far are served, then the owner's thread ends. */
    close(): Promise<number> {
      this.owner.postMessage('close' satisfies Message);
      return this.exited;
    }
  }

  const account = new Account();
  const amounts = Array.from({ length: CALLERS }, (_, i) => i + 1);
  await Promise.all(amounts.map((amount) => account.deposit(amount))); // all at once
  const expected = (CALLERS * (CALLERS + 1)) / 2;
  console.log(`${CALLERS} deposits at once, 1 owner thread`);
  console.log(`balance: ${await account.balance()} (expected ${expected})`);
  const line = `max concurrent access: ${await account.maxConcurrentAccess()}`;
  console.log(`\x1b]7770;${line}\x07\x1b[32m${line}\x1b[0m`);
  console.log();
  try {
    await account.deposit(-5);
  } catch (error) {
    console.log('deposit(-5) rejects:');
    console.log(`  ${String(error)}`);
  }
  const queued = [1, 2, 3].map((amount) => account.deposit(amount));
  let done = 0;
  for (const request of queued) void request.then(() => done++);
  const code = await account.close();
  await Promise.allSettled(queued);
  console.log(`close(): ${done} of 3 queued deposits done,`);
  console.log(`  owner thread exit code: ${code}`);
}
