/**
 * A check-then-act across an await, on Node's event loop. Unlike Python's asyncio, where
 * only an await that suspends lets another task run, every `await` in JavaScript yields
 * to the microtask queue, even on a value that is already there: the booking oversells
 * with a warm cache as with a cold one. The fix: a lock (a promise chain) around check
 * and act, or no await between them.
 * Runtime: worker.
 */
const verified = new Set<string>(); // cards checked before: the cache
const tickets = { left: 1 };
const sold: string[] = [];

/** Checks a card: from the cache at once, else a round trip over the network. */
async function verify(card: string): Promise<boolean> {
  if (verified.has(card)) return true;
  await new Promise((resolve) => setTimeout(resolve, 10));
  verified.add(card);
  return true;
}

/** One task at a time: each caller runs after the previous one has finished. */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
const lock = new Lock();

// #region book
async function book(name: string) {
  if (tickets.left > 0) { // check
    await verify(name); // always yields
    tickets.left -= 1; // act
    sold.push(name);
  }
}

const bookLocked = (name: string) =>
  lock.run(() => book(name)); // the fix
// #endregion

/** Two customers book the last ticket at once; how many tickets were sold. */
async function sellLastTicket(booking: (name: string) => Promise<void>): Promise<number> {
  tickets.left = 1;
  sold.length = 0;
  await Promise.all([booking('alice'), booking('bob')]);
  return sold.length;
}

function report(label: string, count: number, punchline = false): void {
  const line = `${label}: ${count} sold`;
  const mark = punchline ? `\x1b]7770;${line}\x07` : '';
  console.log(`${mark}${count > 1 ? '\x1b[31m' : '\x1b[32m'}${line}\x1b[0m`);
}

console.log('1 ticket left, 2 tasks book it at once');
console.log();
for (const card of ['alice', 'bob']) verified.add(card);
report('warm cache (yields too)', await sellLastTicket(book), true);
verified.clear();
report('cold cache (yields)', await sellLastTicket(book));
verified.clear();
report('cold cache + lock', await sellLastTicket(bookLocked));
