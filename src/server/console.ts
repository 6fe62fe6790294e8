import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type Koa from 'koa';
import { packageRoot } from '../paths';

/** Where `npm run build` puts the console (web/build.mjs). */
export const CONSOLE_DIST = join(packageRoot(), 'web', 'dist');
export const CONSOLE_PATH = '/admin';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The console's pages may load code and styles from crowdgate only and talk to /graphql only (the
 * WebSocket of subscriptions included: CSP 3 'self' covers ws:/wss: of the same host); no frames.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
}

/** The built assets, read once: the console is a few hundred kilobytes and every file is immutable. */
function loadAssets(dist: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const dir = join(dist, 'assets');
  if (!existsSync(dir)) return assets;
  for (const file of readdirSync(dir)) {
    const body = readFileSync(join(dir, file));
    assets.set(file, {
      type: TYPES[extname(file)] ?? 'application/octet-stream',
      body,
      gzip: gzipSync(body, { level: 9 }),
    });
  }
  return assets;
}

/**
 * Serves the administration console at /admin/: hashed assets under /admin/assets/ with a year's
 * immutable cache (gzip when the browser accepts it), and index.html, never cached, for every other
 * /admin/ address (the console routes in the browser). The console is a GraphQL client like any
 * other: nothing here reads the store or needs a session; / redirects to it.
 */
export function consoleMiddleware(dist = CONSOLE_DIST): Koa.Middleware {
  const indexFile = join(dist, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile) : undefined;
  const assets = loadAssets(dist);
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/') return ctx.redirect(`${CONSOLE_PATH}/`);
    if (ctx.path === CONSOLE_PATH) return ctx.redirect(`${CONSOLE_PATH}/`);
    if (!ctx.path.startsWith(`${CONSOLE_PATH}/`)) return next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    const assetPrefix = `${CONSOLE_PATH}/assets/`;
    if (ctx.path.startsWith(assetPrefix)) {
      const asset = assets.get(ctx.path.slice(assetPrefix.length));
      if (!asset) {
        ctx.status = 404;
        ctx.type = 'text/plain';
        ctx.body = 'No such console asset (the console was rebuilt: reload the page)';
        return;
      }
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('Vary', 'Accept-Encoding');
      ctx.type = asset.type;
      if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
        ctx.set('Content-Encoding', 'gzip');
        ctx.body = asset.gzip;
      } else ctx.body = asset.body;
      return;
    }
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (!index) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = 'The administration console is not built: run `npm run build` (npm install runs it).';
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = index;
  };
}
