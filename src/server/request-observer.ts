import type { Context, Middleware, Next } from 'koa';
import { performance } from 'node:perf_hooks';
import { chooseRequestId } from '../http/request-id';
import type { Logger } from '../logging/logger';
import type { FrontDoor, ServingMetrics } from '../metrics/serving-metrics';

/** Route families of the Crowd API: the first path segment after `/rest/usermanagement/<version>/`. */
const CROWD_FAMILIES = new Set(['user', 'group', 'search', 'session', 'authentication', 'config', 'event']);

/**
 * Where a path goes: its front door and route family (a bounded set, fit for metric labels).
 * Crowd: `user`, `group`, `membership` (`/group/membership`), `search`, `session`,
 * `authentication`, `config`, `event`; GraphQL: `graphql`; admin: `console`, `metrics`, `health`.
 */
export function routeOf(path: string, contextPath: string): { door: FrontDoor; route: string } {
  const crowdBase = `${contextPath}/rest/usermanagement/`;
  if (path.startsWith(crowdBase)) {
    const rest = path.slice(path.indexOf('/', crowdBase.length) + 1);
    if (rest.startsWith('group/membership')) return { door: 'crowd', route: 'membership' };
    const family = rest.split('/', 1)[0]!;
    return { door: 'crowd', route: CROWD_FAMILIES.has(family) ? family : 'other' };
  }
  if (path === '/graphql' || path.startsWith('/graphql/')) return { door: 'graphql', route: 'graphql' };
  if (path === '/admin' || path.startsWith('/admin/') || path === '/') return { door: 'admin', route: 'console' };
  if (path === '/metrics') return { door: 'admin', route: 'metrics' };
  if (path === '/healthz' || path === '/readyz') return { door: 'admin', route: 'health' };
  return { door: 'other', route: 'other' };
}

/**
 * The first middleware: gives each request its id (`ctx.state.requestId`, the `X-Request-Id`
 * header), and once the answer is sent or the client went away, counts it in the metrics and
 * writes one debug line (method, path without the query string, status, time, id). The query
 * string is left out: it may carry names an operator did not ask to log.
 */
export function observeRequests(options: {
  readonly logger: Logger;
  readonly metrics?: ServingMetrics;
  readonly contextPath: string;
}): Middleware {
  const { logger, metrics, contextPath } = options;
  return (ctx: Context, next: Next) => {
    const started = performance.now();
    const requestId = chooseRequestId(ctx.req.headers['x-request-id']);
    (ctx.state as { requestId?: string }).requestId = requestId;
    ctx.res.setHeader('X-Request-Id', requestId);
    const debug = logger.debugEnabled !== false;
    if (metrics || debug) {
      ctx.res.once('close', () => {
        const seconds = (performance.now() - started) / 1000;
        const status = ctx.res.headersSent ? ctx.res.statusCode : 0;
        const { door, route } = routeOf(ctx.path, contextPath);
        metrics?.request(door, route, status, seconds);
        if (debug)
          logger.debug('request', {
            requestId,
            method: ctx.method,
            path: ctx.path,
            status,
            ms: Math.round(seconds * 10_000) / 10,
            door,
            route,
            completed: ctx.res.writableFinished,
          });
      });
    }
    return next();
  };
}
