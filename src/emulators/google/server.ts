import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleControl } from '../core/control';
import type { Faults } from '../core/faults';
import type { TenantState } from '../core/tenant-state';
import type { ApiContext, Reply } from './api';
import { ACCEPTED_SCOPES, authenticate, WRITE_SCOPES, type Resource } from './auth';
import {
  backendError,
  GoogleFailure,
  insufficientScopes,
  invalidInput,
  notFoundPath,
  oauthError,
  rateLimitExceeded,
  readOnlyEmulator,
  userRateLimitExceeded,
  type GoogleError,
} from './errors';
import { getGroup, listGroups } from './groups';
import { readBody, sendJson } from './http';
import { getMember, hasMember, listMembers } from './members';
import type { Quota } from './quota';
import { grantToken, type AccessTokenStore, type TokenContext } from './token';
import { getUser, listUsers } from './users';

/**
 * The emulator's HTTP front: control API first (core/control.ts), then `POST /token` (the
 * JWT-bearer grant), then the Directory API under `/admin/directory/v1/`. Every token and API
 * request goes through `faults.intercept` (latency, hangs, resets, 503s); API requests are then
 * authenticated, throttled (when enabled) and routed. Anything else is a Google-shaped 404.
 */

export const API_PREFIX = '/admin/directory/v1/';
export const TOKEN_PATH = '/token';
/** Token requests are small forms; Google rejects large ones too. */
const MAX_TOKEN_BODY = 64 * 1024;

/** Counters for tests and the benchmark. Reset by assigning zeros. */
export interface GoogleStats {
  /** Directory API requests received (before faults, auth and quota). */
  apiRequests: number;
  /** Directory API requests answered 200. */
  apiSucceeded: number;
  /** Time spent from arrival to the answer of API requests, summed (ms). */
  apiServerMs: number;
  /** The same two numbers per method family. */
  byResource: Record<Resource, { succeeded: number; serverMs: number }>;
  tokenRequests: number;
  tokensIssued: number;
  /** 403 userRateLimitExceeded answers. */
  userRateLimited: number;
  /** 429 rateLimitExceeded answers. */
  concurrencyLimited: number;
}

export function emptyStats(): GoogleStats {
  return {
    apiRequests: 0,
    apiSucceeded: 0,
    apiServerMs: 0,
    byResource: {
      users: { succeeded: 0, serverMs: 0 },
      groups: { succeeded: 0, serverMs: 0 },
      members: { succeeded: 0, serverMs: 0 },
    },
    tokenRequests: 0,
    tokensIssued: 0,
    userRateLimited: 0,
    concurrencyLimited: 0,
  };
}

export interface ServerContext {
  readonly state: TenantState;
  readonly faults: Faults;
  readonly controlToken: string;
  readonly api: ApiContext;
  readonly tokens: AccessTokenStore;
  readonly tokenContext: TokenContext;
  readonly quota: Quota;
  readonly stats: GoogleStats;
  /** Cloud project number quoted in quota errors. */
  readonly projectNumber: string;
}

interface Route {
  readonly resource: Resource;
  run(q: URLSearchParams): Reply;
}

/** Maps `GET` paths (segments after /admin/directory/v1/) to handlers; null for unknown paths. */
function route(api: ApiContext, segments: readonly string[]): Route | null {
  const [a, b, c, d, ...rest] = segments;
  if (rest.length > 0) return null;
  if (a === 'users' && c === undefined) {
    return b === undefined
      ? { resource: 'users', run: (q) => listUsers(api, q) }
      : { resource: 'users', run: (q) => getUser(api, b, q) };
  }
  if (a === 'groups' && b !== undefined) {
    if (c === undefined) return { resource: 'groups', run: () => getGroup(api, b) };
    if (c === 'members' && d === undefined) return { resource: 'members', run: (q) => listMembers(api, b, q) };
    if (c === 'members' && d !== undefined) return { resource: 'members', run: () => getMember(api, b, d) };
    if (c === 'hasMember' && d !== undefined) return { resource: 'members', run: () => hasMember(api, b, d) };
    return null;
  }
  if (a === 'groups' && b === undefined) return { resource: 'groups', run: (q) => listGroups(api, q) };
  return null;
}

