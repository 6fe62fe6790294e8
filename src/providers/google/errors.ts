import { DirectoryError } from '../../domain/errors';

/**
 * Failures of the Google connector. googleapis rejects with a GaxiosError carrying `status` and
 * `response.data`: the Directory API answers `{ error: { code, message, errors: [{ reason,
 * domain }] } }`, the token endpoint `{ error, error_description }`
 * (https://developers.google.com/admin-sdk/directory/v1/guides/troubleshoot-error-codes).
 */

/** What one failed call means for the caller. */
export type FailureKind =
  /** 403 userRateLimitExceeded / quotaExceeded / rateLimitExceeded, 429: back off and slow down. */
  | 'throttled'
  /** 5xx, network failure, timeout: back off and retry. */
  | 'transient'
  /** 401 on an API call: the token was refused; a new JWT client may help. */
  | 'unauthenticated'
  /** Anything else (403 forbidden, 404, 400, token-endpoint refusals): not retried. */
  | 'fatal';

/** A Google call that failed for good. `status` 0: no answer. */
export class GoogleFailure extends Error {
  override readonly name = 'GoogleFailure';

  constructor(
    readonly status: number,
    /** `errors[0].reason` of an API error, or `error` of a token-endpoint error (invalid_grant…); '' if none. */
    readonly reason: string,
    readonly detail: string,
    /** `users.list`, `members.list 0abc…`, `token`. */
    readonly request: string,
    /** The token endpoint answered (not the API). */
    readonly fromTokenEndpoint: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      `Google ${request} ${status === 0 ? 'got no answer' : `answered ${status}${reason === '' ? '' : ` ${reason}`}`}${detail === '' ? '' : `: ${detail}`}`,
      options,
    );
  }
}

/** Reasons Google uses for quota and rate limits (developers.google.com/admin-sdk/directory/v1/limits). */
const RATE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);

interface GaxiosLike {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown };
  config?: { url?: string | URL };
}

/** Turns whatever a googleapis call threw into a GoogleFailure. */
export function asFailure(error: unknown, request: string): GoogleFailure {
  if (error instanceof GoogleFailure) return error;
  const e = (error ?? {}) as GaxiosLike;
  const status = e.status ?? e.response?.status ?? 0;
  const data = e.response?.data;
  let reason = '';
  let detail = typeof e.message === 'string' ? e.message : String(error);
  let token = false;
  if (data !== null && typeof data === 'object') {
    const body = data as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') {
      token = true;
      reason = body.error;
      detail = typeof body.error_description === 'string' ? body.error_description : '';
    } else if (body.error !== null && typeof body.error === 'object') {
      const apiError = body.error as { message?: unknown; errors?: { reason?: unknown }[] };
      if (typeof apiError.message === 'string') detail = apiError.message;
      const first = apiError.errors?.[0]?.reason;
      if (typeof first === 'string') reason = first;
    }
  }
  if (status === 0 && e.code !== undefined) reason = String(e.code);
  return new GoogleFailure(status, reason, detail, token ? 'token' : request, token, { cause: error });
}

export function classify(failure: GoogleFailure): FailureKind {
  const { status, reason } = failure;
  if (failure.fromTokenEndpoint) return status >= 500 || status === 0 || status === 429 ? 'transient' : 'fatal';
  if (status === 429 || (status === 403 && RATE_REASONS.has(reason))) return 'throttled';
  if (status === 0 || status === 408 || status >= 500) return 'transient';
  if (status === 401) return 'unauthenticated';
  return 'fatal';
}

/** Turns any connector failure into the DirectoryError the engine records. */
export function toDirectoryError(error: unknown, directoryName: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof GoogleFailure) {
    const configuration = error.fromTokenEndpoint
      ? error.status < 500
      : error.status === 401 || (error.status === 403 && classify(error) === 'fatal');
    const hint = configuration ? ' (run the connection test: crowdgate names what is missing)' : '';
    return new DirectoryError(
      configuration ? 'CONFIGURATION' : 'PROVIDER_UNAVAILABLE',
      `google directory ${directoryName}: ${error.message}${hint}`,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DirectoryError('PROVIDER_UNAVAILABLE', `google directory ${directoryName}: ${message}`, { cause: error });
}
