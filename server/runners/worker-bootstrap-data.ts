/**
 * What a worker run's host (worker-host.ts) hands the bootstrap of its worker
 * (worker-bootstrap.ts), through worker environment data. The host starts the worker
 * before anyone presses Run; the worker then waits on the mailbox for the demo to import.
 */
export const BOOTSTRAP_KEY = 'concurrency-deck:worker-run';

export interface BootstrapData {
  /** The byte ring of the run's output (byte-ring.ts). */
  readonly ring: SharedArrayBuffer;
  /** Where the host posts the `file:` URL of the compiled demo (`postDemo`, `waitForDemo`). */
  readonly mailbox: SharedArrayBuffer;
}

/** Int32 slots of the mailbox's header: set by the worker once it waits; 0 until posted, then the URL's byte length. */
const WAITING = 0;
const LENGTH = 1;
const HEADER_BYTES = 8;
const MAX_URL_BYTES = 8192;

export function createMailbox(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + MAX_URL_BYTES);
}

/** The host's side: hands the worker its demo. */
export function postDemo(mailbox: SharedArrayBuffer, url: string): void {
  const bytes = new TextEncoder().encode(url);
  if (bytes.length > MAX_URL_BYTES) throw new Error(`demo URL longer than ${MAX_URL_BYTES} bytes`);
  new Uint8Array(mailbox, HEADER_BYTES).set(bytes);
  const header = new Int32Array(mailbox, 0, 2);
  Atomics.store(header, LENGTH, bytes.length);
  Atomics.notify(header, LENGTH);
}

/**
 * The host's side: blocks its thread until the worker has booted and waits for its demo,
 * or `timeoutMs` passed. Booting needs nothing of the host's thread.
 */
export function waitForWorker(mailbox: SharedArrayBuffer, timeoutMs: number): boolean {
  const header = new Int32Array(mailbox, 0, 2);
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(header, WAITING) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(header, WAITING, 0, left);
  }
  return true;
}

/** The worker's side: says it waits, then blocks its thread until the demo is posted. */
export function waitForDemo(mailbox: SharedArrayBuffer): string {
  const header = new Int32Array(mailbox, 0, 2);
  Atomics.store(header, WAITING, 1);
  Atomics.notify(header, WAITING);
  while (Atomics.load(header, LENGTH) === 0) Atomics.wait(header, LENGTH, 0);
  // TextDecoder refuses views of shared memory: copy the few bytes out first.
  return new TextDecoder().decode(new Uint8Array(mailbox, HEADER_BYTES, Atomics.load(header, LENGTH)).slice());
}
