/**
 * The request pipeline of the Okta emulator, in order:
 *  1. Path normalisation: leading `//` collapsed to `/` (gotcha C-7: an orgUrl with a trailing
 *     slash makes the SDK request `//api/v1/...`).
 *  2. The control API (`/_emulator/...`, core/control.ts) — not rate-limited, no faults.
 *  3. Rate-limit accounting; `X-Rate-Limit-*` and `X-Okta-Request-Id` set on the response.
 *  4. Vendor-neutral faults (`faults.intercept`: latency, hangs, resets, 503s).
 *  5. Enforcement of rate and concurrency limits (429 E0000047) when throttling is on.
 *  6. Authentication (auth.ts) and routing; errors become Okta error bodies.
 * Only the read side of the Management API is served; other methods on known paths → 405.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleControl } from '../core/control';
import type { Faults } from '../core/faults';
import type { TenantState } from '../core/tenant-state';
import { SCOPES, type Credentials, type Scope } from './auth';
import { handleAuthn, type AuthnBook } from './authn';
import type { ApiRequest, OktaContext } from './context';
import { OktaError, oktaErrors } from './errors';
import { getGroup, listGroupUsers, listGroups } from './groups';
import { sendOktaError } from './http';
import { listLogs } from './logs';
import { handleTokenRequest } from './oauth';
import { bucketOf, type RateLimiter } from './rate-limit';
import { getUser, listUserGroups, listUsers } from './users';

/** Server-side cost of answered API requests (injected latency excluded). */
export interface ServerStats {
  requests: number;
  totalMs: number;
  maxMs: number;
  /** Per-request durations in ms, the first 1 000 000 requests. */
  readonly samples: number[];
}

export function emptyStats(): ServerStats {
  return { requests: 0, totalMs: 0, maxMs: 0, samples: [] };
}

export interface ServerParts {
  readonly ctx: () => OktaContext;
  readonly state: TenantState;
  readonly faults: Faults;
  readonly controlToken: string;
  readonly credentials: Credentials;
  readonly authn: AuthnBook;
  readonly limiter: RateLimiter;
  readonly stats: ServerStats;
  /** jti replay cache of the token endpoint. */
  readonly seenAssertions: Map<string, number>;
}

type Handler = (ctx: OktaContext, r: ApiRequest, id: string) => void;
interface Route {
  readonly pattern: RegExp;
  readonly scope: Scope;
  readonly handler: Handler;
}

/** GET routes of the Management API; `([^/]+)` captures the (percent-decoded) id. */
const ROUTES: readonly Route[] = [
  { pattern: /^\/api\/v1\/users$/, scope: SCOPES.users, handler: (c, r) => listUsers(c, r) },
  { pattern: /^\/api\/v1\/users\/([^/]+)$/, scope: SCOPES.users, handler: getUser },
  { pattern: /^\/api\/v1\/users\/([^/]+)\/groups$/, scope: SCOPES.users, handler: listUserGroups },
  { pattern: /^\/api\/v1\/groups$/, scope: SCOPES.groups, handler: (c, r) => listGroups(c, r) },
  { pattern: /^\/api\/v1\/groups\/([^/]+)$/, scope: SCOPES.groups, handler: getGroup },
  { pattern: /^\/api\/v1\/groups\/([^/]+)\/users$/, scope: SCOPES.groups, handler: listGroupUsers },
  { pattern: /^\/api\/v1\/logs$/, scope: SCOPES.logs, handler: (c, r) => listLogs(c, r) },
];

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw oktaErrors.validation('path', `path: bad percent-encoding in ${raw}`);
  }
}

async function route(
  parts: ServerParts,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  const ctx = parts.ctx();
  if (path === '/oauth2/v1/token') {
    if (method !== 'POST') throw oktaErrors.methodNotAllowed();
    await handleTokenRequest(parts.credentials, ctx.org.orgUrl, req, res, parts.seenAssertions);
    return;
  }
  if (path === '/api/v1/authn') {
    if (method !== 'POST') throw oktaErrors.methodNotAllowed();
    await handleAuthn(ctx, parts.authn, req, res);
    return;
  }
  for (const { pattern, scope, handler } of ROUTES) {
    const match = pattern.exec(path);
    if (match === null) continue;
    parts.credentials.authenticate(req, scope);
    if (method !== 'GET') throw oktaErrors.methodNotAllowed();
    handler(ctx, { method, path, query, req, res }, decodeSegment(match[1] ?? ''));
    return;
  }
  throw oktaErrors.notFound(path, 'Resource');
}

/** The `http.Server` request listener. */
export function createRequestListener(parts: ServerParts): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      // Only reached if writing the error response itself failed.
      console.error('okta emulator: unhandled error', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.url = (req.url ?? '/').replace(/^\/{2,}/, '/');
  if (await handleControl(req, res, { state: parts.state, faults: parts.faults, token: parts.controlToken })) return;

  const url = new URL(req.url, 'http://emulator.invalid');
  const path = url.pathname.replace(/\/{2,}/g, '/');
  const decision = parts.limiter.admit(bucketOf(path));
  res.once('close', decision.release);
  for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
  res.setHeader('X-Okta-Request-Id', randomBytes(15).toString('base64url'));
  if (await parts.faults.intercept(req, res)) return;

  const started = process.hrtime.bigint();
  try {
    if (parts.faults.settings.throttle.enabled) {
      if (decision.concurrency.exceeded) {
        for (const [name, value] of Object.entries(decision.concurrency.headers)) res.setHeader(name, value);
        throw oktaErrors.rateLimited();
      }
      if (decision.exceeded) throw oktaErrors.rateLimited();
    }
    await route(parts, req, res, path, url.searchParams);
  } catch (error) {
    if (error instanceof OktaError) {
      sendOktaError(res, error);
    } else {
      console.error('okta emulator: internal error', error);
      sendOktaError(res, oktaErrors.internal());
    }
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const stats = parts.stats;
  stats.requests++;
  stats.totalMs += ms;
  stats.maxMs = Math.max(stats.maxMs, ms);
  if (stats.samples.length < 1_000_000) stats.samples.push(ms);
}
