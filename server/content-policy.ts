/**
 * The page's Content-Security-Policy, in one place. By default the page loads nothing from
 * another host; a deck that opts in (`remote: allow`) may load images, media, fonts and
 * styles over https:. Scripts (no inline one: the presenter screen is a page of ours, not
 * reveal.js's speaker view), frames and plugins stay on our own origin either way.
 */

export interface ContentPolicyOptions {
  /** The deck's `remote: allow`: adds `https:` to img, media, font and style sources. */
  readonly allowRemote: boolean;
}

export function contentSecurityPolicy({ allowRemote }: ContentPolicyOptions): string {
  const remote = allowRemote ? ['https:'] : [];
  const directives: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'", ...remote],
    'img-src': ["'self'", 'data:', ...remote],
    'media-src': ["'self'", ...remote],
    // Fonts are files of ours (the build refuses an inlined one).
    'font-src': ["'self'", ...remote],
    'connect-src': ["'self'"],
    'frame-ancestors': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