function sendError(res: ServerResponse, error: GoogleError): void {
  sendJson(res, error.status, error.body, error.headers);
}

async function serveToken(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const noStore = { 'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate', Pragma: 'no-cache' };
  if (req.method !== 'POST') {
    const e = oauthError(405, 'invalid_request', `Method ${req.method ?? ''} not allowed; use POST`);
    sendJson(res, e.status, e.body, noStore);
    return;
  }
  ctx.stats.tokenRequests++;
  let form: URLSearchParams;
  try {
    const text = await readBody(req, MAX_TOKEN_BODY);
    const json = (req.headers['content-type'] ?? '').includes('application/json');
    form = new URLSearchParams(text);
    if (json) {
      form = new URLSearchParams();
      for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) form.set(k, String(v));
    }
  } catch {
    const e = oauthError(400, 'invalid_request', 'Malformed token request body');
    sendJson(res, e.status, e.body, noStore);
    return;
  }
  const result = grantToken(form, ctx.tokenContext);
  if (result.status === 200) ctx.stats.tokensIssued++;
  sendJson(res, result.status, result.body, noStore);
}

async function serveApi(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  started: bigint,
): Promise<void> {
  const { quota, stats, faults } = ctx;
  stats.apiRequests++;
  quota.inFlight++;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    quota.inFlight--;
  };
  res.once('finish', release);
  res.once('close', release);
  // The concurrency limit is decided on arrival; a rejected request stops counting at once.
  const overloaded = faults.settings.throttle.enabled && quota.overloaded();
  if (overloaded) release();
  if (await faults.intercept(req, res)) return;
  if (overloaded) {
    stats.concurrencyLimited++;
    sendError(res, rateLimitExceeded());
    return;
  }

  let segments: string[];
  try {
    segments = url.pathname
      .slice(API_PREFIX.length)
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    sendError(res, invalidInput('path'));
    return;
  }
  const found = route(ctx.api, segments);
  if (found === null) {
    sendError(res, notFoundPath());
    return;
  }
  const now = ctx.api.now();
  const principal = authenticate(req.headers.authorization, ACCEPTED_SCOPES[found.resource], {
    tokens: ctx.tokens,
    directory: ctx.api.directory,
    now,
    revokedBefore: faults.settings.revokeTokensBefore,
  });
  if ('status' in principal) {
    sendError(res, principal);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const canWrite = WRITE_SCOPES[found.resource].some((s) => principal.token.scopes.has(s));
    sendError(res, canWrite ? readOnlyEmulator() : insufficientScopes());
    return;
  }
  const throttle = faults.settings.throttle;
  if (throttle.enabled) {
    if (!quota.admit(principal.subjectId, throttle.budget, now)) {
      stats.userRateLimited++;
      sendError(res, userRateLimitExceeded(ctx.projectNumber));
      return;
    }
  }
  let reply: Reply;
  try {
    reply = found.run(url.searchParams);
  } catch (error) {
    if (!(error instanceof GoogleFailure)) console.error('google emulator: handler failed', error);
    sendError(res, error instanceof GoogleFailure ? error.reply : backendError());
    return;
  }
  sendJson(res, reply.status, reply.body);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  stats.apiSucceeded++;
  stats.apiServerMs += ms;
  stats.byResource[found.resource].succeeded++;
  stats.byResource[found.resource].serverMs += ms;
}

export function createGoogleServer(ctx: ServerContext): Server {
  const server = createServer({ keepAlive: true }, (req, res) => {
    const started = process.hrtime.bigint();
    void (async () => {
      if (await handleControl(req, res, { state: ctx.state, faults: ctx.faults, token: ctx.controlToken })) return;
      const url = new URL(req.url ?? '/', 'http://emulator.invalid');
      if (url.pathname === TOKEN_PATH) {
        if (await ctx.faults.intercept(req, res)) return;
        await serveToken(ctx, req, res);
      } else if (url.pathname.startsWith(API_PREFIX)) {
        await serveApi(ctx, req, res, url, started);
      } else {
        sendError(res, notFoundPath());
      }
    })().catch((error: unknown) => {
      console.error('google emulator: request failed', error);
      if (!res.headersSent) sendError(res, backendError());
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}
