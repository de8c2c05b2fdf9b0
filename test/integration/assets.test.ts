/**
 * The page's assets from the real app on a free port, as a browser meets them: the page
 * names hashed files from the build's manifest; each comes compressed as asked, cached for
 * good, while the page itself is never cached; any other path under /assets is refused
 * without a word in the log. Needs `npm run build` first (as `npm test` does).
 */
import { readFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDeckServer, type DeckServer } from '../../server/app.ts';
import { readManifest } from '../../server/assets.ts';
import { defaultConfig, projectRoot } from '../../server/config.ts';

const root = path.join(projectRoot, 'test/fixtures/server-deck');
const IMMUTABLE = 'public, max-age=31536000, immutable';
let server: DeckServer;

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

beforeAll(async () => {
  server = await startDeckServer({ root, port: 0, watch: false });
});
afterAll(() => server.close());
afterEach(() => {
  vi.restoreAllMocks();
});

/** One request with exactly this target and these headers (no `Accept-Encoding` unless given); the body as sent. */
function get(target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: target, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What the built file under /assets holds on disk. */
function builtFile(assetPath: string): Promise<Buffer> {
  return readFile(path.join(defaultConfig.clientDir, assetPath.replace(/^\/assets\//, '')));
}

/** The script and stylesheet the page links, in that order. */
async function pageAssets(): Promise<{ script: string; style: string }> {
  const page = (await get('/')).body.toString('utf8');
  const script = /<script type="module" src="([^"]+)"><\/script>/.exec(page)?.[1];
  const style = /<link rel="stylesheet" href="([^"]+)">/.exec(page)?.[1];
  if (script === undefined || style === undefined) throw new Error(`the page links no script or stylesheet:\n${page}`);
  return { script, style };
}

/** The files a stylesheet at `stylePath` references with `url(…)`, as absolute paths, `data:` URLs left out (the test above rejects data: fonts on its own). */
function referencedFiles(css: string, stylePath: string): string[] {
  return [...css.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)]
    .map((match) => match[1] ?? '')
    .filter((url) => !url.startsWith('data:'))
    .map((url) => new URL(url, `http://deck${stylePath}`).pathname);
}

const decompress = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync } as const;

