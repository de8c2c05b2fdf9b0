/**
 * The first thing every `process` run executes: `node --enable-source-maps` on this file
 * (compiled), in the run's pty, started before anyone presses Run. It waits for its demo
 * (launch-line.ts), then runs it as `node demo.mjs` would: `process.argv[1]` is the
 * compiled demo (demos fork themselves with a role argument), the working directory is the
 * demo's, and an uncaught error ends the process with its report and exit code 1.
 *
 * Its one argument is the compiled tracer (tracing/node/tracer.ts). When the run is traced
 * (the launch line names its trace socket), the tracer is installed before the demo runs
 * and the environment makes every child `node` process load it too; untraced, it is never
 * loaded.
 */
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type * as Tracer from '../tracing/node/tracer.ts';
import { traceVariables } from '../tracing/node/trace-environment.ts';
import { closeInheritedDescriptors, waitForLaunch } from './node-handshake.ts';

closeInheritedDescriptors();
const [tracerFile] = process.argv.slice(2);
const { cwd, file, trace, args } = waitForLaunch();
process.chdir(cwd);
process.env.PWD = cwd;
process.argv.splice(1, process.argv.length - 1, file, ...args);
if (trace !== null && tracerFile !== undefined) await traceRun(trace, pathToFileURL(tracerFile).href);
let settled = false;
// Not awaited: an uncaught error's stack then ends in the demo and Node's loader, as with
// `node demo.mjs`, and Node reports it as uncaught (exit code 1).
import(pathToFileURL(file).href).then(
  () => (settled = true),
  (error: unknown) => {
    settled = true;
    throw error;
  },
);
// What Node does when the main module's top-level await never settles.
process.once('exit', (code) => {
  if (settled || code !== 0) return;
  process.exitCode = 13;
  writeSync(2, 'Warning: Detected unsettled top-level await\n');
});

/** The demo's process, and every `node` it starts, write to the run's trace socket; a tracer that fails leaves the run untraced. */
async function traceRun(socket: string, tracerUrl: string): Promise<void> {
  try {
    const tracer = (await import(tracerUrl)) as typeof Tracer;
    if (await tracer.installTracer({ socket, tracerUrl, processName: 'main' })) Object.assign(process.env, traceVariables(socket, tracerUrl, process.env.NODE_OPTIONS));
  } catch {
    // Tracing is off for this run; the demo runs as untraced.
  }
}
