/**
 * The presenter's and the audience's tokens, kept across restarts so that open pages can
 * reconnect. They live in a file only this user can read, outside the repository; a file
 * others could have read is refused rather than used, since its tokens may have leaked.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { createToken } from './security.ts';

export interface LoadTokensOptions {
  /** The token file; see {@link defaultTokenFile}. */
  readonly file: string;
  /** Make new tokens even if the file holds good ones (`--new-token`). */
  readonly renew: boolean;
}

export interface Tokens {
  /** Full control: runs code. */
  readonly presenter: string;
  /** Follows the presenter, read-only. */
  readonly audience: string;
  readonly file: string;
  /** True when new tokens were made (and written) by this call. */
  readonly created: boolean;
  /** Why new tokens were made, for the terminal; absent when the file's tokens were used. */
  readonly note?: string;
}

interface TokenFile {
  readonly version: 1;
  readonly presenter: string;
  readonly audience: string;
}

/** `createToken()` gives 43 base64url characters; accept nothing weaker. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43,}$/;

/** `$XDG_STATE_HOME/concurrency-deck/tokens.json`, else `~/.local/state/concurrency-deck/tokens.json`. */
export function defaultTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  // The XDG spec says a relative path in the variable is invalid and is to be ignored.
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(env.HOME || homedir(), '.local', 'state');
  return path.join(state, 'concurrency-deck', 'tokens.json');
}

/**
 * The tokens in `file`, or new ones written there when `renew` is set, the file is missing,
 * or it does not hold two good tokens. Throws, naming the file, when it is not a regular
 * file, not this user's, or readable or writable by group or others.
 */
export async function loadTokens(options: LoadTokensOptions): Promise<Tokens> {
  const file = path.resolve(options.file);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  if (options.renew) return writeNewTokens(file, 'new tokens (--new-token): pages opened before need the new URL');

  const read = await readTokenFile(file);
  if (read.kind === 'missing') return writeNewTokens(file, `no token file yet: new tokens in ${file}`);
  if (read.kind === 'invalid') return writeNewTokens(file, `${file} ${read.reason}: new tokens written; pages opened before need the new URL`);
  return { presenter: read.tokens.presenter, audience: read.tokens.audience, file, created: false };
}

type ReadResult = { kind: 'missing' } | { kind: 'invalid'; reason: string } | { kind: 'ok'; tokens: TokenFile };

async function readTokenFile(file: string): Promise<ReadResult> {
  // O_NOFOLLOW: a symbolic link is not our file; O_NONBLOCK: a FIFO planted there must not hang us.
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  let handle;
  try {
    handle = await open(file, flags);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') throw refusal(file, 'is a symbolic link, not a regular file');
    if (code === 'EACCES') throw refusal(file, 'cannot be read by this user');
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refusal(file, 'is not a regular file');
    // Windows has neither owners nor these mode bits in the POSIX sense.
    if (process.platform !== 'win32') {
      const uid = process.getuid?.();
      if (uid !== undefined && stats.uid !== uid) throw refusal(file, `belongs to uid ${stats.uid}, not to this user (uid ${uid})`);
      if ((stats.mode & 0o077) !== 0) {
        throw refusal(file, `has mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}: group or others may have read its tokens`);
      }
    }
    const text = await handle.readFile('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: 'invalid', reason: 'is not valid JSON' };
    }
    const tokens = toTokenFile(value);
    return tokens === null ? { kind: 'invalid', reason: 'does not hold two good tokens' } : { kind: 'ok', tokens };
  } finally {
    await handle.close();
  }
}

function toTokenFile(value: unknown): TokenFile | null {
  if (typeof value !== 'object' || value === null) return null;
  const { presenter, audience } = value as Record<string, unknown>;
  if (typeof presenter !== 'string' || typeof audience !== 'string') return null;
  if (!TOKEN_PATTERN.test(presenter) || !TOKEN_PATTERN.test(audience)) return null;
  // One token for both would let the audience run code.
  if (presenter === audience) return null;
  return { version: 1, presenter, audience };
}

/** Writes new tokens atomically: a 0600 temporary file in the same directory, renamed over the old one. */
async function writeNewTokens(file: string, note: string): Promise<Tokens> {
  const tokens: TokenFile = { version: 1, presenter: createToken(), audience: createToken() };
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(tokens, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, 0o600); // the umask can only remove bits, but say it outright
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return { presenter: tokens.presenter, audience: tokens.audience, file, created: true, note };
}

function refusal(file: string, why: string): Error {
  return new Error(`token file ${file} ${why}. Not using its tokens, which may have leaked: remove it or start with --new-token to make new ones.`);
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

