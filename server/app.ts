/**
 * Builds the deck server: the HTTP app (page, deck fragment, bundled assets) and the
 * WebSocket endpoint that runs demos. `server/main.ts` starts it from the command line;
 * tests start it on a free port.
 */
import { existsSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import { MANIFEST_FILE, readManifest, serveAssets } from './assets.ts';
import { defaultConfig, type DeckConfig } from './config.ts';
import { contentSecurityPolicy } from './content-policy.ts';
import { DeckStore } from './deck-store.ts';
import { renderPage } from './page.ts';
import { LIMITS, type Role } from './protocol.ts';
import { planPacing } from './deck/plan.ts';
import type { DemoRef } from './deck/model.ts';
import { resolveDemoPath } from './deck/resolve-demo.ts';
import { RUNTIMES } from './runtimes.ts';
import { createRunners, disposeRunners } from './runners/registry.ts';
import type { RunnerRegistry } from './runners/runner.ts';
import { resolveRunTarget } from './runs/resolve-run-target.ts';
import { RunBudget } from './runs/run-budget.ts';
import { RunHub } from './runs/run-hub.ts';
import { Session } from './runs/session.ts';
import { createToken, isAllowedHost, isLoopbackAddress, isSameOrigin, roleFor, type HostPolicy } from './security.ts';
import { Stage, type SavedRehearsal } from './stage.ts';
import { latestRehearsal, plannedSlideMs } from './talk/rehearsal.ts';

export interface DeckServer {
  /** The presenter URL, with the access token. */
  readonly url: string;
  /** The audience URL, with the read-only token: for the room's devices, it can never run code. */
  readonly audienceUrl: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly audienceToken: string;
  /** Pages connected right now. */
  readonly sessionCount: number;
  /** In rehearsal mode, writes the rehearsal so far; null otherwise or before the first slide change. */
  saveRehearsal(): Promise<SavedRehearsal | null>;
  /** Ends every run, closes every socket and the listener. */
  close(): Promise<void>;
}

export interface DeckServerOptions extends Partial<DeckConfig> {
  /** Runtimes by name; tests may pass their own (the server then leaves disposing them to the caller). */
  runners?: RunnerRegistry;
  /** A rehearsal was written (from the presenter screen, or by `saveRehearsal`). */
  onRehearsalSaved?: (saved: SavedRehearsal) => void;
}

const PING_INTERVAL_MS = 10_000;

export function createDeckApp(store: DeckStore, policy: () => HostPolicy, clientDir: string, roleOf: (token: string | null, remoteAddress: string | undefined) => Role | null): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    if (!isAllowedHost(req.headers.host, policy())) {
      res.status(403).type('text/plain').send('Forbidden: this Host is not allowed.\n');
      return;
    }
    res.set({
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'Content-Security-Policy': contentSecurityPolicy({ allowRemote: store.deck.allowRemote }),
      'Cache-Control': 'no-store',
    });
    next();
  });
  app.get('/', (_req, res) => {
    const { deck, html } = store.deck;
    res.type('html').send(renderPage(deck.sections[0]?.title ?? 'Deck', html, store.revision, readManifest(clientDir)));
  });
  app.get('/deck', (_req, res) => {
    res.json({ revision: store.revision, html: store.deck.html });
  });
  // A page whose socket keeps failing asks here whether its token is still good (after a restart with --new-token it is not).
  app.get('/session', (req, res) => {
    const token = typeof req.query['token'] === 'string' ? req.query['token'] : null;
    const role = roleOf(token, req.socket.remoteAddress);
    if (role === null) res.status(403).json({ error: 'this token is not valid on this server: open the URL the server printed' });
    else res.json({ role });
  });
  app.use('/assets', serveAssets(clientDir));
  app.use(answerErrors);
  return app;
}

/**
 * Any web page can make the browser request our assets (an `<img>` tag suffices), so a
 * refused request is routine: answered with its status, never a stack trace in the log.
 * Only a fault of ours (5xx) is logged, on one line.
 */
