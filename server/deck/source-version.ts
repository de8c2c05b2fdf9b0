/**
 * A demo file's version: a hash of its text. The page gets it with the demo (`data-version`)
 * and names it when it saves an edit, so a file that changed on disk meanwhile is never
 * overwritten; the page keeps unsaved edits per demo and version. Pure.
 */
import { createHash } from 'node:crypto';

export function sourceVersion(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}
