/** `npm start`'s entry as a speaker meets it: the printed URL, a port in use, a remote --host. */
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { projectRoot } from '../../server/config.ts';
import { spawnServer } from '../helpers/spawn-server.ts';

const root = path.join(projectRoot, 'test/fixtures/server-deck');

describe('server/main.ts', () => {
  it('prints the presenter URL with a 256-bit token on a line of its own, and never logs the token again', async () => {
    const server = await spawnServer({ root, args: ['--no-watch'] });
    try {
      expect(server.stdout().split('\n')).toContain(server.url);
      expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const socket = await DeckSocket.open(server.origin, server.token);
      socket.send({ type: 'run', run: 'r', demo: 'python:exit_code.py', cols: 80, rows: 24 });
      await socket.waitFor('exit');
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

  it('warns when told to listen beyond loopback', async () => {
    const server = await spawnServer({ root, args: ['--no-watch', '--host', '0.0.0.0'] });
    await server.stop();
    expect(server.stderr()).toMatch(/WARNING: listening on 0\.0\.0\.0, not loopback/);
  });
});
