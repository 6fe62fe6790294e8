/**
 * The limits of the GraphQL front door (`POST /graphql`), checked before anything runs
 * (request-limits-plugin.ts) or while the answer is built (answer-budget.ts). Every refusal is
 * `BAD_USER_INPUT` with a message that names the limit, its configuration key and its value.
 *
 * The defaults let every query of the README and GraphiQL's introspection through, and refuse
 * the documents that exhausted the heap before these limits existed: a 117-byte
 * `users(first: 1000) → groups → users → groups` nest (estimated cost ~10^9) and 10,000 aliases of
 * `users(first: 1000)` (50,000+ tokens). The Crowd facade runs its fixed operations without
 * these limits (they are not untrusted documents); see facades/crowd/operations.ts.
 */
export interface GraphQLLimits {
  /** Lexical tokens in the document (graphql-js `maxTokens`), counted before it is parsed. */
  readonly maxTokens: number;
  /** Nesting of field selections in the operation (a root field is depth 1), fragments expanded. */
  readonly maxDepth: number;
  /** Field selections in the operation, aliases and every use of a fragment counted. */
  readonly maxFields: number;
  /** Estimated cost (cost.ts): 1 per field, a list's children multiplied by its page size. */
  readonly maxCost: number;
  /** Nesting of input objects and lists in an argument or variable (a filter's `and` / `or`). */
  readonly maxInputDepth: number;
  /** List entries in one answer (nodes, names, attribute values), counted while it is built. */
  readonly maxAnswerEntries: number;
  /** Bytes of one JSON answer. */
  readonly maxAnswerBytes: number;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = {
  maxTokens: 50_000,
  maxDepth: 15,
  maxFields: 1_000,
  maxCost: 250_000,
  maxInputDepth: 40,
  maxAnswerEntries: 100_000,
  maxAnswerBytes: 16 * 1024 * 1024,
};

/** The configuration key of each limit, for messages. */
export const LIMIT_KEYS: Readonly<{ [K in keyof GraphQLLimits]: string }> = {
  maxTokens: 'graphql.maxTokens',
  maxDepth: 'graphql.maxDepth',
  maxFields: 'graphql.maxFields',
  maxCost: 'graphql.maxCost',
  maxInputDepth: 'graphql.maxInputDepth',
  maxAnswerEntries: 'graphql.maxAnswerEntries',
  maxAnswerBytes: 'graphql.maxAnswerBytes',
};

/** The configured limits (the `graphql:` block; every key optional), defaults filled in. */
export function graphqlLimits(configured: Partial<GraphQLLimits> | undefined): GraphQLLimits {
  const limits: { -readonly [K in keyof GraphQLLimits]: number } = { ...DEFAULT_GRAPHQL_LIMITS };
  for (const key of Object.keys(DEFAULT_GRAPHQL_LIMITS) as Array<keyof GraphQLLimits>) {
    const value = configured?.[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}
