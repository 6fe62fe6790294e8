import type { Context, Middleware, Next } from 'koa';
import { timingSafeEqual } from 'node:crypto';
import type { MetricsConfig } from '../config/schema';
import { addressAllowed } from '../security/cidr';
import { tokenDigest } from '../security/token-digest';

/** The Prometheus text exposition format prom-client writes (0.0.4). */
const EXPOSITION_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /metrics`: the exposition of the whole crowdgate (every serving worker summed), for a
 * scraper that shows the configured bearer token or calls from an allowed address (loopback by
 * default). Anyone else gets 401 (a token is configured: say how to authenticate) or 403. The
 * token is compared as a SHA-256 digest in constant time.
 */
export function metricsEndpoint(options: {
  readonly config: MetricsConfig;
  readonly exposition: () => Promise<string>;
  readonly clientAddress: (ctx: Context) => string;
}): Middleware {
  const { config } = options;
  const expected = config.token === undefined ? undefined : tokenDigest(config.token);
  const tokenShown = (ctx: Context): boolean => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    return expected !== undefined && match !== null && timingSafeEqual(tokenDigest(match[1]!), expected);
  };
  return async (ctx: Context, next: Next) => {
    if (ctx.path !== '/metrics') return next();
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    if (!tokenShown(ctx) && !addressAllowed(options.clientAddress(ctx), config.allowedAddresses)) {
      ctx.status = expected === undefined ? 403 : 401;
      if (expected !== undefined) ctx.set('WWW-Authenticate', 'Bearer realm="crowdgate metrics"');
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body =
        expected === undefined
          ? 'Metrics are served to the addresses in metrics.allowedAddresses only\n'
          : 'Metrics need the bearer token of metrics.token, or an address in metrics.allowedAddresses\n';
      return;
    }
    ctx.type = EXPOSITION_TYPE;
    ctx.body = await options.exposition();
  };
}
