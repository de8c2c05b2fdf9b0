/**
 * The first thing every `process` run executes: `node --enable-source-maps` on this file
 * (compiled), in the run's pty, started before anyone presses Run. It waits for its demo
 * (launch-line.ts), then runs it as `node demo.mjs` would: `process.argv[1]` is the
 * compiled demo (demos fork themselves with a role argument), the working directory is the
 * demo's, and an uncaught error ends the process with its report and exit code 1.
 */
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { closeInheritedDescriptors, waitForLaunch } from './node-handshake.ts';

closeInheritedDescriptors();
const { cwd, file, args } = waitForLaunch();
process.chdir(cwd);
process.env.PWD = cwd;
process.argv.splice(1, process.argv.length - 1, file, ...args);
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
