import { getOperationAST, GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { checkCost } from './cost';
import { checkDocumentShape, checkVariablesDepth } from './document-shape';
import { scanDocument } from './document-scan';
import type { GraphQLLimits } from './limits';

/** What a /graphql request asks for, as sent (POST body or GET parameters), before Apollo sees it. */
export interface GraphQLRequestText {
  readonly query: string;
  readonly variables?: Record<string, unknown> | undefined;
  readonly operationName?: string | undefined;
}

/**
 * The limits of a /graphql document, checked before Apollo parses, validates (graphql-js's
 * overlapping-fields rule is quadratic in repeated fields), coerces variables or executes
 * anything, in order of cost, each step safe for what the earlier ones let through:
 *  1. tokens and bracket nesting (document-scan.ts: a loop over the lexer, before any recursion);
 *  2. variables nesting (document-shape.ts: before graphql-js coerces them recursively);
 *  3. parse, then the operation's field depth, field count and literal input nesting;
 *  4. the estimated cost (cost.ts).
 * `check` throws a GraphQLLimitError (BAD_USER_INPUT) on the first limit passed. Documents that
 * do not parse or name no single operation are left to Apollo, which refuses them with its own
 * errors. Costs the request one parse more (Apollo parses again, or takes its cached document).
 */
export class RequestLimits {
  constructor(
    private readonly schema: GraphQLSchema,
    readonly limits: GraphQLLimits,
  ) {}

  check({ query, variables, operationName }: GraphQLRequestText): void {
    const { limits } = this;
    scanDocument(query, limits);
    checkVariablesDepth(variables, limits);
    let document;
    try {
      document = parse(query, { noLocation: true, maxTokens: limits.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return; // a syntax error: Apollo answers GRAPHQL_PARSE_FAILED
      throw error;
    }
    const operation = getOperationAST(document, operationName);
    if (!operation) return; // no such operation, or several and no name: Apollo refuses it
    checkDocumentShape(document, operation, limits);
    checkCost(this.schema, document, operation, variables, limits);
  }
}
