import type { GraphQLSchema } from 'graphql';
import { getOperationAST, GraphQLError, parse } from 'graphql';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Caller, GraphQLContext } from '../../resolvers/context';
import { GraphQLLimitError } from '../graphql/limit-error';
import type { RequestLimits } from '../graphql/request-limits';
import type { Logger } from '../logging/logger';
import type { AdminTokens } from './admin-auth';
import { sessionIdIn, type AdminSessions } from './admin-sessions';

// graphql-ws publishes its `ws` adapter only through its exports map, which this project's node10
// module resolution cannot read: load it by its public path, typed by its declaration file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require('graphql-ws/use/ws') as typeof import('graphql-ws/dist/use/ws');

/** Subscriptions one connection may hold at once. */
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 16;

export interface SubscriptionOptions {
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly tokens: AdminTokens;
  readonly sessions: AdminSessions;
  readonly limits: RequestLimits;
  readonly context: (principal: string, caller: Caller) => GraphQLContext;
  readonly clientAddress: (request: { socket: { remoteAddress?: string }; headers: Record<string, unknown> }) => string;
  readonly logger: Logger;
}

/**
 * GraphQL subscriptions over WebSocket (the graphql-transport-ws protocol of graphql-ws) on the
 * same path as queries, as dashboards expect. The administrator token comes in the connection's
 * `connection_init` payload (`{ "authorization": "Bearer <token>" }`) or the upgrade request's
 * Authorization header, checked by the same limiter as HTTP requests, or the console's session
 * cookie from a page of this server (its Origin); a connection without either is closed with 4403. Every subscription document passes the same limits as queries.
 */
export function serveSubscriptions(server: Server, options: SubscriptionOptions): { close(): Promise<void> } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== options.path) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });
  const callers = new WeakMap<object, { principal: string; caller: Caller }>();
  const disposable = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const request = ctx.extra.request;
        const fromPayload = ctx.connectionParams?.authorization;
        const header = typeof fromPayload === 'string' ? fromPayload : request.headers.authorization;
        const source = options.clientAddress(request);
        const host = request.headers.host ?? '';
        const caller = { source, origin: `http://${host}`, secure: false, cookies: [] };
        const sessionId = header === undefined ? sessionIdIn(request.headers.cookie) : undefined;
        if (sessionId !== undefined) {
          // The console's cookie: only from a page of this server (no cross-site WebSocket hijacking).
          if (request.headers.origin !== `http://${host}` && request.headers.origin !== `https://${host}`) return false;
          const session = await options.sessions.resolve(sessionId, undefined);
          const token = session ? options.tokens.named(session.tokenName) : undefined;
          if (!token) return false;
          callers.set(ctx, { principal: token.name, caller: { ...caller, scope: token.scope } });
          return true;
        }
        const auth = options.tokens.authenticate(header, source);
        if (auth.kind !== 'admin') return false;
        callers.set(ctx, { principal: auth.name, caller: { ...caller, scope: auth.scope } });
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length >= MAX_SUBSCRIPTIONS_PER_CONNECTION)
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`)];
        try {
          options.limits.check({
            query: payload.query,
            variables: payload.variables ?? undefined,
            operationName: payload.operationName ?? undefined,
          });
        } catch (error) {
          if (error instanceof GraphQLLimitError)
            return [new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } })];
          throw error;
        }
        // Queries and mutations go over HTTP, where token scopes, the audit log and answer limits apply.
        let operation;
        try {
          operation = getOperationAST(parse(payload.query), payload.operationName ?? undefined);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The document does not parse')];
        }
        if (operation?.operation !== 'subscription')
          return [
            new GraphQLError(
              'Only subscriptions are served over WebSocket: send queries and mutations to /graphql over HTTP',
              {
                extensions: { code: 'BAD_REQUEST' },
              },
            ),
          ];
        return undefined;
      },
      context: (ctx) => {
        const who = callers.get(ctx);
        if (!who) throw new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } });
        return options.context(who.principal, who.caller);
      },
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.debug('subscription refused', { errors: errors.map((e) => e.message) });
      },
    },
    sockets,
  );
  return {
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await disposable.dispose();
    },
  };
}
