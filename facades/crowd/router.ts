import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { DirectoryError, isDirectoryError } from '../../src/domain/errors';
import { requestIdOf } from '../../src/http/request-id';
import { LoginLimits } from '../../src/security/login-limits';
import { applicationAuth, type ApplicationAuthOptions, type AuthenticatedState } from './application-auth';
import { readBody, type RequestBody } from './body';
import { renderError } from './codec/entities';
import { CROWD_ERRORS, crowdStatusOverride, withCrowdStatus } from './errors';
import { CONTENT_TYPES, negotiateFormat } from './negotiation';
import type { CrowdOperations } from './operations';
import { parseQueryString } from './query';
import { isReply, type Answer, type CrowdCall } from './request';
import { getGroupAttributes, getUserAttributes } from './routes/attributes';
import { postAuthentication, postAuthenticationNotify } from './routes/authentication';
import { getCookieConfig } from './routes/config';
import { getGroup, getUser } from './routes/entities';
import { getEventsSince, getEventToken } from './routes/events';
import { getMemberships } from './routes/memberships';
import { getRelation, RELATIONS } from './routes/relations';
import { getSearch, postSearch } from './routes/search';
import {
  deleteSession,
  deleteUserSessions,
  getSession,
  postSession,
  renewSession,
  type SessionDeps,
} from './routes/sessions';
import { localSessions, SessionStore, type Sessions } from './session-store';

export interface CrowdFacadeOptions extends ApplicationAuthOptions {
  readonly operations: CrowdOperations;
  /** Optional context path such as `/crowd`; empty for the root. */
  readonly contextPath: string;
  /** Value of `X-Embedded-Crowd-Version`, e.g. `Crowd/5.1.6`. */
  readonly crowdVersion: string;
  /** Logs an unexpected error; the answer carries only the correlation id. */
  readonly logError: (correlationId: string, error: unknown) => void;
  /** SSO sessions; default: a fresh in-memory store of this process (lost on restart). */
  readonly sessions?: Sessions;
  /** Failed-login limits (application and user, src/security/login-limits.ts); default: fresh ones with the default budgets. */
  readonly loginLimits?: LoginLimits;
}

/** The mount points: `/rest/usermanagement/1` and its `latest` alias (https://developer.atlassian.com/server/crowd/crowd-rest-resources/). */
const VERSIONS = ['1', 'latest'] as const;

/** A route's work; `params` are the decoded path parameters (`:token`). */
type Handler = (
  call: CrowdCall,
  body: RequestBody,
  params: Readonly<Record<string, string | undefined>>,
) => Promise<Answer>;
type Method = 'get' | 'post' | 'delete';

/**
 * The Crowd REST facade: a Koa middleware that answers `/rest/usermanagement/{1,latest}/...` under
 * the optional context path. Every route translates the call into a fixed GraphQL operation
 * (see operations.ts); nothing here reads the store. Layers, outermost first: the envelope
 * (version headers on every answer, errors and 401 included; error entities), application
 * authentication, routes, and a 404 entity for unknown resources.
 */
