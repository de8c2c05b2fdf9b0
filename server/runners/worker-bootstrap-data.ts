/** What the server hands the bootstrap of a worker run, through worker environment data. */
export const BOOTSTRAP_KEY = 'concurrency-deck:worker-run';

export interface BootstrapData {
  /** `file:` URL of the compiled demo. */
  readonly demoUrl: string;
  /** The byte ring of the run's output (byte-ring.ts). */
  readonly ring: SharedArrayBuffer;
}
