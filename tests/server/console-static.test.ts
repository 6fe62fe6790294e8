import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Koa from 'koa';
import { consoleMiddleware } from '../../src/server/console';

/** The console's static files: what a browser and a cache in front of crowdgate get. */
describe('console static files', () => {
  const dist = mkdtempSync(join(tmpdir(), 'crowdgate-console-dist-'));
  const script = 'console-ABC123.js';
  const scriptText = `console.log(${JSON.stringify('x'.repeat(5000))});`;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), `<!doctype html><script type="module" src="assets/${script}"></script>`);
    writeFileSync(join(dist, 'assets', script), scriptText);
    const app = new Koa();
    app.use(consoleMiddleware(dist));
    app.use((ctx) => {
      ctx.body = 'next';
    });
    server = createServer(app.callback()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dist, { recursive: true, force: true });
  });

  test('every console address answers index.html, never cached, under a strict Content-Security-Policy', async () => {
    for (const path of ['/admin/', '/admin/directories/new/entra', '/admin/users/%C3%A9mile']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(await response.text()).toContain(`assets/${script}`);
    }
  });

  test('hashed assets are immutable for a year and gzip-compressed when the browser accepts it', async () => {
    const gzipped = await fetch(`${url}/admin/assets/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(gzipped.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(gzipped.headers.get('x-content-type-options')).toBe('nosniff');
    // fetch decodes gzip itself; the raw size proves the body was compressed.
    expect(await gzipped.text()).toBe(scriptText);
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      const request = get(
        `${url}/admin/assets/${script}`,
        { headers: { 'accept-encoding': 'gzip' } },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        },
      );
      request.on('error', reject);
    });
    expect(raw.encoding).toBe('gzip');
    expect(raw.body.length).toBeLessThan(scriptText.length / 10);
    expect(gunzipSync(raw.body).toString()).toBe(scriptText);
    const plain = await fetch(`${url}/admin/assets/${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
  });

  test('an unknown asset is a 404, not the page (a stale page after a rebuild must not run HTML as script)', async () => {
    for (const path of [`/admin/assets/console-OLD.js`, '/admin/assets/%2e%2e%2findex.html', '/admin/assets/']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    }
  });

  test('/ and /admin redirect to the console; other addresses and other methods pass on', async () => {
    for (const path of ['/', '/admin']) {
      const response = await fetch(`${url}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/admin/');
    }
    expect(await (await fetch(`${url}/administrator`)).text()).toBe('next');
    expect(await (await fetch(`${url}/admin/`, { method: 'POST' })).text()).toBe('next');
  });

  test('an unbuilt console says how to build it', async () => {
    const app = new Koa();
    app.use(consoleMiddleware(join(dist, 'missing')));
    const bare = createServer(app.callback()).listen(0, '127.0.0.1');
    await once(bare, 'listening');
    try {
      const response = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/admin/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });
});
