/**
 * Google API error bodies, as the Directory API (and Google's ESF front end) answers them:
 * `{ error: { code, message, errors: [{ message, domain, reason, location?, locationType? }], status } }`.
 * The OAuth token endpoint answers in the RFC 6749 shape `{ error, error_description }` instead
 * (see `oauthError`). googleapis surfaces both as a GaxiosError with `err.status` and
 * `err.response.data`.
 */

export interface GoogleErrorItem {
  readonly message: string;
  readonly domain: string;
  readonly reason: string;
  readonly location?: string;
  readonly locationType?: string;
}

export interface GoogleErrorBody {
  readonly error: {
    readonly code: number;
    readonly message: string;
    readonly errors: readonly GoogleErrorItem[];
    readonly status: string;
  };
}

/** A reply that is a Google error: the status code and the exact body. */
export interface GoogleError {
  readonly status: number;
  readonly body: GoogleErrorBody;
  readonly headers?: Readonly<Record<string, string>>;
}

/** gRPC-style status names Google puts in `error.status`, by HTTP code. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
};

export function googleError(
  status: number,
  message: string,
  reason: string,
  options: {
    domain?: string;
    itemMessage?: string;
    location?: string;
    locationType?: string;
    headers?: Record<string, string>;
  } = {},
): GoogleError {
  const item: GoogleErrorItem = {
    message: options.itemMessage ?? message,
    domain: options.domain ?? 'global',
    reason,
    ...(options.location !== undefined
      ? { location: options.location, locationType: options.locationType ?? 'parameter' }
      : {}),
  };
  return {
    status,
    body: { error: { code: status, message, errors: [item], status: STATUS_NAMES[status] ?? 'UNKNOWN' } },
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

const SEE_CONSOLE =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
  'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** 401 without an Authorization header. */
export const loginRequired = (): GoogleError =>
  googleError(401, `Request is missing required authentication credential. ${SEE_CONSOLE}`, 'required', {
    itemMessage: 'Login Required.',
    location: 'Authorization',
    locationType: 'header',
    headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
  });

/** 401 for an unknown, expired or revoked access token. */
export const invalidCredentials = (): GoogleError =>
  googleError(401, `Request had invalid authentication credentials. ${SEE_CONSOLE}`, 'authError', {
    itemMessage: 'Invalid Credentials',
    location: 'Authorization',
    locationType: 'header',
    headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  });

/** 403: the token lacks every scope the method accepts. */
export const insufficientScopes = (): GoogleError =>
  googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {
    itemMessage: 'Insufficient Permission',
    headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"' },
  });

/** 403: the impersonated user is not an administrator (or no user is impersonated), or a foreign customer/domain. */
export const notAuthorized = (): GoogleError =>
  googleError(403, 'Not Authorized to access this resource/api', 'forbidden');

/** 404 for `users.get` / `groups.get` / `members.get` (`what` = userKey, groupKey, memberKey). */
export const resourceNotFound = (what: string): GoogleError =>
  googleError(404, `Resource Not Found: ${what}`, 'notFound');

/** 400 when neither `customer` nor `domain` (nor `userKey`) is given. */
export const badRequest = (): GoogleError => googleError(400, 'Bad Request', 'badRequest');

/** 400 for a value outside its discovery range, ESF wording: "Invalid value '501'. Values must be within the range: [1, 500]". */
export const outOfRange = (raw: string, min: number, max: number): GoogleError =>
  googleError(400, `Invalid value '${raw}'. Values must be within the range: [${min}, ${max}]`, 'invalid');

/** 400 for a value of the wrong type or outside an enum, ESF wording: `Invalid value at 'max_results' (TYPE_INT32), "abc"`. */
export const invalidValue = (field: string, type: string, raw: string): GoogleError =>
  googleError(400, `Invalid value at '${field}' (${type}), "${raw}"`, 'invalid');

/** 400 for an input the Directory API rejects itself (bad query, bad page token). */
export const invalidInput = (what: string): GoogleError => googleError(400, `Invalid Input: ${what}`, 'invalid');

/**
 * 403 `userRateLimitExceeded`: the "Queries per minute per user" quota (default 2,400/min,
 * developers.google.com/admin-sdk/directory/v1/limits). The client library does not retry 403.
 */
export const userRateLimitExceeded = (projectNumber: string): GoogleError =>
  googleError(
    403,
    `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service ` +
      `'admin.googleapis.com' for consumer 'project_number:${projectNumber}'.`,
    'userRateLimitExceeded',
    { domain: 'usageLimits' },
  );

/** 429 `rateLimitExceeded`: the per-account concurrency limit (cannot be raised). gaxios retries 429 on GET. */
export const rateLimitExceeded = (): GoogleError =>
  googleError(429, 'Rate Limit Exceeded', 'rateLimitExceeded', { domain: 'usageLimits' });

export const notFoundPath = (): GoogleError => googleError(404, 'Not Found', 'notFound');

export const readOnlyEmulator = (): GoogleError =>
  googleError(501, 'The Directory API emulator serves reads only', 'notImplemented');

export const backendError = (): GoogleError => googleError(500, 'Internal error encountered.', 'backendError');

/** RFC 6749 error of the token endpoint, e.g. `{ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }`. */
export interface OAuthError {
  readonly status: number;
  readonly body: { readonly error: string; readonly error_description: string };
}

export const oauthError = (status: number, error: string, description: string): OAuthError => ({
  status,
  body: { error, error_description: description },
});

/** Thrown by request handlers to answer with a Google error; the server turns it into the reply. */
export class GoogleFailure extends Error {
  constructor(readonly reply: GoogleError) {
    super(reply.body.error.message);
  }
}
