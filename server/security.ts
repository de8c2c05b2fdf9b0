/**
 * The server executes code, so it defends itself the way Jupyter does: a per-launch
 * token, and Host / Origin checks against DNS rebinding and cross-site WebSocket hijacking.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './protocol.ts';

/** 256 random bits, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface HostPolicy {
  readonly port: number;
  /** Host names accepted besides the loopback ones (the `--host` address, if any). */
  readonly extraNames: readonly string[];
}

/** The `Host` header must name us: a loopback name (or the explicit --host) with our port. */
export function isAllowedHost(hostHeader: string | undefined, policy: HostPolicy): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(hostHeader);
  if (!match) return false;
  const [, name = '', port = ''] = match;
  if (Number(port) !== policy.port) return false;
  const lower = name.toLowerCase();
  return LOOPBACK_NAMES.has(lower) || policy.extraNames.includes(lower);
}

/** A WebSocket `Origin` must be present and be exactly the origin the page was loaded from. */
export function isSameOrigin(originHeader: string | undefined, hostHeader: string | undefined): boolean {
  if (!originHeader || !hostHeader) return false;
  return originHeader === `http://${hostHeader}`;
}

export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A peer on this machine (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (address === undefined) return false;
  return isLoopbackAddress(address.startsWith('::ffff:') ? address.slice(7) : address);
}

/**
 * What a token lets its holder do, from where: the presenter token runs code, so it counts
 * from this machine only (with `--host` the server is reachable from the room); the audience
 * token only follows the talk, from anywhere the server listens. Null: refused.
 */
export function roleFor(tokens: { readonly presenter: string; readonly audience: string }, given: string | null | undefined, remoteAddress: string | undefined): Role | null {
  if (tokenMatches(tokens.presenter, given)) return isLoopbackPeer(remoteAddress) ? 'presenter' : null;
  if (tokenMatches(tokens.audience, given)) return 'audience';
  return null;
}