describe('the page and its assets', () => {
  it('links the hashed script and stylesheet the build wrote, and is itself never cached', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const { script, style } = await pageAssets();
    expect(script).toMatch(/^\/assets\/app-[A-Z0-9]{8}\.js$/);
    expect(style).toMatch(/^\/assets\/app-[A-Z0-9]{8}\.css$/);
    const manifest = readManifest(defaultConfig.clientDir);
    expect([script, style]).toEqual([`/assets/${manifest.script}`, `/assets/${manifest.style}`]);
    expect((await get('/deck')).headers['cache-control']).toBe('no-store');
  });

  it.each(['br', 'gzip'] as const)('sends the %s copy of the script and the stylesheet, which unpacks to the built file', async (coding) => {
    const { script, style } = await pageAssets();
    for (const [asset, type] of [
      [script, 'text/javascript; charset=utf-8'],
      [style, 'text/css; charset=utf-8'],
    ] as const) {
      const res = await get(asset, { 'Accept-Encoding': coding });
      expect(res.status, asset).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['vary']).toBe('Accept-Encoding');
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-length']).toBe(String(res.body.length));
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      const built = await builtFile(asset);
      expect(res.body.length).toBeLessThan(built.length / 2);
      expect(decompress[coding](res.body).equals(built)).toBe(true);
    }
  });

  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['', undefined],
  ])('answers Accept-Encoding "%s" with %s', async (accept, coding) => {
    const { script } = await pageAssets();
    const res = await get(script, accept === '' ? {} : { 'Accept-Encoding': accept });
    expect(res.headers['content-encoding']).toBe(coding);
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['content-length']).toBe(String(res.body.length));
    if (coding === undefined) expect(res.body.equals(await builtFile(script))).toBe(true);
  });

  it('serves the fonts the stylesheet references as woff2 files, cached for good, and inlines none', async () => {
    const { style } = await pageAssets();
    const css = (await builtFile(style)).toString('utf8');
    expect(css).not.toMatch(/url\(\s*['"]?data:(?:font\/|application\/(?:x-)?font)/i);
    const urls = referencedFiles(css, style);
    // Every font the stylesheet names is a woff2 file: no woff, ttf, otf or eot, not even as a fallback.
    expect(urls.filter((file) => /\.(?:woff|ttf|otf|eot)$/i.test(file))).toEqual([]);
    const fonts = urls.filter((file) => file.endsWith('.woff2'));
    expect(fonts.length).toBeGreaterThanOrEqual(4);
    // Source Sans Pro, as the theme has it: 400 and 600, upright and italic.
    for (const face of ['400-normal', '400-italic', '600-normal', '600-italic']) {
      expect(fonts.some((font) => font.includes(`source-sans-pro-latin-${face}-`)), face).toBe(true);
    }
    for (const font of fonts) {
      expect(font).toMatch(/^\/assets\/fonts\/[a-z0-9-]+-[A-Z0-9]{8}\.woff2$/);
      const res = await get(font, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(res.status, font).toBe(200);
      expect(res.headers['content-type']).toBe('font/woff2');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(res.body.subarray(0, 4).toString('latin1')).toBe('wOF2');
      expect(res.body.equals(await builtFile(font))).toBe(true);
    }
  });

  it('keeps the source maps available, revalidated rather than kept', async () => {
    const { script, style } = await pageAssets();
    for (const asset of [script, style]) {
      const text = (await builtFile(asset)).toString('utf8');
      expect(text).toContain(`sourceMappingURL=${path.basename(asset)}.map`);
      const map = await get(`${asset}.map`);
      expect(map.status).toBe(200);
      expect(map.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(map.headers['cache-control']).toBe('no-cache');
      expect((JSON.parse(map.body.toString('utf8')) as { version: number }).version).toBe(3);
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { style } = await pageAssets();
    const head = await get(style, { 'Accept-Encoding': 'br' }, 'HEAD');
    const full = await get(style, { 'Accept-Encoding': 'br' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers['content-encoding']).toBe('br');
  });
});

describe('refused asset requests', () => {
  it.each(['/assets/app-AAAAAAAA.js', '/assets/nothing-here.css', '/assets/', '/assets', '/assets/manifest.json', '/assets/constructor', '/assets/__proto__'])(
    'answers %s with 404, still with the security headers, and logs nothing',
    async (target) => {
      const logged = [vi.spyOn(process.stderr, 'write'), vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
      const res = await get(target, { 'Accept-Encoding': 'br, gzip' });
      expect(res.status).toBe(404);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      for (const spy of logged) expect(spy).not.toHaveBeenCalled();
    },
  );

  it('refuses a method other than GET and HEAD with 404', async () => {
    const { script } = await pageAssets();
    expect((await get(script, {}, 'POST')).status).toBe(404);
  });

  it.each([
    '/assets/../package.json',
    '/assets/%2e%2e/package.json',
    '/assets/..%2fpackage.json',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/assets/fonts/../../../package.json',
    '/assets/fonts/..%2f..%2f..%2fpackage.json',
    '/assets/..%5c..%5cpackage.json',
    '/assets//etc/passwd',
    '/assets/%2fetc%2fpasswd',
    '/assets/%00app.js',
  ])('refuses the traversal %s, and leaks nothing', async (target) => {
    const res = await get(target);
    expect([403, 404]).toContain(res.status);
    const body = res.body.toString('utf8');
    expect(body).not.toContain('concurrency-deck');
    expect(body).not.toContain('root:');
    expect(body.length).toBeLessThan(100);
  });

  it('refuses an asset to a Host that is not ours, with 403', async () => {
    const { script } = await pageAssets();
    const res = await get(script, { Host: `evil.example:${server.port}`, 'Accept-Encoding': 'br' });
    expect(res.status).toBe(403);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toMatch(/^Forbidden/);
  });
});
