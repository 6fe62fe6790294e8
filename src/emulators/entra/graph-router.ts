import { randomUUID } from 'node:crypto';
import type { Faults } from '../core/faults';
import { JSON_HEADERS, type GraphCall, type GraphEnv } from './context';
import type { DeltaService } from './delta';
import { GraphError, graphErrorBody, graphErrors, type RequestIds } from './errors';
import { listGroups, countGroups, getGroup } from './graph-groups';
import { listMembers } from './graph-members';
import { countUsers, getUser, listUsers, userMemberOf } from './graph-users';
import { Query, type Reply } from './http';
import type { AppRegistry } from './apps';
import { listApplications } from './graph-applications';
import { grantedPermissions } from './permissions';
import { requestCost, type Throttle } from './throttle';
import type { TokenSigner } from './tokens';

/**
 * Graph v1.0 request pipeline, shared by plain requests and $batch items:
 * authenticate (plain requests only; batch items inherit) → throttle (per request, RU cost) →
 * route → handler. Every answer carries `request-id`, `client-request-id` (echoed when sent) and
 * `x-ms-resource-unit`; failures use Graph's error body.
 */
export interface RouterDeps {
  readonly env: GraphEnv;
  readonly delta: DeltaService;
  readonly throttle: Throttle;
  readonly signer: TokenSigner;
  readonly faults: Faults;
  /** App registrations (read by /applications). */
  readonly apps: AppRegistry;
}

export interface InboundGraphRequest {
  readonly method: string;
  /** Path after `/v1.0` (still percent-encoded), starting with '/'. */
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | null;
}

export type BatchRunner = (call: GraphCall, ids: RequestIds) => Reply;

export class GraphRouter {
  private batchRunner: BatchRunner | null = null;

  constructor(private readonly deps: RouterDeps) {}

  /** $batch is wired in after construction (it dispatches back into this router). */
  setBatchRunner(runner: BatchRunner): void {
    this.batchRunner = runner;
  }

  /** A request that arrived over HTTP: checks the bearer token first. */
  handle(request: InboundGraphRequest): Reply {
    const ids = requestIds(request.headers);
    const auth = request.headers['authorization'];
    const token = auth === undefined ? undefined : (/^Bearer\s+(.*)$/i.exec(auth)?.[1]?.trim() ?? '');
    const s = this.deps.faults.settings;
    const verdict = this.deps.signer.verify(token, this.deps.env.tenantId, Date.now(), s.revokeTokensBefore);
    if (!verdict.ok) {
      const error =
        verdict.reason === 'empty'
          ? graphErrors.emptyToken()
          : verdict.reason === 'malformed'
            ? graphErrors.malformedToken()
            : verdict.reason === 'expired'
              ? graphErrors.expiredToken()
              : verdict.reason === 'audience'
                ? graphErrors.invalidAudience()
                : graphErrors.invalidToken();
      return errorReply(error, ids, {});
    }
    const call = this.makeCall(request, verdict.claims);
    if (call.path === '/$batch') {
      if (request.method !== 'POST' || this.batchRunner === null)
        return errorReply(graphErrors.methodNotAllowed(), ids, {});
      return withIds(this.batchRunner(call, ids), ids);
    }
    return this.dispatch(call, ids);
  }

  makeCall(request: InboundGraphRequest, claims: GraphCall['claims']): GraphCall {
    const segments = request.path
      .split('/')
      .filter((s) => s !== '')
      .map(safeDecode);
    return {
      method: request.method.toUpperCase(),
      path: `/${segments.join('/')}`,
      segments,
      query: new Query(request.rawQuery),
      headers: request.headers,
      body: request.body,
      claims,
      granted: grantedPermissions(claims),
    };
  }

  /** Throttles and routes one call (also used for every $batch item). */
  dispatch(call: GraphCall, ids: RequestIds): Reply {
    const topRaw = call.query.get('$top');
    const top = topRaw !== undefined && /^\d+$/.test(topRaw) ? Number(topRaw) : null;
    const cost = requestCost(call.method, call.path, {
      select: call.query.has('$select'),
      expand: call.query.has('$expand'),
      top,
    });
    const decision = this.deps.throttle.charge(call.claims.appid, call.claims.tid, cost);
    if (!decision.ok) {
      const error = new GraphError(
        429,
        'TooManyRequests',
        `Too many requests. Retry after ${decision.retryAfterSeconds} seconds.`,
      );
      return errorReply(error, ids, decision.headers);
    }
    try {
      const reply = this.route(call);
      return withIds({ ...reply, headers: { ...reply.headers, ...decision.headers } }, ids);
    } catch (error) {
      if (error instanceof GraphError) return errorReply(error, ids, decision.headers);
      const internal = new GraphError(500, 'UnknownError', (error as Error).message);
      return errorReply(internal, ids, decision.headers);
    }
  }

  private route(call: GraphCall): Reply {
    const { env, delta } = this.deps;
    const [collection, id, nav, ...tail] = call.segments;
    if (call.method !== 'GET') throw graphErrors.methodNotAllowed();
    if (collection === 'users') {
      if (id === undefined) return listUsers(call, env);
      if (id === '$count' && nav === undefined) return countUsers(call, env);
      if (isDelta(id) && nav === undefined) return delta.handle(call, 'users');
      if (nav === undefined) return getUser(call, env, id);
      if (nav === 'memberOf' && tail.length === 0) return userMemberOf(call, env, id);
      throw graphErrors.noSegment(nav);
    }
    if (collection === 'groups') {
      if (id === undefined) return listGroups(call, env);
      if (id === '$count' && nav === undefined) return countGroups(call, env);
      if (isDelta(id) && nav === undefined) return delta.handle(call, 'groups');
      if (nav === undefined) return getGroup(call, env, id);
      if (nav === 'members' || nav === 'transitiveMembers')
        return listMembers(call, env, id, nav === 'transitiveMembers', tail);
      throw graphErrors.noSegment(nav);
    }
    if (collection === 'applications' && id === undefined) return listApplications(call, this.deps.apps);
    throw graphErrors.noSegment(collection ?? '');
  }
}

function isDelta(segment: string): boolean {
  return /^(microsoft\.graph\.)?delta(\(\))?$/.test(segment);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function requestIds(headers: Readonly<Record<string, string | undefined>>): RequestIds {
  const requestId = randomUUID();
  return { requestId, clientRequestId: headers['client-request-id'] ?? requestId };
}

const DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: 'Loopback', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'CROWDGATE-EMU' },
});

function withIds(reply: Reply, ids: RequestIds): Reply {
  return {
    ...reply,
    headers: {
      ...reply.headers,
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      'x-ms-ags-diagnostic': DIAGNOSTIC,
      'Cache-Control': 'no-cache',
    },
  };
}

export function errorReply(error: GraphError, ids: RequestIds, extraHeaders: Record<string, string>): Reply {
  return withIds(
    {
      status: error.status,
      headers: { ...JSON_HEADERS, ...extraHeaders, ...error.headers },
      body: graphErrorBody(error.code, error.message, ids),
    },
    ids,
  );
}
