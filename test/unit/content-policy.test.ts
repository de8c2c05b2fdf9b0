import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../server/content-policy.ts';

/** The policy as directive → sources. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split('; ').map((directive) => {
    const [name = '', ...sources] = directive.split(' ');
    return [name, sources];
  }));
}

describe('contentSecurityPolicy', () => {
  it('by default lets the page load only from its own origin (and data: images and fonts)', () => {
    const policy = directives(contentSecurityPolicy({ allowRemote: false }));
    expect(policy).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'media-src': ["'self'"],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'frame-ancestors': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    });
  });

  it('with the deck’s opt-in adds https: to images, media, fonts and styles only', () => {
    const closed = directives(contentSecurityPolicy({ allowRemote: false }));
    const open = directives(contentSecurityPolicy({ allowRemote: true }));
    const widened = Object.keys(open).filter((name) => open[name]?.join(' ') !== closed[name]?.join(' '));
    expect(widened).toEqual(['style-src', 'img-src', 'media-src', 'font-src']);
    for (const name of widened) expect(open[name]).toEqual([...(closed[name] ?? []), 'https:']);
    expect(contentSecurityPolicy({ allowRemote: true })).not.toMatch(/http:|\*/);
  });
});
