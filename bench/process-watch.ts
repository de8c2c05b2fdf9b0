/**
 * Which processes outlived their run. A process is known by its pid and its start time
 * (from /proc), so a pid the kernel has since given to another process is never taken for
 * a survivor, and never signalled.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessId {
  readonly pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  readonly start: string;
}

interface Stat {
  readonly state: string;
  readonly ppid: number;
  readonly start: string;
}

function readStat(pid: number): Stat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after its last ')' do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ppid: Number(fields[1]), start: fields[19] ?? '' };
  } catch {
    return null;
  }
}

/** The process that has `pid` now, or null when none has. */
export function identify(pid: number): ProcessId | null {
  const stat = readStat(pid);
  return stat === null ? null : { pid, start: stat.start };
}

/** State letter (R, S, Z, …) of that very process, or null once it has left the process table. */
export function stateOf(proc: ProcessId): string | null {
  const stat = readStat(proc.pid);
  return stat !== null && stat.start === proc.start ? stat.state : null;
}

/** Running in any sense: neither gone nor a zombie waiting to be reaped. */
export function isAlive(proc: ProcessId): boolean {
  const state = stateOf(proc);
  return state !== null && state !== 'Z' && state !== 'X';
}

/** `1234 (R) python3 -u busy_tree.py 1`, for reports. */
export function describeProcess(proc: ProcessId): string {
  let command = '';
  try {
    command = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    // Gone meanwhile: the pid and state say enough.
  }
  return `${proc.pid} (${stateOf(proc) ?? 'gone'})${command === '' ? '' : ` ${command}`}`;
}

/** Every process below `pid`, at any depth, zombies included. */
export function descendantsOf(pid: number): ProcessId[] {
  const children = new Map<number, ProcessId[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat === null) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid: Number(name), start: stat.start });
    children.set(stat.ppid, list);
  }
  const found: ProcessId[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Sends SIGKILL to that very process, if it is still alive. */
export function killIfAlive(proc: ProcessId): void {
  if (!isAlive(proc)) return;
  try {
    process.kill(proc.pid, 'SIGKILL');
  } catch {
    // Ended between the check and the signal.
  }
}

/** Resolves once none of `processes` is alive (gone or a zombie), or after `timeoutMs`; returns the ones still alive. */
export async function waitUntilDead(processes: readonly ProcessId[], timeoutMs: number): Promise<ProcessId[]> {
  return pollUntilEmpty(() => processes.filter(isAlive), timeoutMs);
}

/** Resolves once none of `processes` is in the process table, or after `timeoutMs`; returns the ones still there. */
export async function waitUntilGone(processes: readonly ProcessId[], timeoutMs: number): Promise<ProcessId[]> {
  return pollUntilEmpty(() => processes.filter((p) => stateOf(p) !== null), timeoutMs);
}

async function pollUntilEmpty(left: () => ProcessId[], timeoutMs: number): Promise<ProcessId[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = left();
    if (found.length === 0 || performance.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Processes that outlived their run, each counted once however many ways it was found
 * (still running after the run's exit, still in the table at the end, an extra child of
 * the server). Described as they were when first found.
 */
export class Leftovers {
  private readonly found = new Map<string, string>();

  add(processes: readonly ProcessId[]): void {
    for (const proc of processes) if (!this.has(proc)) this.found.set(keyOf(proc), describeProcess(proc));
  }

  has(proc: ProcessId): boolean {
    return this.found.has(keyOf(proc));
  }

  get count(): number {
    return this.found.size;
  }

  list(): string[] {
    return [...this.found.values()];
  }
}

function keyOf(proc: ProcessId): string {
  return `${proc.pid}@${proc.start}`;
}

/** Open file descriptors of a process. */
export function descriptorCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
