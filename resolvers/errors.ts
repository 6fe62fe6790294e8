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

/**
 * Apollo `formatError`: DirectoryErrors keep their message and get their code; GraphQL's own
 * errors (syntax, validation, bad variables, limits) pass through. Every answer that would say
 * INTERNAL_SERVER_ERROR — a DirectoryError INTERNAL, anything unknown a resolver threw, and
 * errors raised outside resolvers (while coercing variables, serialising a value, in a plugin,
 * a stack overflow) — is masked and logged with a correlation id that the answer carries, so no
 * stack trace or secret leaks and every such answer can be found in the log.
 */
export function createErrorFormatter(log: ErrorLogger) {
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
    const correlationId = randomUUID();
    log(correlationId, original instanceof GraphQLError && original.originalError ? original.originalError : original);
    return {
      message: `Internal server error (correlation id ${correlationId})`,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
    };
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
