/**
 * Starts the real server entry (what `npm start` runs, after its build) on a free
 * loopback port and reads the presenter URL it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../server/config.ts';

export interface SpawnedServer {
  /** The presenter URL as printed, with the token. */
  readonly url: string;
  /** The audience URL as printed, with its read-only token. */
  readonly audienceUrl: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then waits for the process to exit; returns its exit code. */
  stop(): Promise<number | null>;
}

export interface SpawnOptions {
  root?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Passed as --port; 0 (the default) picks a free port, null passes none (PORT applies). */
  port?: number | null;
  /** Where the server keeps its tokens (DECK_TOKEN_FILE); by default a fresh file, so tests never touch the real one. */
  tokenFile?: string;
}

/** A token file path in a fresh private folder. */
export function freshTokenFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'deck-tokens-')), 'tokens.json');
}

export async function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const port = options.port === undefined ? 0 : options.port;
  const args = [
    '--import',
    'tsx',
    path.join(projectRoot, 'server/main.ts'),
    ...(port === null ? [] : ['--port', String(port)]),
    ...(options.root ? ['--root', options.root] : []),
    ...(options.args ?? []),
  ];
  const env = { ...process.env, DECK_TOKEN_FILE: options.tokenFile ?? freshTokenFile(), ...options.env };
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const [url, audienceUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const onData = (): void => {
      const urls = [...out.matchAll(/^(http:\/\/[^/\s]+:\d+\/\?token=[A-Za-z0-9_-]+)$/gm)].map((match) => match[1] ?? '');
      const [presenter, audience] = urls;
      if (presenter !== undefined && audience !== undefined) {
        child.stdout.off('data', onData);
        resolve([presenter, audience]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before printing its URL:\n${out}\n${err}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    audienceUrl,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    port: Number(parsed.port),
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}