export function crowdFacade(options: CrowdFacadeOptions): Middleware {
  const limits = options.loginLimits ?? new LoginLimits();
  const deps: SessionDeps = {
    sessions: options.sessions ?? localSessions(new SessionStore()),
    limiter: limits.user,
  };
  const auth = applicationAuth({ ...options, failures: options.failures ?? limits.application });
  const routes: Array<[method: Method, path: string, handler: Handler, xmlOnly?: boolean]> = [
    ['get', '/user', (call) => getUser(call)],
    ['get', '/user/attribute', (call) => getUserAttributes(call)],
    ['get', '/group', (call) => getGroup(call)],
    ['get', '/group/attribute', (call) => getGroupAttributes(call)],
    ['get', '/search', (call) => getSearch(call)],
    ['post', '/search', (call, body) => postSearch(call, body)],
    ['get', '/user/group/direct', (call) => getRelation(call, RELATIONS.userGroups, false)],
    ['get', '/user/group/nested', (call) => getRelation(call, RELATIONS.userGroups, true)],
    ['get', '/group/user/direct', (call) => getRelation(call, RELATIONS.groupUsers, false)],
    ['get', '/group/user/nested', (call) => getRelation(call, RELATIONS.groupUsers, true)],
    ['get', '/group/child-group/direct', (call) => getRelation(call, RELATIONS.childGroups, false)],
    ['get', '/group/child-group/nested', (call) => getRelation(call, RELATIONS.childGroups, true)],
    ['get', '/group/parent-group/direct', (call) => getRelation(call, RELATIONS.parentGroups, false)],
    ['get', '/group/parent-group/nested', (call) => getRelation(call, RELATIONS.parentGroups, true)],
    ['get', '/group/membership', (call) => getMemberships(call), true],
    ['post', '/authentication', (call, body) => postAuthentication(call, body, deps.limiter)],
    ['post', '/authentication/notify', (call) => postAuthenticationNotify(call)],
    ['post', '/session', (call, body) => postSession(call, body, deps)],
    ['delete', '/session', (call) => deleteUserSessions(call, deps)],
    ['get', '/session/:token', (call, _body, params) => getSession(call, params['token'] ?? '', deps)],
    ['post', '/session/:token', (call, body, params) => renewSession(call, params['token'] ?? '', body, deps)],
    ['delete', '/session/:token', (_call, _body, params) => deleteSession(params['token'] ?? '', deps)],
    ['get', '/config/cookie', (call) => getCookieConfig(call)],
    ['get', '/event', (call) => getEventToken(call)],
    ['get', '/event/:token', (call, _body, params) => getEventsSince(call, params['token'] ?? '')],
  ];

  // One router per mount point, chosen by a prefix test: a request outside the facade costs one
  // string comparison, and one inside is matched against its own version's routes only. The
  // envelope and authentication wrap the routes instead of being router layers (the router would
  // match their paths on each request too). No two routes match the same request, so the router
  // runs exactly one; a request that none matches falls through to `unknownResource`.
  const envelope = crowdEnvelope(options.crowdVersion, options.logError);
  const mounts: Array<{ base: string; under: string; dispatch: Middleware }> = [];
  for (const version of VERSIONS) {
    const base = `${options.contextPath}/rest/usermanagement/${version}`;
    const router = new Router({ prefix: base });
    for (const [method, path, handler, xmlOnly] of routes) {
      router[method](path, async (ctx) => {
        const format = xmlOnly ? 'xml' : negotiateFormat(ctx.req.headers.accept);
        const body = method === 'post' ? await readBody(ctx) : ({ kind: 'empty' } as const);
        const state = ctx.state as AuthenticatedState;
        const call: CrowdCall = {
          ctx,
          query: parseQueryString(ctx.querystring),
          format,
          links: { baseUrl: `${ctx.protocol}://${ctx.host}${base}` },
          application: state.application,
          clientAddress: state.clientAddress,
          operations: options.operations,
        };
        const answer = await handler(call, body, ctx.params);
        const reply = isReply(answer) ? answer : { status: 200, body: answer };
        // A stream that fails after the first page must not end like a complete answer.
        // Headers are gone by then: the failure is logged with a correlation id, the answer cut.
        if (reply.body !== undefined && typeof reply.body !== 'string') {
          reply.body.once('error', (error) => {
            options.logError(requestIdOf(ctx), error);
            ctx.res.destroy();
          });
        }
        // Through ctx.response: ctx's delegating setters cost a slow keyed store each.
        ctx.response.status = reply.status;
        if (reply.location !== undefined) ctx.res.setHeader('Location', reply.location);
        if (reply.body !== undefined) {
          // Before the body: Koa then keeps it instead of sniffing one. Exactly, without a charset,
          // as Crowd sends it.
          ctx.res.setHeader('Content-Type', CONTENT_TYPES[format]);
          ctx.response.body = reply.body;
        }
      });
    }
    // The router's middleware types its context as a router context; it sets `params` itself.
    const route = router.routes() as Middleware;
    const unknown = unknownResource(base);
    mounts.push({
      base,
      under: `${base}/`,
      dispatch: (ctx, next) => envelope(ctx, () => auth(ctx, () => route(ctx, () => unknown(ctx, next)))),
    });
  }
  return (ctx: Context, next: Next) => {
    const path = ctx.path;
    for (const mount of mounts) {
      if (path === mount.base || path.startsWith(mount.under)) return mount.dispatch(ctx, next);
    }
    return next();
  };
}

