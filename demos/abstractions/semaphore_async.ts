/**
 * A semaphore caps how many async tasks use a resource at once (say, at most 3 open
 * connections), and an event lets every task start at the same moment. Both are a few
 * lines on top of Promises: one thread, the event loop switches between the tasks.
 * Runtime: worker.
 */
const TASKS = 10;
const LIMIT = 3;

class Semaphore {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // hand the slot straight to the next waiter
    else this.free++;
  }
}

class Event {
  private readonly signal: Promise<void>;
  set!: () => void;
  constructor() {
    this.signal = new Promise<void>((resolve) => (this.set = resolve));
  }
  wait(): Promise<void> {
    return this.signal;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let inside = 0;
let maxInside = 0;
const trace: number[] = [];

// #region semaphore
const start = new Event();
const connections = new Semaphore(LIMIT);

async function task(id: number): Promise<void> {
  await start.wait(); // all wait for the start signal
  await connections.acquire(); // only LIMIT tasks get past
  try {
    maxInside = Math.max(maxInside, ++inside);
    await sleep(50 + ((id * 37) % 60)); // use a connection
  } finally {
    inside--;
    connections.release();
  }
}
// #endregion

const tasks = Array.from({ length: TASKS }, (_, id) => task(id));
const sampler = setInterval(() => trace.push(inside), 10);
await sleep(100);
const early = inside;
start.set();
await Promise.all(tasks);
clearInterval(sampler);
console.log(`tasks: ${TASKS}, limit: ${LIMIT}`);
console.log(`inside before the start event: ${early}`);
console.log(`inside, every 10 ms: ${trace.join('')}`);
console.log(`max concurrent: ${maxInside}`);
