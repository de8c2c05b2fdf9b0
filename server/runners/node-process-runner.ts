/** Runs a TypeScript demo as its own `node` process, in a pty, on its compiled `.mjs`. */
import { compileDemo } from './compile-demo.ts';
import type { CompileOptions } from './compile-demo.ts';
import { createPtyRunner } from './pty-runner.ts';
import type { PtyRunnerOptions } from './pty-runner.ts';
import type { Runner } from './runner.ts';

export interface NodeProcessRunnerOptions extends CompileOptions, PtyRunnerOptions {}

export function createNodeProcessRunner(options: NodeProcessRunnerOptions = {}): Runner {
  return createPtyRunner(async (spec) => {
    const compiled = await compileDemo(spec.file, options);
    return { file: process.execPath, args: ['--enable-source-maps', compiled] };
  }, options);
}
