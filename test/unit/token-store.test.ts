import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTokenFile, loadTokens } from '../../server/token-store.ts';

const posix = process.platform !== 'win32';
let root: string;
let file: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'token-store-'));
  file = path.join(root, 'state', 'concurrency-deck', 'tokens.json');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('defaultTokenFile', () => {
  it('lives under $XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultTokenFile({ XDG_STATE_HOME: '/x/state', HOME: '/home/me' })).toBe('/x/state/concurrency-deck/tokens.json');
    expect(defaultTokenFile({ HOME: '/home/me' })).toBe('/home/me/.local/state/concurrency-deck/tokens.json');
    // A relative XDG path is invalid by the spec, and ignored.
    expect(defaultTokenFile({ XDG_STATE_HOME: 'state', HOME: '/home/me' })).toBe('/home/me/.local/state/concurrency-deck/tokens.json');
  });
});

describe('loadTokens', () => {
  it('makes two different tokens in a user-only file, then keeps them across restarts', async () => {
    const first = await loadTokens({ file, renew: false });
    expect(first.created).toBe(true);
    expect(first.note).toMatch(/no token file yet/);
    expect(first.file).toBe(file);
    expect(first.presenter).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.audience).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.presenter).not.toBe(first.audience);
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o077).toBe(0);
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, presenter: first.presenter, audience: first.audience });

    const again = await loadTokens({ file, renew: false });
    expect(again).toEqual({ presenter: first.presenter, audience: first.audience, file, created: false });
    expect(readdirSync(path.dirname(file))).toEqual(['tokens.json']);
  });

  it('makes new tokens on --new-token', async () => {
    const first = await loadTokens({ file, renew: false });
    const renewed = await loadTokens({ file, renew: true });
    expect(renewed.created).toBe(true);
    expect(renewed.note).toMatch(/--new-token/);
    expect(renewed.presenter).not.toBe(first.presenter);
    expect(renewed.audience).not.toBe(first.audience);
    expect((await loadTokens({ file, renew: false })).presenter).toBe(renewed.presenter);
    expect(readdirSync(path.dirname(file))).toEqual(['tokens.json']);
  });

  it('replaces a file that is not JSON or holds no good tokens, and says so', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"presenter": ', { mode: 0o600 });
    const fromBroken = await loadTokens({ file, renew: false });
    expect(fromBroken.created).toBe(true);
    expect(fromBroken.note).toMatch(/is not valid JSON/);
    expect(fromBroken.note).toContain(file);

    const same = 'a'.repeat(43);
    for (const content of [{ presenter: same, audience: same }, { presenter: 'short', audience: 'b'.repeat(43) }, { presenter: 'a'.repeat(43) }, ['x']]) {
      writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
      const result = await loadTokens({ file, renew: false });
      expect(result.created).toBe(true);
      expect(result.note).toMatch(/does not hold two good tokens/);
      expect(result.presenter).not.toBe(result.audience);
    }
  });

  it.runIf(posix)('refuses a file that group or others can read or write, naming it', async () => {
    await loadTokens({ file, renew: false });
    for (const mode of [0o644, 0o640, 0o602]) {
      chmodSync(file, mode);
      await expect(loadTokens({ file, renew: false })).rejects.toThrow(`token file ${file} has mode 0${mode.toString(8)}`);
    }
    // --new-token does not read the old tokens, and leaves a private file.
    const renewed = await loadTokens({ file, renew: true });
    expect(renewed.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)('refuses a symbolic link and a directory', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    const real = path.join(root, 'elsewhere.json');
    writeFileSync(real, JSON.stringify({ presenter: 'a'.repeat(43), audience: 'b'.repeat(43) }), { mode: 0o600 });
    symlinkSync(real, file);
    await expect(loadTokens({ file, renew: false })).rejects.toThrow(/symbolic link/);
    rmSync(file);
    mkdirSync(file);
    await expect(loadTokens({ file, renew: false })).rejects.toThrow(`token file ${file} is not a regular file`);
  });

  it.runIf(posix)('refuses a FIFO without waiting for a writer', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    execFileSync('mkfifo', ['-m', '600', file]);
    await expect(loadTokens({ file, renew: false })).rejects.toThrow(/is not a regular file/);
  });

  it.runIf(posix && process.getuid?.() === 0)('refuses a file that belongs to another user', async () => {
    await loadTokens({ file, renew: false });
    chownSync(file, 65534, 65534);
    await expect(loadTokens({ file, renew: false })).rejects.toThrow(/belongs to uid 65534, not to this user/);
  });
});
