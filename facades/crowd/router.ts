import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DirectoryError, isDirectoryError } from '../../src/domain/errors';
import { applicationAuth, type ApplicationAuthOptions, type AuthenticatedState } from './application-auth';
import { readBody, type RequestBody } from './body';
import { renderError } from './codec/entities';
import { CROWD_ERRORS, crowdStatusOverride, withCrowdStatus } from './errors';
import { CONTENT_TYPES, negotiateFormat } from './negotiation';
import type { CrowdOperations } from './operations';
import type { CrowdCall } from './request';
import { getGroup, getUser } from './routes/entities';
import { getGroupDirectUsers, getMemberships, getUserDirectGroups } from './routes/memberships';
import { getSearch, postSearch } from './routes/search';

export interface CrowdFacadeOptions extends ApplicationAuthOptions {
  readonly operations: CrowdOperations;
  /** Optional context path such as `/crowd`; empty for the root. */
  readonly contextPath: string;
  /** Value of `X-Embedded-Crowd-Version`, e.g. `Crowd/5.1.6`. */
  readonly crowdVersion: string;
  /** Logs an unexpected error; the answer carries only the correlation id. */
  readonly logError: (correlationId: string, error: unknown) => void;
}

/** The mount points: `/rest/usermanagement/1` and its `latest` alias (crowd-rest.md §1). */
const VERSIONS = ['1', 'latest'] as const;

type Handler = (call: CrowdCall, body: RequestBody) => Promise<string | Readable>;

/**
 * The Crowd REST facade: a Koa middleware that answers `/rest/usermanagement/{1,latest}/...` under
 * the optional context path. Every route translates the call into a fixed GraphQL operation
 * (see operations.ts); nothing here reads the store. Layers, outermost first: version headers
 * (on every answer, errors and 401 included), error entities, application authentication,
 * routes, and a 404 entity for unknown resources.
 */
export function crowdFacade(options: CrowdFacadeOptions): ReturnType<Router["routes"]> {
  const routes: Array<[method: 'get' | 'post', path: string, handler: Handler, xmlOnly?: boolean]> = [
    ['get', '/user', (call) => getUser(call)],
    ['get', '/group', (call) => getGroup(call)],
    ['get', '/search', (call) => getSearch(call)],
    ['post', '/search', (call, body) => postSearch(call, body)],
    ['get', '/user/group/direct', (call) => getUserDirectGroups(call)],
    ['get', '/group/user/direct', (call) => getGroupDirectUsers(call)],
    ['get', '/group/membership', (call) => getMemberships(call), true],
  ];

  const router = new Router();
  for (const version of VERSIONS) {
    const base = `${options.contextPath}/rest/usermanagement/${version}`;
    const scoped = new Router({ prefix: base });
    scoped.use(versionHeaders(options.crowdVersion), errorEntities(options.logError), applicationAuth(options));
    for (const [method, path, handler, xmlOnly] of routes) {
      scoped[method](path, async (ctx) => {
        const format = xmlOnly ? 'xml' : negotiateFormat(ctx.get('accept') || undefined);
        const body = method === 'post' ? await readBody(ctx) : ({ kind: 'empty' } as const);
        const call: CrowdCall = {
          ctx,
          format,
          links: { baseUrl: `${ctx.protocol}://${ctx.host}${base}` },
          application: (ctx.state as AuthenticatedState).application,
          operations: options.operations,
        };
        const answer = await handler(call, body);
        // A stream that fails after the first page must not end like a complete answer.
        if (typeof answer !== 'string') answer.once('error', () => ctx.res.destroy());
        ctx.status = 200;
        ctx.body = answer;
        ctx.set('Content-Type', CONTENT_TYPES[format]); // exactly, no charset: crowd-rest.md §1
      });
    }
    // Writes on a read-only directory bridge, and anything unknown, after authentication.
    scoped.all('{/*rest}', async (ctx) => {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && isKnownWritePath(ctx.path.slice(base.length))) {
        throw new DirectoryError('READ_ONLY', 'crowdgate directories are read-only: the identity provider is the source of truth');
      }
      throw withCrowdStatus(new DirectoryError('INVALID_ARGUMENT', `No resource at ${ctx.method} ${ctx.path}`), 404);
    });
    router.use(scoped.routes());
  }
  return router.routes();
}

/** Resources that Crowd clients write to (users, groups, memberships, attributes, passwords). */
function isKnownWritePath(path: string): boolean {
  return /^\/(user|group)(\/|$)/.test(path);
}

function versionHeaders(crowdVersion: string): Middleware {
  return async (ctx: Context, next: Next) => {
    ctx.set('X-Embedded-Crowd-Version', crowdVersion);
    ctx.set('X-Crowd-User-Management-Version', '1.4');
    ctx.set('Cache-Control', 'no-cache, no-store');
    try {
      await next();
    } finally {
      // Koa drops headers set before an error it handles itself; set them again.
      ctx.set('X-Embedded-Crowd-Version', crowdVersion);
    }
  };
}

/**
 * Turns every error into a Crowd error entity with the status of the table in errors.ts (checklist
 * item 5). Unknown paths get a 404 entity. Unexpected errors are masked: OPERATION_FAILED with a
 * correlation id, the details only in the log.
 */
function errorEntities(logError: (correlationId: string, error: unknown) => void): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (error) {
      const format = ctx.path.endsWith('/group/membership') ? 'xml' : negotiateFormat(ctx.get('accept') || undefined);
      let status: number;
      let reason: string;
      let message: string;
      if (isDirectoryError(error)) {
        ({ status, reason } = CROWD_ERRORS[error.code]);
        status = crowdStatusOverride(error) ?? status;
        message = error.message;
      } else {
        const correlationId = randomUUID();
        logError(correlationId, error);
        ({ status, reason } = CROWD_ERRORS.INTERNAL);
        message = `Internal error (correlation id ${correlationId})`;
      }
      ctx.status = status;
      ctx.body = renderError(reason, message, format);
      ctx.set('Content-Type', CONTENT_TYPES[format]);
    }
  };
}
