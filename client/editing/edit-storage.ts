/**
 * Where a page keeps a demo's edit so that nothing typed is lost to a reload, a hot reload or
 * a server restart: the browser's own storage, one entry per demo, under the demo's key and
 * the version of the file the edit was made from (`concurrency-deck:edit:<key>:<version>`).
 * No DOM: the storage is handed in (`localStorage` on the page), and a storage that refuses
 * (full, or disabled) is not an error.
 */

/** The part of the Web Storage API this uses. */
export interface KeyValueStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredEdit {
  readonly text: string;
  /** The version of the file the edit was made from. */
  readonly version: string;
}

const PREFIX = 'concurrency-deck:edit:';

export function editStorageKey(demo: string, version: string): string {
  return `${PREFIX}${demo}:${version}`;
}

export class EditStore {
  /** `null`: keeps nothing (an audience page, or a browser without storage). */
  constructor(private readonly storage: KeyValueStorage | null) {}

  /**
   * The edit kept for `demo`: the one made from `version` if there is one, else one made from
   * another version of the file (it changed since; the edit is still the speaker's).
   */
  load(demo: string, version: string): StoredEdit | null {
    const exact = this.read(editStorageKey(demo, version));
    if (exact !== null) return { text: exact, version };
    for (const other of this.versionsOf(demo)) {
      const text = this.read(editStorageKey(demo, other));
      if (text !== null) return { text, version: other };
    }
    return null;
  }

  /** Keeps `text` as the edit of `demo` made from `version`, in place of any other; false if the storage refused. */
  save(demo: string, version: string, text: string): boolean {
    if (this.storage === null) return false;
    try {
      this.storage.setItem(editStorageKey(demo, version), text);
    } catch {
      return false;
    }
    for (const other of this.versionsOf(demo)) if (other !== version) this.remove(editStorageKey(demo, other));
    return true;
  }

  /** Forgets every edit of `demo`, whatever its version. */
  clear(demo: string): void {
    for (const version of this.versionsOf(demo)) this.remove(editStorageKey(demo, version));
  }

  /** The versions `demo` has an entry for. A version never holds `:`, so a longer key that only starts like this one is not taken. */
  private versionsOf(demo: string): string[] {
    if (this.storage === null) return [];
    const prefix = editStorageKey(demo, '');
    const versions: string[] = [];
    try {
      for (let i = 0; i < this.storage.length; i += 1) {
        const key = this.storage.key(i);
        if (key === null || !key.startsWith(prefix)) continue;
        const version = key.slice(prefix.length);
        if (!version.includes(':')) versions.push(version);
      }
    } catch {
      return [];
    }
    return versions;
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // a storage that cannot remove cannot have kept much either
    }
  }
}
