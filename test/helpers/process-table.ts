/** Reads the Linux process table (/proc), for tests that prove a process is gone. */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** State letter of a process (R, S, Z, …), or null when it is not in the table. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** Resolves once none of `pids` is in the process table; rejects with the survivors after `timeoutMs`. */
export async function waitUntilGone(pids: readonly number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter((pid) => processState(pid) !== null);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still in the process table: ${left.map((pid) => `${pid} (${processState(pid)})`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function openFileDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Resident and peak resident memory of a process, in bytes (VmRSS, VmHWM). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Bytes a process has written so far, to files, pipes and terminals alike (`wchar` of /proc/<pid>/io). */
export function bytesWrittenBy(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^wchar:\s+(\d+)$/m.exec(io)?.[1] ?? NaN);
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The direct children of `pid`. */
export function childrenOf(pid: number): number[] {
  return allPids().filter((child) => parentOf(child) === pid);
}

/** The command line of a process (empty once it has exited). */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The working directory of a process, or null once it has exited (or is a zombie). */
export function workingDirectory(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}
