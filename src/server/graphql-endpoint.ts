import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Context, Middleware, Next } from 'koa';
import { Readable } from 'node:stream';
import type { GraphQLContext } from '../../resolvers/context';
import { BodyTooLargeError, readLimitedText } from '../http/read-limited';
import type { AdminTokens } from './admin-auth';
import { serveIde, serveIdeAsset, wantsIde } from './graphql-ide';

/** Largest GraphQL request body (queries and variables), 1 MiB. */
const MAX_GRAPHQL_BODY = 1024 * 1024;

export interface GraphQLEndpointOptions {
  readonly path: string;
  readonly tokens: AdminTokens;
  readonly context: (principal: string) => GraphQLContext;
}

/**
 * Apollo Server on Koa at `path`. Browsers asking for HTML get the offline IDE; every GraphQL
 * request needs an administrator bearer token, else 401 (before any parsing or execution).
 */
export function graphqlEndpoint(apollo: ApolloServer<GraphQLContext>, options: GraphQLEndpointOptions): Middleware {
  const assetPrefix = `${options.path}/ide/`;
  return async (ctx: Context, next: Next) => {
    if (ctx.path.startsWith(assetPrefix) && ctx.method === 'GET' && serveIdeAsset(ctx, ctx.path.slice(assetPrefix.length))) return;
    if (ctx.path !== options.path) return next();
    if (wantsIde(ctx)) return serveIde(ctx, options.path);

    const principal = options.tokens.authenticate(ctx.get('authorization') || undefined);
    if (!principal) return graphqlError(ctx, 401, 'UNAUTHENTICATED', 'An administrator token is required: Authorization: Bearer <token>');

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
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: ctx.method.toUpperCase(), headers, search: ctx.search, body },
      context: async () => options.context(principal),
    });
    for (const [name, value] of result.headers) ctx.set(name, value);
    ctx.status = result.status ?? 200;
    ctx.body = result.body.kind === 'complete' ? result.body.string : Readable.from(result.body.asyncIterator);
  };
}

function graphqlError(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="crowdgate"');
  ctx.type = 'application/json';
  ctx.body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
