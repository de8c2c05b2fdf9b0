/**
 * The one place a demo id (a path relative to `demos/`, from a slide or from a page's run
 * request) becomes a file path. Anything that could leave `demos/` is refused.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Longest demo id accepted, matching the protocol's limit. */
const MAX_ID_LENGTH = 256;

/**
 * The real path of demo `id` inside `demosDir`, or null when the id is not a plain relative
 * path (absolute, `..`, `.`, empty or hidden segments, backslashes, NUL), when its real path
 * (symlinks followed) leaves `demosDir`, or when it is not an existing regular file.
 */
export function resolveDemoPath(demosDir: string, id: string): string | null {
  if (!isPlainRelativePath(id)) return null;
  try {
    const root = realpathSync(demosDir);
    const file = realpathSync(path.join(root, ...id.split('/')));
    if (!file.startsWith(root + path.sep)) return null;
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function isPlainRelativePath(id: string): boolean {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) return false;
  if (id.includes('\0') || id.includes('\\') || path.isAbsolute(id) || /^[A-Za-z]:/.test(id)) return false;
  // A leading dot also refuses `.`/`..` and hidden files such as `.env`.
  return id.split('/').every((segment) => segment !== '' && !segment.startsWith('.'));
}
