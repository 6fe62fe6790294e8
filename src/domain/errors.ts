/**
 * The one error model of crowdgate. Every layer throws `DirectoryError` with a code from this
 * closed set; exactly two tables translate it to the outside world: GraphQL `extensions.code`
 * (resolvers/errors.ts) and Crowd `{status, reason}` (facades/crowd/errors.ts).
 * Anything else that escapes is an internal error: masked, logged with a correlation id.
 */
export const ERROR_CODES = [
  'USER_NOT_FOUND',
  'GROUP_NOT_FOUND',
  'DIRECTORY_NOT_FOUND',
  'MEMBERSHIP_NOT_FOUND',
  'INVALID_ARGUMENT',
  'INVALID_CURSOR',
  /** A write would break a uniqueness rule (e.g. two users of one directory with the same folded name). */
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'READ_ONLY',
  'CONFIGURATION',
  'PROVIDER_UNAVAILABLE',
  /** A user's password (or other credential) was refused, or password checks are unavailable for the user's directory. */
  'INVALID_CREDENTIALS',
  /** The user exists but is deactivated, so it may not log in. */
  'INACTIVE_ACCOUNT',
  /** The user's password is correct but expired at the provider. */
  'EXPIRED_CREDENTIAL',
  /** An event token is unknown, too old or from before a reset: the client must resynchronise fully. */
  'EXPIRED_TOKEN',
  /** A session (SSO) token is unknown, expired or does not match the validation factors. */
  'INVALID_TOKEN',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem of an input, at its path in the input (`entra.tenantId`, `localGroups[2]`), for a form to show beside the field. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  /** The input's problems, when the error is about an input (GraphQL `extensions.field` and `extensions.problems`). */
  readonly problems: readonly FieldProblem[];

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly FieldProblem[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options?.problems ?? [];
  }
}

export function isDirectoryError(error: unknown): error is DirectoryError {
  return error instanceof DirectoryError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
