/**
 * How each runtime of `runtimes.ts` starts: one factory per name. Adding a runtime is adding
 * its descriptor there and its factory here; the compiler refuses one without the other.
 */
import { RUNTIMES } from '../runtimes.ts';
import type { RuntimeName } from '../runtimes.ts';
import { createNodeProcessRunner } from './node-process-runner.ts';
import { createPythonRunner } from './python-runner.ts';
import type { Runner, RunnerRegistry } from './runner.ts';
import { createWorkerRunner } from './worker-runner.ts';

export interface RunnerOptions {
  /** Where compiled TypeScript demos are cached. Default `node_modules/.cache/concurrency-deck/`. */
  readonly cacheDir?: string;
  /** Time between SIGTERM and SIGKILL when a child-process run is stopped. Default 300 ms. */
  readonly killGraceMs?: number;
  /** Python interpreter. Default env `DECK_PYTHON`, else `python3`. */
  readonly python?: string;
}

export type CreateRunner = (options: RunnerOptions) => Runner;

export const RUNNER_FACTORIES: Readonly<Record<RuntimeName, CreateRunner>> = {
  worker: createWorkerRunner,
  process: createNodeProcessRunner,
  python: createPythonRunner,
};

export function createRunners(options: RunnerOptions = {}): RunnerRegistry {
  return Object.fromEntries(RUNTIMES.map((name) => [name, RUNNER_FACTORIES[name](options)])) as RunnerRegistry;
}

/** Ends whatever every runtime keeps ready. */
export async function disposeRunners(runners: RunnerRegistry): Promise<void> {
  await Promise.all(Object.values(runners).map((runner) => runner.dispose()));
}
