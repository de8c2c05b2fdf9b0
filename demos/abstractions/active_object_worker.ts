/**
 * An active object: one worker thread owns the resource (here an account with a slow,
 * async "database"), and the rest of the program only sees a proxy whose methods return
 * Promises. The owner thread handles one request after another, so the resource is never
 * used concurrently, however many callers there are. No locks in the callers' code.
 * Runtime: worker.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';

type Request = { readonly id: number; readonly op: 'deposit'; readonly amount: number } | { readonly id: number; readonly op: 'balance' } | { readonly id: number; readonly op: 'stats' };
type Call = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;
interface Reply {
  readonly id: number;
  readonly value: number;
}

const CALLERS = 20;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

if ((workerData as { role?: string } | undefined)?.role === 'owner') {
  // The resource: only this thread ever touches it.
  let balance = 0;
  let inside = 0;
  let maxInside = 0;
  async function handle(request: Request): Promise<number> {
    maxInside = Math.max(maxInside, ++inside);
    try {
      await sleep(2); // slow I/O: without serialization, other requests would run meanwhile
      if (request.op === 'deposit') balance += request.amount;
      return request.op === 'stats' ? maxInside : balance;
    } finally {
      inside--;
    }
  }
  // #region owner
  // one request after another, in arrival order
  let queue = Promise.resolve();
  parentPort?.on('message', (request: Request) => {
    queue = queue.then(async () => {
      const value = await handle(request);
      const reply: Reply = { id: request.id, value };
      parentPort?.postMessage(reply);
    });
  });
  // #endregion
} else {
  class Account {
    private readonly owner = new Worker(new URL(import.meta.url), { workerData: { role: 'owner' } });
    private readonly pending = new Map<number, (value: number) => void>();
    private nextId = 0;
    constructor() {
      this.owner.on('message', (reply: Reply) => this.pending.get(reply.id)?.(reply.value));
    }
    // #region proxy
    private call(request: Call): Promise<number> {
      const id = this.nextId++;
      return new Promise((resolve) => {
        this.pending.set(id, resolve); // settled when the owner replies
        this.owner.postMessage({ ...request, id });
      });
    }
    deposit(amount: number): Promise<number> {
      return this.call({ op: 'deposit', amount });
    }
    // #endregion
    balance(): Promise<number> {
      return this.call({ op: 'balance' });
    }
    maxConcurrentAccess(): Promise<number> {
      return this.call({ op: 'stats' });
    }
    close(): Promise<number> {
      return this.owner.terminate();
    }
  }
  const account = new Account();
  const t = performance.now();
  // #region callers
  const amounts = Array.from({ length: CALLERS }, (_, i) => i + 1);
  await Promise.all(amounts.map((amount) => account.deposit(amount))); // all at once
  console.log(`balance: ${await account.balance()}`);
  // #endregion
  console.log(`expected balance: ${(CALLERS * (CALLERS + 1)) / 2} (${CALLERS} concurrent deposits of 1..${CALLERS})`);
  console.log(`time: ${(performance.now() - t).toFixed(0)} ms (one request at a time)`);
  console.log(`max concurrent access: ${await account.maxConcurrentAccess()}`);
  await account.close();
}
