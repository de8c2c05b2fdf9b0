/**
 * Runs a TypeScript demo in a `worker_threads` Worker, inside a host process of its own
 * (worker-host.ts) in a pty: the demo keeps everything a worker has (`isMainThread` is
 * false, `new Worker(new URL(import.meta.url), …)` starts more copies of the compiled
 * file, output blocks through the byte ring while the page falls behind), and gets what a
 * process has: a pid and a process group to stop, a memory limit, a terminal (colours,
 * line editing, a size) and a working directory. The host is started ahead of Run like any
 * other pty runtime's interpreter, with its Worker already booted.
 */
import { fileURLToPath } from 'node:url';
import { compileAll, compileDemo, compileEditedDemo, compileOnce } from './compile-demo.ts';
import type { CompileOptions } from './compile-demo.ts';
import { createPtyRunner } from './pty-runner.ts';
import type { PtyRunnerOptions } from './pty-runner.ts';
import type { Runner } from './runner.ts';

export interface WorkerRunnerOptions extends CompileOptions, PtyRunnerOptions {
  /** V8 heap limits of the demo's worker: a runaway heap ends with a clear error before the memory limit. */
  readonly resourceLimits?: ResourceLimits;
}

export interface ResourceLimits {
  readonly maxOldGenerationSizeMb?: number;
  readonly maxYoungGenerationSizeMb?: number;
  readonly codeRangeSizeMb?: number;
  readonly stackSizeMb?: number;
}

export const defaultResourceLimits: ResourceLimits = {
  maxOldGenerationSizeMb: 512,
  maxYoungGenerationSizeMb: 64,
  stackSizeMb: 4,
};

const hostFile = fileURLToPath(new URL('./worker-host.ts', import.meta.url));
const bootstrapFile = fileURLToPath(new URL('./worker-bootstrap.ts', import.meta.url));
const tracerFile = fileURLToPath(new URL('../tracing/node/tracer.ts', import.meta.url));

export function createWorkerRunner(options: WorkerRunnerOptions = {}): Runner {
  const host = compileOnce(hostFile, options);
  const bootstrap = compileOnce(bootstrapFile, options);
  const tracer = compileOnce(tracerFile, options);
  const limits = JSON.stringify(options.resourceLimits ?? defaultResourceLimits);
  return createPtyRunner(
    {
      interpreter: async () => {
        const [compiledHost, compiledBootstrap, compiledTracer] = await Promise.all([host(), bootstrap(), tracer()]);
        // The tracer's path goes with the spare host, started before anyone knows whether its run is traced.
        return { file: process.execPath, args: ['--enable-source-maps', compiledHost, compiledBootstrap, limits, compiledTracer] };
      },
      demo: async (file, source) => (source === undefined ? { file: await compileDemo(file, options), args: [] } : compileEditedDemo(file, source, options)),
      prepareDemos: (files) => compileAll(files, options),
    },
    options,
  );
}
