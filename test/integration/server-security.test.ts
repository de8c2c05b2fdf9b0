import { request } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDeckServer, type DeckServer } from '../../server/app.ts';
import { LIMITS } from '../../server/protocol.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';
import { projectRoot } from '../../server/config.ts';

const root = path.join(projectRoot, 'test/fixtures/server-deck');
let server: DeckServer;

beforeAll(async () => {
  server = await startDeckServer({ root, port: 0, watch: false });
});
afterAll(() => server.close());

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: pathname, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The HTTP status of a WebSocket upgrade, with full control over its headers. */
function upgradeStatus(query: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', reject);
  });
}

describe('HTTP', () => {
  it('serves the deck to a loopback Host with our port', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('data-demo="exit_code.py"');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it.each(['evil.example:PORT', 'localhost:1', '127.0.0.1', 'attacker.127.0.0.1.nip.io:PORT'])('refuses Host %s with 403 (DNS rebinding)', async (host) => {
    const res = await get('/', { Host: host.replace('PORT', String(server.port)) });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('data-demo');
  });

  it('sends no CORS headers, even when asked cross-origin', async () => {
    const res = await get('/deck', { Origin: 'http://evil.example' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('listens on 127.0.0.1 only: another loopback address is refused', async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = net.connect({ host: '127.0.0.2', port: server.port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' }));
      });
      socket.on('error', resolve);
    });
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('WebSocket upgrade', () => {
  const origin = (): string => server.origin;
  const host = (): string => `127.0.0.1:${server.port}`;

  it('accepts our token with our Origin', async () => {
    expect(await upgradeStatus(`?token=${server.token}`, { Origin: origin() })).toBe(101);
  });

  it('accepts the audience token with our Origin, and the socket is an audience one', async () => {
    expect(await upgradeStatus(`?token=${server.audienceToken}`, { Origin: origin() })).toBe(101);
    const socket = await DeckSocket.open(server.origin, server.audienceToken);
    expect((await socket.waitFor('welcome')).role).toBe('audience');
    socket.close();
  });

  it('tells a page which role its token has, and refuses a wrong one', async () => {
    expect(JSON.parse((await get(`/session?token=${server.token}`)).body)).toEqual({ role: 'presenter' });
    expect(JSON.parse((await get(`/session?token=${server.audienceToken}`)).body)).toEqual({ role: 'audience' });
    expect((await get(`/session?token=wrong${server.token}`)).status).toBe(403);
    expect((await get('/session')).status).toBe(403);
  });

  it.each([
    ['no token', () => '', () => ({ Origin: origin() })],
    ['a wrong token', () => '?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', () => ({ Origin: origin() })],
    ['the token with one character changed', () => `?token=${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`, () => ({ Origin: origin() })],
    ['a foreign Origin', () => `?token=${server.token}`, () => ({ Origin: 'http://evil.example' })],
    ['an Origin with another port', () => `?token=${server.token}`, () => ({ Origin: 'http://127.0.0.1:1' })],
    ['a missing Origin', () => `?token=${server.token}`, () => ({})],
    ['a foreign Host', () => `?token=${server.token}`, () => ({ Origin: 'http://evil.example', Host: 'evil.example' })],
  ])('refuses %s with 403', async (_what, query, headers) => {
    expect(await upgradeStatus(query(), headers())).toBe(403);
  });

  it('refuses an upgrade on another path', async () => {
    const ws = new WebSocket(`ws://${host()}/other?token=${server.token}`, { headers: { Origin: origin() } });
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });
});

describe('messages', () => {
  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['an unknown type', JSON.stringify({ type: 'format-disk' }), /invalid message/],
    ['a run without a demo', JSON.stringify({ type: 'run', cols: 80, rows: 24 }), /demo/],
    ['a run that names its own runtime', JSON.stringify({ type: 'run', demo: 'python:exit_code.py', runtime: 'bash', cols: 80, rows: 24 }), /invalid message/],
    ['a run that sets its own time limit', JSON.stringify({ type: 'run', demo: 'python:exit_code.py', timeoutMs: 600000, cols: 80, rows: 24 }), /invalid message/],
    ['a run that names its own run id (the server names runs)', JSON.stringify({ type: 'run', run: 'mine', demo: 'python:exit_code.py', cols: 80, rows: 24 }), /invalid message/],
    ['a watch of too many demos', JSON.stringify({ type: 'watch', demos: Array.from({ length: 65 }, (_, i) => `python:d${i}.py`) }), /invalid message: demos/],
    ['a goto without a slide', JSON.stringify({ type: 'goto', slide: '', fragment: 0 }), /invalid message: slide/],
    ['a bad run id', JSON.stringify({ type: 'stop', run: '../x' }), /run/],
    ['an extra field', JSON.stringify({ type: 'stop', run: 'a', shell: 'rm -rf /' }), /invalid message/],
    ['a number', '42', /invalid message/],
    ['null', 'null', /invalid message/],
  ])('answers %s with an error and keeps serving', async (_what, frame, pattern) => {
    const socket = await DeckSocket.open(server.origin, server.token);
    socket.sendRaw(frame);
    const error = await socket.waitFor('error');
    expect(error.message).toMatch(pattern);
    const after = await socket.run('python:exit_code.py');
    expect((await socket.waitFor('exit', (m) => m.run === after)).code).toBe(3);
    expect(socket.messages.filter((m) => m.type === 'starting')).toHaveLength(1);
    socket.close();
  });

  it('answers a binary frame and a message for an unknown run with an error', async () => {
    const socket = await DeckSocket.open(server.origin, server.token);
    socket.sendRaw(Buffer.from([0, 1, 2]));
    expect((await socket.waitFor('error')).message).toMatch(/not JSON/);
    socket.send({ type: 'ack', run: 'finished', bytes: 10 });
    socket.send({ type: 'input', run: 'nobody', data: 'x' });
    expect((await socket.waitFor('error', (m) => m.run === 'nobody')).message).toMatch(/no run "nobody"/);
    // A late ack for a finished run is routine: no error for it.
    expect(socket.messages.some((m) => m.type === 'error' && m.run === 'finished')).toBe(false);
    socket.close();
  });

  it('closes a socket that sends an oversized frame, and the server lives on', async () => {
    const socket = await DeckSocket.open(server.origin, server.token);
    socket.sendRaw('x'.repeat(LIMITS.maxMessageBytes + 1));
    expect(await socket.closed()).toBe(1009);
    const next = await DeckSocket.open(server.origin, server.token);
    const alive = await next.run('python:exit_code.py');
    expect((await next.waitFor('exit', (m) => m.run === alive)).code).toBe(3);
    next.close();
  });

  it.each([
    'python:../slides/01-demos.md',
    'python:/etc/passwd',
    'python:sub/../../slides/01-demos.md',
    'python:..',
    'python:missing.py',
    'python:%2e%2e/slides/01-demos.md',
    'exit_code.py',
    'worker:exit_code.py',
    'process:exit_code.py',
    'python:exit_code.py~2',
  ])('refuses to run demo key %s: no slide of this deck shows it', async (demo) => {
    const socket = await DeckSocket.open(server.origin, server.token);
    socket.send({ type: 'run', demo, cols: 80, rows: 24 });
    const error = await socket.waitFor('error', (m) => m.demo === demo);
    expect(error.message).toMatch(/unknown demo/);
    expect(socket.messages.some((m) => m.type === 'starting' || m.type === 'started' || m.type === 'exit')).toBe(false);
    socket.close();
  });
});
