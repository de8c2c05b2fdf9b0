/**
 * `npm start`'s entry as a speaker meets it: the printed URLs, kept tokens, a port in use, a
 * room-facing --host. (Tests reach 127.0.0.0/8 only: that the presenter token is refused from
 * another address is `roleFor`'s unit test.)
 */
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { projectRoot } from '../../server/config.ts';
import { freshTokenFile, spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts';

const root = path.join(projectRoot, 'test/fixtures/server-deck');

const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? '';
const tokensOf = (server: SpawnedServer): { presenter: string; audience: string } => ({ presenter: server.token, audience: tokenOf(server.audienceUrl) });

describe('server/main.ts', () => {
  it('prints the presenter URL with a 256-bit token on a line of its own, and never logs the token again', async () => {
    const server = await spawnServer({ root, args: ['--no-watch'] });
    try {
      expect(server.stdout().split('\n')).toContain(server.url);
      expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const socket = await DeckSocket.open(server.origin, server.token);
      const run = await socket.run('python:exit_code.py');
      await socket.waitFor('exit', (m) => m.run === run);
      await expect(DeckSocket.open(server.origin, `wrong${server.token}`)).rejects.toThrow(/403/);
      socket.close();
    } finally {
      await server.stop();
    }
    expect(server.stdout().split(server.token)).toHaveLength(2);
    expect(server.stderr()).not.toContain(server.token);
  });

  it('takes its port from PORT, and says clearly when that port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await spawnServer({ root, port: null, args: ['--no-watch'], env: { PORT: String(port) } }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port`));
    } finally {
      blocker.close();
    }
  });

  it('prints an audience URL with a token of its own, on a line of its own; that token opens an audience socket', async () => {
    const server = await spawnServer({ root, args: ['--no-watch'] });
    try {
      const { presenter, audience } = tokensOf(server);
      expect(server.stdout().split('\n')).toContain(server.audienceUrl);
      expect(audience).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(audience).not.toBe(presenter);
      expect(new URL(server.audienceUrl).origin).toBe(server.origin);
      const socket = await DeckSocket.open(server.origin, audience);
      expect((await socket.waitFor('welcome')).role).toBe('audience');
      const presenterSocket = await DeckSocket.open(server.origin, presenter);
      expect((await presenterSocket.waitFor('welcome')).role).toBe('presenter');
      socket.close();
      presenterSocket.close();
    } finally {
      await server.stop();
    }
    expect(server.stdout().split(tokenOf(server.audienceUrl))).toHaveLength(2);
    expect(server.stderr()).not.toContain(tokenOf(server.audienceUrl));
  });

  it('keeps its tokens across a restart, and makes new ones with --new-token', async () => {
    const tokenFile = freshTokenFile();
    const first = await spawnServer({ root, args: ['--no-watch'], tokenFile });
    await first.stop();
    const second = await spawnServer({ root, args: ['--no-watch'], tokenFile });
    await second.stop();
    expect(tokensOf(second)).toEqual(tokensOf(first));
    const renewed = await spawnServer({ root, args: ['--no-watch', '--new-token'], tokenFile });
    try {
      const tokens = tokensOf(renewed);
      expect(tokens.presenter).not.toBe(first.token);
      expect(tokens.audience).not.toBe(tokensOf(first).audience);
      expect(tokens.presenter).not.toBe(tokens.audience);
      // The old tokens are gone for good: the new server refuses them.
      await expect(DeckSocket.open(renewed.origin, first.token)).rejects.toThrow(/403/);
      await expect(DeckSocket.open(renewed.origin, tokensOf(first).audience)).rejects.toThrow(/403/);
    } finally {
      await renewed.stop();
    }
    // And the next restart keeps the new ones.
    const third = await spawnServer({ root, args: ['--no-watch'], tokenFile });
    await third.stop();
    expect(tokensOf(third)).toEqual(tokensOf(renewed));
  });

  it('on --host 0.0.0.0, says so, keeps the presenter URL on loopback and gives the room an address it can reach', async () => {
    const server = await spawnServer({ root, args: ['--no-watch', '--host', '0.0.0.0'] });
    try {
      expect(server.stderr()).toMatch(/Listening on 0\.0\.0\.0: .*audience URL.*presenter URL \(which runs code\) works from this machine only/);
      expect(new URL(server.url).hostname).toBe('127.0.0.1');
      expect(new URL(server.audienceUrl).hostname).not.toBe('0.0.0.0');
      const presenter = await DeckSocket.open(server.origin, server.token);
      expect((await presenter.waitFor('welcome')).role).toBe('presenter');
      presenter.close();
    } finally {
      await server.stop();
    }
  });
});
