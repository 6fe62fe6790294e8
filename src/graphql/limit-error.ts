import { GraphQLError } from 'graphql';
import { LIMIT_KEYS, type GraphQLLimits } from './limits';

/**
 * A request refused by a limit of the GraphQL front door; the endpoint answers it as the only
 * error, `BAD_USER_INPUT` with HTTP 400 (src/server/graphql-endpoint.ts). The message names what
 * was measured, the limit's value and its configuration key, e.g.
 * "The operation nests fields 16 levels deep; the limit is 15 (graphql.maxDepth)".
 */
export class GraphQLLimitError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

/** `"<what>; the limit is <value> (<key>)"` as a GraphQLLimitError. */
export function overLimit(what: string, limit: keyof GraphQLLimits, value: number): GraphQLLimitError {
  return new GraphQLLimitError(`${what}; the limit is ${value} (${LIMIT_KEYS[limit]})`);
}
