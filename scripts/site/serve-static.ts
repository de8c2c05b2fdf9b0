/**
 * A plain static file server, as a static host or CDN would serve the built site: the files
 * of one folder under one URL prefix, on 127.0.0.1 only. No caching rules, no compression,
 * no index listings: what it cannot find is a 404. For tests and for `npm run pdf`, which
 * open the built site in Chromium; never for the talk itself.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface ServeStaticOptions {
  /** The URL prefix the files live under: `/talks/concurrency/`, or `/` (`./`, a relative build, is served at `/`). */
  readonly base: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The origin with the base: the site's index. */
  readonly url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.cast': 'application/x-asciicast; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pdf': 'application/pdf',
};

export async function serveStatic(dir: string, options: ServeStaticOptions): Promise<StaticServer> {
  const base = normalizeBase(options.base);
  const rootDir = await realpath(dir);
  const server = createServer((req, res) => {
    void answer(req, res, rootDir, base).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}${base}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** `/talks/concurrency/` as given; `./`, `` and `/` all mean the root. */
function normalizeBase(base: string): string {
  if (base === '' || base === './' || base === '/') return '/';
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`base must start and end with "/": ${base}`);
  return base;
}

async function answer(req: IncomingMessage, res: ServerResponse, rootDir: string, base: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'Method not allowed\n');
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  // The base without its slash is the site too: a static host redirects it.
  if (`${pathname}/` === base) {
    res.writeHead(301, { Location: base });
    res.end();
    return;
  }
  const file = pathname.startsWith(base) ? await resolveFile(rootDir, pathname.slice(base.length)) : null;
  if (file === null) {
    send(res, 404, 'Not found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': file.size,
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file.path).pipe(res);
}

/** The file a URL path below the base names, inside `rootDir` (symbolic links included), or null. */
async function resolveFile(rootDir: string, relative: string): Promise<{ path: string; size: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part === '..' || part.includes('\\'))) return null;
  const wanted = path.join(rootDir, decoded === '' || decoded.endsWith('/') ? `${decoded}index.html` : decoded);
  try {
    const real = await realpath(wanted);
    if (real !== rootDir && !real.startsWith(`${rootDir}${path.sep}`)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
