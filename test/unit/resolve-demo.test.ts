import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDemoPath } from '../../server/deck/resolve-demo.ts';

let root: string;
let demos: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'resolve-demo-')));
  demos = path.join(root, 'demos');
  mkdirSync(path.join(demos, 'threads'), { recursive: true });
  writeFileSync(path.join(demos, 'threads', 'race.py'), 'print(1)\n');
  writeFileSync(path.join(demos, '.env'), 'SECRET=1\n');
  writeFileSync(path.join(root, 'secret.py'), 'print("secret")\n');
  symlinkSync(path.join(root, 'secret.py'), path.join(demos, 'escape.py'));
  symlinkSync(path.join(demos, 'threads', 'race.py'), path.join(demos, 'alias.py'));
  symlinkSync(root, path.join(demos, 'up'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('resolveDemoPath', () => {
  it('resolves a demo inside demos/ to its real path', () => {
    expect(resolveDemoPath(demos, 'threads/race.py')).toBe(path.join(demos, 'threads', 'race.py'));
  });

  it('follows a symlink that stays inside demos/', () => {
    expect(resolveDemoPath(demos, 'alias.py')).toBe(path.join(demos, 'threads', 'race.py'));
  });

  it.each([
    '../secret.py',
    'threads/../../secret.py',
    'threads/../race.py',
    './threads/race.py',
    'threads//race.py',
    'threads/race.py/',
    '/etc/passwd',
    'C:/Windows/win.ini',
    'threads\\race.py',
    'threads/race.py\0',
    '.env',
    '',
    'a'.repeat(300),
  ])('refuses %j', (id) => {
    expect(resolveDemoPath(demos, id)).toBeNull();
  });

  it('refuses symlinks that leave demos/', () => {
    expect(resolveDemoPath(demos, 'escape.py')).toBeNull();
    expect(resolveDemoPath(demos, 'up/secret.py')).toBeNull();
  });

  it('refuses what is missing or not a regular file', () => {
    expect(resolveDemoPath(demos, 'threads/missing.py')).toBeNull();
    expect(resolveDemoPath(demos, 'threads')).toBeNull();
    expect(resolveDemoPath(path.join(root, 'no-such-dir'), 'threads/race.py')).toBeNull();
  });

  it('refuses an absolute path even when it points inside demos/', () => {
    expect(resolveDemoPath(demos, path.join(demos, 'threads', 'race.py'))).toBeNull();
  });
});
