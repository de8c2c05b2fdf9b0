/**
 * Child `node` processes of a traced run load the tracer through `NODE_OPTIONS` and find
 * the run's socket in `DECK_TRACE_SOCKET`. Children that inherit the environment have
 * both already; a demo that gives a child an `env` of its own would leave them out, so
 * every spawn (spawn, fork, exec, execFile all end in `ChildProcess.prototype.spawn`)
 * gets them added to the child's environment when missing.
 */
import { ChildProcess } from 'node:child_process';

interface SpawnOptions {
  envPairs?: unknown;
}

export function patchChildProcess(variables: Readonly<Record<string, string>>): void {
  const prototype = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, options: SpawnOptions): unknown };
  const spawn = prototype.spawn;
  prototype.spawn = function tracedSpawn(this: ChildProcess, options: SpawnOptions): unknown {
    if (options !== null && typeof options === 'object' && Array.isArray(options.envPairs)) addMissing(options.envPairs as string[], variables);
    return Reflect.apply(spawn, this, [options]);
  };
}

function addMissing(pairs: string[], variables: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(variables)) {
    const index = pairs.findIndex((pair) => typeof pair === 'string' && pair.startsWith(`${name}=`));
    if (index < 0) pairs.push(`${name}=${value}`);
    else if (name === 'NODE_OPTIONS' && !(pairs[index] ?? '').includes(value)) pairs[index] = `${pairs[index]} ${value}`;
  }
}
