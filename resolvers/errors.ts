import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { isDirectoryError, type DirectoryError, type ErrorCode } from '../src/domain/errors';

/**
 * One of the two tables that translate the error model (the other is the Crowd facade's):
 * DirectoryError code → GraphQL `extensions.code`.
 */
const GRAPHQL_ERROR_CODES: Readonly<Record<ErrorCode, string>> = {
  USER_NOT_FOUND: 'NOT_FOUND',
  GROUP_NOT_FOUND: 'NOT_FOUND',
  DIRECTORY_NOT_FOUND: 'NOT_FOUND',
  MEMBERSHIP_NOT_FOUND: 'NOT_FOUND',
  INVALID_ARGUMENT: 'BAD_USER_INPUT',
  INVALID_CURSOR: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  READ_ONLY: 'FORBIDDEN',
  CONFIGURATION: 'CONFIGURATION_ERROR',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  INACTIVE_ACCOUNT: 'INACTIVE_ACCOUNT',
  EXPIRED_CREDENTIAL: 'EXPIRED_CREDENTIAL',
  EXPIRED_TOKEN: 'EXPIRED_TOKEN',
  INVALID_TOKEN: 'INVALID_TOKEN',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

type ErrorLogger = (correlationId: string, error: unknown) => void;

/** Masked errors of an answer being formatted → what was thrown, until `correlationPlugin` logs them. */
const maskedErrors = new WeakMap<GraphQLFormattedError, unknown>();

/**
 * Apollo `formatError`: DirectoryErrors keep their message and get their code; GraphQL's own
 * errors (syntax, validation, bad variables, limits) pass through. Every answer that would say
 * INTERNAL_SERVER_ERROR — a DirectoryError INTERNAL, anything unknown a resolver threw, and
 * errors raised outside resolvers (while coercing variables, serialising a value, in a plugin,
 * a stack overflow) — is masked, so no stack trace or secret leaks; `correlationPlugin` then
 * logs it under the request's id, which the answer carries as its correlation id.
 */
export function createErrorFormatter() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const directoryError = directoryErrorIn(original);
    if (directoryError && directoryError.code !== 'INTERNAL') {
      return {
        ...formatted,
        message: directoryError.message,
        extensions: {
          code: GRAPHQL_ERROR_CODES[directoryError.code],
          reason: directoryError.code,
          ...(directoryError.problems.length > 0
            ? { field: directoryError.problems[0]!.field, problems: directoryError.problems }
            : {}),
        },
      };
    }
    if (!directoryError && isArgumentCoercionError(original)) {
      const { stacktrace: _omit, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: 'BAD_USER_INPUT' } };
    }
    const code = directoryError ? 'INTERNAL_SERVER_ERROR' : formatted.extensions?.code;
    if (code !== undefined && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _omit, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const masked: GraphQLFormattedError = {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
    maskedErrors.set(
      masked,
      original instanceof GraphQLError && original.originalError ? original.originalError : original,
    );
    return masked;
  };
}

/**
 * Apollo plugin: each masked error of an answer gets the request's id (`GraphQLContext.requestId`,
 * the `X-Request-Id` header) as its correlation id, in its message and `extensions.correlationId`,
 * and is logged under it. Errors Apollo formats before a request starts (a context that cannot be
 * made) never reach here: crowdgate's context function does not fail.
 */
export function correlationPlugin(log: ErrorLogger): ApolloServerPlugin<{ readonly requestId?: string }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors?.some((error) => maskedErrors.has(error))) return;
          const correlationId = contextValue.requestId ?? randomUUID();
          result.errors = result.errors.map((error) => {
            if (!maskedErrors.has(error)) return error;
            log(correlationId, maskedErrors.get(error));
            return {
              ...error,
              message: `Internal server error (correlation id ${correlationId})`,
              extensions: { ...error.extensions, correlationId },
            };
          });
        },
      };
    },
  };
}

/**
 * graphql-js's own refusal of an argument while executing: a nullable variable given `null` for a
 * non-null argument that has a default (validation lets that usage through, execution refuses the
 * value). It names the argument; it is the caller's input, not a server fault.
 */
function isArgumentCoercionError(error: unknown): boolean {
  // graphql-js locates the error at the field, so the raw one (itself a GraphQLError) is its original.
  return (
    error instanceof GraphQLError &&
    (error.originalError === undefined || error.originalError instanceof GraphQLError) &&
    /^Argument "[^"]+" of (non-null )?type "[^"]+" (must not be null|has invalid value)/.test(error.message)
  );
}

/** The DirectoryError thrown, also when graphql-js wrapped it outside a resolver (no path). */
function directoryErrorIn(error: unknown): DirectoryError | undefined {
  if (isDirectoryError(error)) return error;
  return error instanceof GraphQLError && isDirectoryError(error.originalError) ? error.originalError : undefined;
}