const answerErrors: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = httpStatusOf(error);
  if (status >= 500) console.error(`${req.method} ${req.path}: ${error instanceof Error ? error.message : String(error)}`);
  res.status(status).type('text/plain').send(`${status === 404 ? 'Not found' : status >= 500 ? 'Server error' : 'Refused'}\n`);
};

function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

export async function startDeckServer(options: DeckServerOptions = {}): Promise<DeckServer> {
  const { runners: givenRunners, onRehearsalSaved, ...settings } = options;
  const runners = givenRunners ?? createRunners();
  const config: DeckConfig = { ...defaultConfig, ...stripUndefined(settings) };
  if (!existsSync(path.join(config.clientDir, MANIFEST_FILE))) {
    throw new Error(`the client is not built (${path.join(config.clientDir, MANIFEST_FILE)} is missing): run "npm run build"`);
  }
  const token = config.token ?? createToken();
  const audienceToken = config.audienceToken ?? createToken();
  const demosDir = path.join(config.root, 'demos');
  const rehearsalsDir = config.rehearsalsDir ?? path.join(config.root, 'rehearsals');
  const recordingsDir = config.recordingsDir ?? path.join(config.root, 'recordings');
  const store = new DeckStore({ slidesDir: path.join(config.root, 'slides'), demosDir });
  await store.load();
  prepareRunners(runners, store.demos, demosDir);
  const lastRehearsal = await latestRehearsal(rehearsalsDir).catch(() => null);
  const rehearsedMs = lastRehearsal === null ? null : plannedSlideMs(lastRehearsal);

  let port = config.port;
  const addresses = listenAddresses(config.host);
  const extraNames = isLoopbackAddress(config.host) ? [] : isWildcard(config.host) ? lanAddresses().map(hostName) : [hostName(config.host)];
  const policy = (): HostPolicy => ({ port, extraNames });
  const roleOf = (given: string | null, remoteAddress: string | undefined): Role | null => roleFor({ presenter: token, audience: audienceToken }, given, remoteAddress);
  const app = createDeckApp(store, policy, config.clientDir, roleOf);
  const servers = addresses.map(() => createServer(app));
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxMessageBytes });
  const sessions = new Map<WebSocket, Session>();
  const budget = new RunBudget(config.maxRuns);
  const stage = new Stage({
    revision: () => store.revision,
    activity: () => hub.activity(),
    rehearsedMs: () => rehearsedMs,
    rehearsal: { dir: rehearsalsDir, plan: () => planPacing(store.deck.deck) },
    rehearsing: config.rehearse,
    ...(onRehearsalSaved === undefined ? {} : { onRehearsalSaved }),
  });
  const hub = new RunHub({
    runners,
    resolveDemo: (key) => resolveRunTarget(store.demos, key, demosDir, { timeoutMs: config.defaultTimeoutMs, maxOutputBytes: config.defaultMaxOutputBytes }),
    memoryLimitBytes: config.memoryLimitBytes,
    maxRunsPerPage: config.maxRunsPerPage,
    budget,
    flow: config,
    audienceMaxBacklog: config.audienceMaxBacklog,
    audienceMaxRate: config.audienceMaxRate,
    orphanGraceMs: config.orphanGraceMs,
    recordingsDir,
    onRunEnded: ({ demo, end }) => stage.recordRun(demo, store.slideOf(demo), end.durationMs, end.reason),
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A peer that resets mid-handshake must not become an unhandled 'error' that ends the server.
    socket.on('error', () => socket.destroy());
    const refusal = refuseUpgrade(req, policy(), roleOf);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${refusal.text.length + 1}\r\n\r\n${refusal.text}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  for (const server of servers) server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const role = roleOf(URL.parse(req.url ?? '', 'http://localhost')?.searchParams.get('token') ?? null, req.socket.remoteAddress) ?? 'audience';
    const session = new Session(ws, role, hub, stage);
    sessions.set(ws, session);
    let alive = true;
    ws.on('pong', () => {
      alive = true;
    });
    const ping = setInterval(() => {
      if (!alive) ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    ws.on('message', (data, isBinary) => {
      session.receive(isBinary ? '' : data.toString());
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(ping);
      sessions.delete(ws);
      session.close();
    });
  });

  if (config.watch) {
    await store.watch();
    store.onChange(() => {
      prepareRunners(runners, store.demos, demosDir);
      stage.deckChanged();
    });
  }

  // The first address picks the port (0: a free one); the others share it.
  for (const [i, server] of servers.entries()) {
    await listen(server, i === 0 ? config.port : port, addresses[i] ?? config.host);
    if (i === 0) port = (server.address() as AddressInfo).port;
  }
  const origin = `http://${hostName(addresses[0] ?? config.host)}:${port}`;
  // The presenter URL runs code: it is opened on this machine, through loopback.
  const presenterOrigin = isLoopbackAddress(config.host) ? origin : `http://127.0.0.1:${port}`;
  const audienceHost = isWildcard(config.host) ? (lanAddresses()[0] ?? '127.0.0.1') : config.host;

  let closing: Promise<void> | null = null;
  return {
    url: `${presenterOrigin}/?token=${token}`,
    audienceUrl: `http://${hostName(audienceHost)}:${port}/?token=${audienceToken}`,
    origin,
    port,
    token,
    audienceToken,
    get sessionCount() {
      return sessions.size;
    },
    saveRehearsal: () => stage.saveRehearsal(),
    close() {
      closing ??= (async () => {
        await store.close();
        await hub.close('shutdown');
        if (!givenRunners) await disposeRunners(runners);
        for (const ws of sessions.keys()) ws.terminate();
        wss.close();
        await Promise.all(servers.map((server) => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }));
      })();
      return closing;
    },
  };
}

