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
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDirectoryError(error: unknown): error is DirectoryError {
  return error instanceof DirectoryError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
