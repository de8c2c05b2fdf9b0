/**
 * Runs a TypeScript demo as its own `node` process, in a pty, on its compiled `.mjs`:
 * `node` on our bootstrap (node-bootstrap.ts), which runs the demo as `node demo.mjs` would,
 * with the compiled tracer (tracing/node/tracer.ts) loaded first when the run is traced.
 */
import { fileURLToPath } from 'node:url';
import { compileAll, compileDemo, compileEditedDemo, compileOnce } from './compile-demo.ts';
import type { CompileOptions } from './compile-demo.ts';
import { createPtyRunner } from './pty-runner.ts';
import type { PtyRunnerOptions } from './pty-runner.ts';
import type { Runner } from './runner.ts';

export interface NodeProcessRunnerOptions extends CompileOptions, PtyRunnerOptions {}

const bootstrapFile = fileURLToPath(new URL('./node-bootstrap.ts', import.meta.url));
const tracerFile = fileURLToPath(new URL('../tracing/node/tracer.ts', import.meta.url));

export function createNodeProcessRunner(options: NodeProcessRunnerOptions = {}): Runner {
  const bootstrap = compileOnce(bootstrapFile, options);
  const tracer = compileOnce(tracerFile, options);
  return createPtyRunner(
    {
      // The tracer's path goes with the spare interpreter, started before anyone knows whether its run is traced.
      interpreter: async () => ({ file: process.execPath, args: ['--enable-source-maps', ...(await Promise.all([bootstrap(), tracer()]))] }),
      demo: async (file, source) => (source === undefined ? { file: await compileDemo(file, options), args: [] } : compileEditedDemo(file, source, options)),
      prepareDemos: (files) => compileAll(files, options),
    },
    options,
  );
}
