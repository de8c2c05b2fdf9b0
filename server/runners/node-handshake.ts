/**
 * The Node end of the handshake in launch-line.ts, for the bootstraps that run in a pty
 * (node-bootstrap.ts, worker-host.ts): compiled into them, it runs in the child, before
 * `process.stdin` exists, with plain blocking reads and writes on the terminal.
 */
import { closeSync, readdirSync, readFileSync, readlinkSync, readSync, writeSync } from 'node:fs';
import { decodeLaunch, GO_MARKER, READY_MARKER } from './launch-line.ts';
import type { Launch } from './launch-line.ts';

/**
 * Closes every descriptor this process inherited: node-pty leaves the terminals of the
 * server's other runs open across exec, and the server may hold others it got from its
 * own parent. Node's own descriptors (its event loop's) must stay; libuv opens every one
 * of them close-on-exec, so a descriptor without that flag can only have come through
 * exec. Linux only (it reads /proc/self/fd); where the flags cannot be read, only other
 * terminals are closed.
 */
export function closeInheritedDescriptors(): void {
  if (process.platform !== 'linux') return;
  const ownTerminal = linkOf(0);
  for (const name of readdirSync('/proc/self/fd')) {
    const fd = Number(name);
    if (fd <= 2) continue;
    const cloexec = isCloseOnExec(fd);
    if (cloexec === false) closeSync(fd);
    else if (cloexec === null && isOtherTerminal(linkOf(fd), ownTerminal)) closeSync(fd);
  }
}

/** From `flags:` in /proc/self/fdinfo (octal); null when it cannot be read (the listing's own, already closed descriptor). */
function isCloseOnExec(fd: number): boolean | null {
  let info: string;
  try {
    info = readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1');
  } catch {
    return null;
  }
  const flags = /^flags:\s+([0-7]+)/m.exec(info)?.[1];
  return flags === undefined ? null : (parseInt(flags, 8) & O_CLOEXEC) !== 0;
}

/** O_CLOEXEC on Linux (asm-generic); `fs.constants` does not list it. */
const O_CLOEXEC = 0o2000000;

function isOtherTerminal(target: string | null, own: string | null): boolean {
  if (target === null) return false;
  return /^\/dev\/(pts\/)?ptmx$/.test(target) || (/^\/dev\/pts\/\d+$/.test(target) && target !== own);
}

function linkOf(fd: number): string | null {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

/** Says it is ready, waits for the runner's line, acknowledges it. Exits when the terminal closes first. */
export function waitForLaunch(): Launch {
  writeAll(1, READY_MARKER);
  const buffer = Buffer.alloc(4096);
  let line = '';
  while (!line.endsWith('\n')) {
    const count = readSome(buffer);
    // The server closed the terminal: it no longer wants this interpreter.
    if (count === 0) process.exit(0);
    line += buffer.toString('latin1', 0, count);
  }
  writeAll(1, GO_MARKER);
  return decodeLaunch(line);
}

function readSome(buffer: Buffer): number {
  for (;;) {
    try {
      return readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return 0;
      pauseBriefly();
    }
  }
}

/** Writes all of `data` to `fd`, waiting while the terminal is full or stopped (XOFF). */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      pauseBriefly();
    }
  }
}

const nap = new Int32Array(new SharedArrayBuffer(4));

/** A descriptor someone made non-blocking: wait a moment rather than spin. */
function pauseBriefly(): void {
  Atomics.wait(nap, 0, 0, 2);
}
