/**
 * A page's run request names a demo by its key in the deck; this finds that demo in the
 * server's own parsed deck and turns it into what runs: the runtime and file the slide
 * names, and the slide's limits (or the server's defaults). Nothing of it comes from the page.
 */
import type { DemoRef } from '../deck/model.ts';
import { resolveDemoPath } from '../deck/resolve-demo.ts';
import { runtimeRunsFile } from '../runtimes.ts';
import type { RunLimits } from './run.ts';
import type { RunTarget } from './run-hub.ts';

export function resolveRunTarget(demos: ReadonlyMap<string, DemoRef>, key: string, demosDir: string, defaults: RunLimits): RunTarget | string {
  const demo = demos.get(key);
  if (demo === undefined) return `unknown demo "${key}": no slide of this deck shows it`;
  // The parser checked this already; a run checks it again, so no deck model of ours can run a file in the wrong runtime.
  if (!runtimeRunsFile(demo.runtime, demo.path)) return `demo "${key}": a ${demo.runtime} demo cannot run ${demo.path}`;
  const file = resolveDemoPath(demosDir, demo.path);
  if (file === null) return `unknown demo "${key}": demos/${demo.path} is not a file inside demos/`;
  return {
    runtime: demo.runtime,
    file,
    path: demo.path,
    region: demo.region,
    timeoutMs: demo.timeoutMs ?? defaults.timeoutMs,
    maxOutputBytes: demo.maxOutputBytes ?? defaults.maxOutputBytes,
    expect: demo.expect,
    timing: demo.timing,
    timeline: demo.timeline,
    requires: demo.requires,
  };
}