interface Refusal {
  readonly status: 400 | 403;
  readonly text: string;
}

/**
 * Has every runtime the deck uses get ready before the first Run (compile its TypeScript
 * demos, start an interpreter that waits). In the background: a failure here is only a slower
 * first run, and the run itself reports it.
 */
function prepareRunners(runners: RunnerRegistry, demos: ReadonlyMap<string, DemoRef>, demosDir: string): void {
  for (const runtime of RUNTIMES) {
    const files = [...demos.values()].filter((demo) => demo.runtime === runtime).flatMap((demo) => resolveDemoPath(demosDir, demo.path) ?? []);
    if (files.length > 0) void runners[runtime].prepare([...new Set(files)]).catch(() => undefined);
  }
}

/** Why an upgrade is refused, or null to accept it. Checked before any code runs; never throws. */
function refuseUpgrade(req: IncomingMessage, policy: HostPolicy, roleOf: (token: string | null, remoteAddress: string | undefined) => Role | null): Refusal | null {
  const url = URL.parse(req.url ?? '', 'http://localhost');
  if (url === null) return { status: 400, text: 'Bad Request: the request target is not a URL.' };
  const forbidden = (text: string): Refusal => ({ status: 403, text: `Forbidden: ${text}` });
  if (url.pathname !== '/ws') return forbidden('no WebSocket here.');
  if (!isAllowedHost(req.headers.host, policy)) return forbidden('this Host is not allowed.');
  if (!isSameOrigin(req.headers.origin, req.headers.host)) return forbidden('the Origin must be this server.');
  if (roleOf(url.searchParams.get('token'), req.socket.remoteAddress) === null) return forbidden('a valid token is required (the presenter token works from this machine only).');
  return null;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use: stop the other server, or start with --port <n> (or PORT=<n>)`) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/**
 * Where to listen: the address asked for and, when that is one address of the room's network,
 * also loopback, where the presenter's own pages connect (the presenter token counts from
 * loopback only). A wildcard address already covers loopback.
 */
function listenAddresses(host: string): string[] {
  return isLoopbackAddress(host) || isWildcard(host) ? [host] : [host, '127.0.0.1'];
}

/** This machine's addresses on its networks (not loopback), IPv4 first: what the room's devices reach. */
function lanAddresses(): string[] {
  const all = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []).filter((entry) => !entry.internal);
  return [...all.filter((entry) => entry.family === 'IPv4'), ...all.filter((entry) => entry.family === 'IPv6')].map((entry) => entry.address);
}

/** An address as it appears in a URL and a Host header: IPv6 in brackets, lower case. */
function hostName(address: string): string {
  return (address.includes(':') ? `[${address}]` : address).toLowerCase();
}
