/**
 * A run's processes, as the kernel sees them: signals to a whole process group, and what
 * Linux's process table (/proc) says about a process or a group. Elsewhere the /proc
 * readers report nothing, and what depends on them (the memory limit, an early exit) is
 * skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Sends `signal` to every process of the group led by `pgid`; a group already empty is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  sendSignal(-pgid, signal);
}

/** Sends `signal` to the one process `pid`; one already gone is not an error. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  sendSignal(pid, signal);
}

function sendSignal(target: number, signal: NodeJS.Signals): void {
  // Never let a bad id turn into kill(0) or kill(-1): those reach the server's own group or every process.
  if (!Number.isInteger(target) || Math.abs(target) <= 1) return;
  try {
    process.kill(target, signal);
  } catch (error) {
    // ESRCH: already gone. EPERM: the id is no longer ours to signal.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}

export interface ProcessStat {
  readonly pid: number;
  /** R, S, D, Z, … */
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  /** Resident set, in pages. */
  readonly rssPages: number;
}

/** One line of /proc/<pid>/stat, or null when the process is not (or no longer) there. */
export function readProcessStat(pid: number): ProcessStat | null {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  // Field 3 of stat(5) is fields[0] here: state, ppid, pgrp, …, rss is field 24.
  return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgid: Number(fields[2]), rssPages: Number(fields[21]) };
}

/** True once `pid` has stopped running: a zombie waiting to be reaped, or gone from the table. */
export function hasExited(pid: number): boolean {
  const stat = readProcessStat(pid);
  return stat === null || stat.state === 'Z' || stat.state === 'X';
}

/** Every process in the table (an empty list where there is no /proc). */
export function listProcesses(): ProcessStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const all: ProcessStat[] = [];
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const stat = readProcessStat(Number(name));
    if (stat) all.push(stat);
  }
  return all;
}

/** Resident memory of each of `pgids`, in bytes: the sum over the group's processes. */
export function groupResidentBytes(pgids: ReadonlySet<number>): Map<number, number> {
  const bytes = new Map<number, number>();
  for (const stat of listProcesses()) {
    if (!pgids.has(stat.pgid) || !Number.isFinite(stat.rssPages)) continue;
    bytes.set(stat.pgid, (bytes.get(stat.pgid) ?? 0) + stat.rssPages * pageSize());
  }
  return bytes;
}

let cachedPageSize: number | null = null;

/** The kernel's page size, since stat's rss counts pages: read once, 4 KiB where the kernel does not say. */
function pageSize(): number {
  if (cachedPageSize === null) {
    let size = 4096;
    try {
      const match = /^KernelPageSize:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'latin1'));
      if (match?.[1]) size = Number(match[1]) * 1024;
    } catch {
      // No smaps_rollup: keep the common size.
    }
    cachedPageSize = size;
  }
  return cachedPageSize;
}
