/** Who a token lets in, and from where: the presenter token from this machine only, the audience token from anywhere. */
import { describe, expect, it } from 'vitest';
import { createToken, isLoopbackPeer, roleFor, tokenMatches } from '../../server/security.ts';

const tokens = { presenter: createToken(), audience: createToken() };

describe('roleFor', () => {
  it.each(['127.0.0.1', '127.4.5.6', '::1', '::ffff:127.0.0.1'])('the presenter token from %s (loopback) is a presenter', (address) => {
    expect(roleFor(tokens, tokens.presenter, address)).toBe('presenter');
  });

  it.each(['192.168.1.5', '::ffff:192.168.1.5', 'fd00::2', '0.0.0.0', '::', '128.0.0.1', '::ffff:10.0.0.1', undefined])('the presenter token from %s is refused', (address) => {
    expect(roleFor(tokens, tokens.presenter, address)).toBeNull();
  });

  it.each(['127.0.0.1', '::1', '192.168.1.5', 'fd00::2', undefined])('the audience token from %s is an audience', (address) => {
    expect(roleFor(tokens, tokens.audience, address)).toBe('audience');
  });

  it.each([
    ['a wrong token', () => createToken()],
    ['the presenter token with one character changed', () => `${tokens.presenter.slice(0, -1)}${tokens.presenter.endsWith('A') ? 'B' : 'A'}`],
    ['the presenter token with a character more', () => `${tokens.presenter}A`],
    ['an empty token', () => ''],
    ['no token', () => null],
  ])('%s is refused, from loopback too', (_what, given) => {
    expect(roleFor(tokens, given(), '127.0.0.1')).toBeNull();
    expect(roleFor(tokens, given(), '192.168.1.5')).toBeNull();
  });
});

describe('tokenMatches and isLoopbackPeer', () => {
  it('compares whole tokens only', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'ab')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
  });

  it('takes an IPv4-mapped IPv6 address for its IPv4 address, and nothing else for loopback', () => {
    expect(isLoopbackPeer('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackPeer('::ffff:192.168.1.5')).toBe(false);
    expect(isLoopbackPeer('127.0.0.1.example')).toBe(false);
    expect(isLoopbackPeer(undefined)).toBe(false);
  });
});