/**
 * What no route answers, after authentication: a write to a resource Crowd clients write to is
 * 403 APPLICATION_PERMISSION_DENIED (the directories are read-only), anything else 404.
 */
function unknownResource(base: string): Middleware {
  return async (ctx) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && isKnownWritePath(ctx.path.slice(base.length))) {
      throw new DirectoryError(
        'READ_ONLY',
        'crowdgate directories are read-only: the identity provider is the source of truth',
      );
    }
    throw withCrowdStatus(new DirectoryError('INVALID_ARGUMENT', `No resource at ${ctx.method} ${ctx.path}`), 404);
  };
}

/**
 * Resources that Crowd clients write to: users, groups, memberships, attributes, passwords,
 * rename, mail, expire-all-passwords (https://developer.atlassian.com/server/crowd/crowd-rest-resources/). A read-only directory
 * answers 403 APPLICATION_PERMISSION_DENIED for each. `/webhook` is not one: 404.
 */
function isKnownWritePath(path: string): boolean {
  return /^\/(user|group)(\/|$)/.test(path);
}

/**
 * What every answer of the facade carries: the version headers, errors and
 * 401 included, and every error as a Crowd error entity with the status of the table in
 * errors.ts. Unknown paths get a 404 entity. Unexpected errors are masked: OPERATION_FAILED with
 * a correlation id, the details only in the log. Headers go straight to node's response: Koa's
 * `ctx.set` allocates two arrays per header.
 */
function crowdEnvelope(crowdVersion: string, logError: (correlationId: string, error: unknown) => void): Middleware {
  const versionHeaders = (ctx: Context) => {
    ctx.res.setHeader('X-Embedded-Crowd-Version', crowdVersion);
    ctx.res.setHeader('X-Crowd-User-Management-Version', '1.4');
    ctx.res.setHeader('Cache-Control', 'no-cache, no-store');
  };
  return async (ctx: Context, next: Next) => {
    versionHeaders(ctx);
    try {
      await next();
    } catch (error) {
      const format = ctx.path.endsWith('/group/membership') ? 'xml' : negotiateFormat(ctx.req.headers.accept);
      let status: number;
      let reason: string;
      let message: string;
      if (isDirectoryError(error)) {
        ({ status, reason } = CROWD_ERRORS[error.code]);
        status = crowdStatusOverride(error) ?? status;
        message = error.message;
      } else {
        ({ status, reason } = CROWD_ERRORS.INTERNAL);
        message = '';
      }
      // Every 5xx — a thrown bug, a store failure that came back through GraphQL as INTERNAL, a
      // provider outage — is logged with a correlation id that the answer carries. INTERNAL
      // details stay in the log; other 5xx messages are ours and are kept.
      if (status >= 500) {
        const correlationId = requestIdOf(ctx);
        logError(correlationId, error);
        const masked = !isDirectoryError(error) || error.code === 'INTERNAL';
        message = masked
          ? `Internal error (correlation id ${correlationId})`
          : `${message} (correlation id ${correlationId})`;
      }
      ctx.response.status = status;
      ctx.res.setHeader('Content-Type', CONTENT_TYPES[format]);
      ctx.response.body = renderError(reason, message, format);
    }
  };
}
