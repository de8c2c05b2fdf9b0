/**
 * Requests a hostile page or a fuzzer sends, against the real server process (`npm start`'s
 * entry): none may end the server, and none may flood its log.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.ts';

const root = path.join(projectRoot, 'test/fixtures/server-deck');
let server: SpawnedServer;

beforeAll(async () => {
  server = await spawnServer({ root, args: ['--no-watch'] });
});
afterAll(() => server.stop());

/** Sends raw bytes and resolves with what came back until the server closed the connection (every request here asks it to). */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: server.port });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => (answer += data));
    socket.on('connect', () => socket.write(text));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const upgradeHeaders = (host: string): string => `Host: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

describe('malformed requests', () => {
  const host = (): string => `127.0.0.1:${server.port}`;
  const targets = ['//[', '//[::1', 'http://[', '//%', '/ws?token=%zz', '//', '*', 'ws://x:99999/ws', '/%00', `/ws?token=${'A'.repeat(8000)}`];

  it.each(targets)('answers an upgrade to %s with 400 or 403, and the server lives on', async (target) => {
    const answer = await rawRequest(`GET ${target} HTTP/1.1\r\n${upgradeHeaders(host())}`);
    expect(answer).toMatch(/^HTTP\/1\.1 (400|403) /);
    expect(alive(server.pid)).toBe(true);
  });

  it.each(['evil.example', '[', '', `127.0.0.1:${'9'.repeat(40)}`])('answers an upgrade with Host "%s" and a bad target with 400 or 403', async (badHost) => {
    const answer = await rawRequest(`GET //[ HTTP/1.1\r\n${upgradeHeaders(badHost)}`);
    expect(answer).toMatch(/^HTTP\/1\.1 (400|403) /);
    expect(alive(server.pid)).toBe(true);
  });

  it.each([
    ['a bad target', (h: string) => `GET //[ HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`],
    ['no target', (h: string) => `GET  HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`],
    ['a garbage request line', () => '\x00\x01\x02 garbage\r\n\r\n'],
    ['a bad method', (h: string) => `G\x7fT / HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`],
    ['a bad version', (h: string) => `GET / HTTP/9.9\r\nHost: ${h}\r\nConnection: close\r\n\r\n`],
    ['a broken header', (h: string) => `GET / HTTP/1.1\r\nHost: ${h}\r\nX: \x00\r\nConnection: close\r\n\r\n`],
    ['an asset path with traversal', (h: string) => `GET /assets/%2e%2e/%2e%2e/package.json HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`],
    ['a missing asset', (h: string) => `GET /assets/nothing-here.js HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`],
  ])('answers a plain request with %s with a 4xx, and the server lives on', async (_what, request) => {
    const answer = await rawRequest(request(host()));
    expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(alive(server.pid)).toBe(true);
  });

  it('still runs a demo after all of them, and logged at most one line per refused request', async () => {
    const socket = await DeckSocket.open(server.origin, server.token);
    const after = await socket.run('python:exit_code.py');
    expect((await socket.waitFor('exit', (m) => m.run === after)).code).toBe(3);
    socket.close();
    const logLines = server.stderr().split('\n').filter((line) => line.trim() !== '');
    expect(logLines.length, server.stderr()).toBeLessThanOrEqual(targets.length + 12);
    expect(server.stderr()).not.toMatch(/^\s+at /m);
  });
});
