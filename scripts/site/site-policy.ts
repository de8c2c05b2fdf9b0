/**
 * The site page's Content-Security-Policy, as a `<meta>` (a static host sends no headers of
 * ours): the live page's policy (server/content-policy.ts, which follows the deck's
 * `remote: allow`), less what a `<meta>` cannot say (`frame-ancestors`). The single file
 * runs its one inline script by hash, carries its fonts as `data:` URLs and fetches nothing.
 */
import { createHash } from 'node:crypto';
import { contentSecurityPolicy } from '../../server/content-policy.ts';

export interface SitePolicyOptions {
  readonly allowRemote: boolean;
  /** The single file's inline module script, which the policy allows by its hash; null for a linked script. */
  readonly inlineScript: string | null;
}

export function sitePolicy({ allowRemote, inlineScript }: SitePolicyOptions): string {
  const directives = new Map(
    contentSecurityPolicy({ allowRemote }).split('; ').map((directive): [string, string[]] => {
      const [name = '', ...sources] = directive.split(' ');
      return [name, sources];
    }),
  );
  directives.delete('frame-ancestors');
  if (inlineScript !== null) {
    directives.set('script-src', [`'sha256-${createHash('sha256').update(inlineScript).digest('base64')}'`]);
    directives.set('font-src', [...(directives.get('font-src') ?? []), 'data:']);
    directives.set('connect-src', ["'none'"]);
  }
  return [...directives].map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
