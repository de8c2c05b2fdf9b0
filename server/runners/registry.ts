/** Every runtime a demo can run in, by the name the protocol uses. Adding a runtime is adding an entry. */
import { createNodeProcessRunner } from './node-process-runner.ts';
import { createPythonRunner } from './python-runner.ts';
import type { RunnerRegistry } from './runner.ts';
import { createWorkerRunner } from './worker-runner.ts';

export interface RunnerOptions {
  /** Where compiled TypeScript demos are cached. Default `node_modules/.cache/concurrency-deck/`. */
  readonly cacheDir?: string;
  /** Time between SIGTERM and SIGKILL when a child-process run is stopped. Default 300 ms. */
  readonly killGraceMs?: number;
  /** Python interpreter. Default env `DECK_PYTHON`, else `python3`. */
  readonly python?: string;
}

export function createRunners(options: RunnerOptions = {}): RunnerRegistry {
  return {
    worker: createWorkerRunner(options),
    process: createNodeProcessRunner(options),
    python: createPythonRunner(options),
  };
}

/** Ends whatever every runtime keeps ready. */
export async function disposeRunners(runners: RunnerRegistry): Promise<void> {
  await Promise.all(Object.values(runners).map((runner) => runner.dispose()));
}
