import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Context, Middleware, Next } from 'koa';
import { Readable } from 'node:stream';
import type { Caller, GraphQLContext } from '../../resolvers/context';
import { AnswerBudget } from '../graphql/answer-budget';
import { requestIdOf } from '../http/request-id';
import { GraphQLLimitError } from '../graphql/limit-error';
import { LIMIT_KEYS } from '../graphql/limits';
import type { GraphQLRequestText, RequestLimits } from '../graphql/request-limits';
import { BodyTooLargeError, readLimitedText } from '../http/read-limited';
import { ADMIN_TOKEN_FAILURES, type AdminAuthentication, type AdminTokens } from './admin-auth';
import { CSRF_HEADER, sessionIdIn, type AdminSessions, type ResolvedSession } from './admin-sessions';
import { serveIde, serveIdeAsset, wantsIde } from './graphql-ide';

/** Largest GraphQL request body (queries and variables), 1 MiB. */
const MAX_GRAPHQL_BODY = 1024 * 1024;

export interface GraphQLEndpointOptions {
  readonly path: string;
  readonly tokens: AdminTokens;
  readonly context: (principal: string, caller: Caller) => GraphQLContext;
  /** The limits of documents (checked before Apollo sees them) and of answers. */
  readonly limits: RequestLimits;
  /** The client's address, for the limit on wrong tokens; default the connection's peer. */
  readonly clientAddress?: (ctx: Context) => string;
  /** Told the name of each token that authenticated (its "last used"). */
  readonly onAuthenticated?: (name: string) => void;
  /** Console sessions: a request without Authorization may carry the session cookie instead. */
  readonly sessions?: AdminSessions;
}

/**
 * Apollo Server on Koa at `path`. Browsers asking for HTML get the offline IDE; every GraphQL
 * request needs an administrator bearer token, or (without an Authorization header) a console
 * session cookie whose token still exists (admin-sessions.ts), else 401 before any parsing or
 * execution; an address that presented too many wrong tokens is refused without a check
 * (admin-auth.ts).
 * Then the document's limits (src/graphql/request-limits.ts) are checked before Apollo parses
 * it: a refusal is 400 BAD_USER_INPUT and nothing runs. An answer with more list entries than
 * `maxAnswerEntries` (counted while it is built) or more bytes than `maxAnswerBytes` is replaced
 * by one BAD_USER_INPUT error (400). Apollo's persisted queries are off (server.ts): the query
 * text is always in the request, so nothing reaches execution unchecked.
 */
