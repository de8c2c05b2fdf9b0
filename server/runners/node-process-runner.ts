/**
 * Runs a TypeScript demo as its own `node` process, in a pty, on its compiled `.mjs`:
 * `node` on our bootstrap (node-bootstrap.ts), which runs the demo as `node demo.mjs` would.
 */
import { fileURLToPath } from 'node:url';
import { compileAll, compileDemo, compileEditedDemo, compileOnce } from './compile-demo.ts';
import type { CompileOptions } from './compile-demo.ts';
import { createPtyRunner } from './pty-runner.ts';
import type { PtyRunnerOptions } from './pty-runner.ts';
import type { Runner } from './runner.ts';

export interface NodeProcessRunnerOptions extends CompileOptions, PtyRunnerOptions {}

const bootstrapFile = fileURLToPath(new URL('./node-bootstrap.ts', import.meta.url));

export function createNodeProcessRunner(options: NodeProcessRunnerOptions = {}): Runner {
  const bootstrap = compileOnce(bootstrapFile, options);
  return createPtyRunner(
    {
      interpreter: async () => ({ file: process.execPath, args: ['--enable-source-maps', await bootstrap()] }),
      demo: async (file, source) => (source === undefined ? { file: await compileDemo(file, options), args: [] } : compileEditedDemo(file, source, options)),
      prepareDemos: (files) => compileAll(files, options),
    },
    options,
  );
}