export function graphqlEndpoint(apollo: ApolloServer<GraphQLContext>, options: GraphQLEndpointOptions): Middleware {
  const assetPrefix = `${options.path}/ide/`;
  return async (ctx: Context, next: Next) => {
    if (
      ctx.path.startsWith(assetPrefix) &&
      ctx.method === 'GET' &&
      serveIdeAsset(ctx, ctx.path.slice(assetPrefix.length))
    )
      return;
    if (ctx.path !== options.path) return next();
    if (wantsIde(ctx)) return serveIde(ctx, options.path);

    const source = options.clientAddress?.(ctx) ?? ctx.request.socket.remoteAddress ?? '';
    const authorization = ctx.get('authorization') || undefined;
    const sessionId = authorization === undefined ? sessionIdIn(ctx.get('cookie') || undefined) : undefined;
    let auth: AdminAuthentication;
    let session: ResolvedSession | null = null;
    if (sessionId !== undefined && options.sessions) {
      session = await options.sessions.resolve(sessionId, ctx.get(CSRF_HEADER) || undefined);
      const token = session ? options.tokens.named(session.tokenName) : undefined;
      if (!session || !token)
        return graphqlError(
          ctx,
          401,
          'UNAUTHENTICATED',
          'The console session has ended (signed out, expired, or its token was revoked): sign in again',
        );
      auth = { kind: 'admin', name: token.name, scope: token.scope };
    } else {
      auth = options.tokens.authenticate(authorization, source);
    }
    if (auth.kind === 'too-many') {
      return graphqlError(
        ctx,
        401,
        'UNAUTHENTICATED',
        `Too many wrong administrator tokens from this address (${ADMIN_TOKEN_FAILURES.failures} a minute); try again later`,
      );
    }
    if (auth.kind !== 'admin')
      return graphqlError(
        ctx,
        401,
        'UNAUTHENTICATED',
        'An administrator token is required: Authorization: Bearer <token>',
      );
    const principal = auth.name;
    options.onAuthenticated?.(principal);
    const caller: Caller = {
      scope: auth.scope,
      source,
      origin: `${ctx.protocol}://${ctx.host}`,
      secure: ctx.secure,
      cookies: [],
      ...(session
        ? { session: { digest: session.digest, expiresAt: session.expiresAt, csrfVerified: session.csrfVerified } }
        : {}),
    };

    let body: unknown = undefined;
    if (ctx.method === 'POST') {
      try {
        const text = await readLimitedText(ctx.req, MAX_GRAPHQL_BODY);
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return graphqlError(ctx, 413, 'BAD_REQUEST', error.message);
        return graphqlError(ctx, 400, 'BAD_REQUEST', `Request body is not valid JSON: ${(error as Error).message}`);
      }
    }
    const text = requestText(ctx, body);
    if (text) {
      try {
        options.limits.check(text);
      } catch (error) {
        if (error instanceof GraphQLLimitError) return graphqlError(ctx, 400, 'BAD_USER_INPUT', error.message);
        throw error;
      }
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const { maxAnswerEntries, maxAnswerBytes: maxBytes } = options.limits.limits;
    const answer = new AnswerBudget(maxAnswerEntries);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: ctx.method.toUpperCase(), headers, search: ctx.search, body },
      context: async () => ({ ...options.context(principal, caller), answer, requestId: requestIdOf(ctx) }),
    });
    if (answer.exceeded) return graphqlError(ctx, 400, 'BAD_USER_INPUT', answer.message());
    if (
      result.body.kind === 'complete' &&
      result.body.string.length > maxBytes / 3 &&
      Buffer.byteLength(result.body.string) > maxBytes
    ) {
      return graphqlError(
        ctx,
        400,
        'BAD_USER_INPUT',
        `The answer would be larger than ${maxBytes} bytes; the limit is ${maxBytes} (${LIMIT_KEYS.maxAnswerBytes}): select fewer fields, or page with a smaller \`first\``,
      );
    }
    for (const [name, value] of result.headers) ctx.set(name, value);
    if (caller.cookies.length > 0) ctx.set('Set-Cookie', caller.cookies);
    ctx.status = result.status ?? 200;
    ctx.body = result.body.kind === 'complete' ? result.body.string : Readable.from(result.body.asyncIterator);
  };
}

/**
 * The query, variables and operation name of a POST body or GET parameters; undefined when the
 * request has no query text (Apollo then answers it: a batch, a missing query, bad variables).
 */
function requestText(ctx: Context, body: unknown): GraphQLRequestText | undefined {
  if (ctx.method === 'POST') {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { query, variables, operationName } = body as Record<string, unknown>;
    if (typeof query !== 'string') return undefined;
    return {
      query,
      variables: isRecord(variables) ? variables : undefined,
      operationName: typeof operationName === 'string' ? operationName : undefined,
    };
  }
  const { query, variables, operationName } = ctx.query;
  if (typeof query !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = typeof variables === 'string' ? JSON.parse(variables) : undefined;
  } catch {
    return undefined; // Apollo refuses the malformed variables before anything runs
  }
  return {
    query,
    variables: isRecord(parsed) ? parsed : undefined,
    operationName: typeof operationName === 'string' ? operationName : undefined,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function graphqlError(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="crowdgate"');
  ctx.type = 'application/json';
  ctx.body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
