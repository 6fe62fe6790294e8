import { randomBytes } from 'node:crypto';

/**
 * Okta's error body, as every Management API error carries it (spec schema `Error`):
 * `{ errorCode, errorSummary, errorLink, errorId, errorCauses: [{ errorSummary }] }`.
 * `errorLink` repeats the code, as real Okta does; `errorId` is a fresh `oae…` id per error.
 */
export interface OktaErrorBody {
  readonly errorCode: string;
  readonly errorSummary: string;
  readonly errorLink: string;
  readonly errorId: string;
  readonly errorCauses: readonly { readonly errorSummary: string }[];
}

/** Thrown by route handlers; server.ts turns it into the response. */
export class OktaError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly causes: readonly string[] = [],
    /** Extra response headers (e.g. WWW-Authenticate on 401/403 for Bearer tokens). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${errorCode}: ${errorSummary}`);
  }

  body(): OktaErrorBody {
    return {
      errorCode: this.errorCode,
      errorSummary: this.errorSummary,
      errorLink: this.errorCode,
      errorId: `oae${randomBytes(16).toString('base64url').slice(0, 22)}`,
      errorCauses: this.causes.map((errorSummary) => ({ errorSummary })),
    };
  }
}

/**
 * The error codes the emulator produces, with Okta's status and summary text
 * (developer.okta.com/docs/reference/error-codes).
 */
export const oktaErrors = {
  /** 400 E0000001: a parameter failed validation (`field` names it). */
  validation: (field: string, cause?: string) =>
    new OktaError(400, 'E0000001', `Api validation failed: ${field}`, cause === undefined ? [] : [cause]),
  /** 400 E0000003: unparseable JSON body. */
  malformedBody: () => new OktaError(400, 'E0000003', 'The request body was not well-formed.'),
  /** 401 E0000004: wrong username or password on /api/v1/authn. */
  authenticationFailed: () => new OktaError(401, 'E0000004', 'Authentication failed'),
  /** 401 E0000005: no credentials at all. */
  invalidSession: () => new OktaError(401, 'E0000005', 'Invalid session'),
  /** 403 E0000006: authenticated but not allowed (no admin role, missing OAuth scope). */
  accessDenied: (headers: Record<string, string> = {}) =>
    new OktaError(403, 'E0000006', 'You do not have permission to perform the requested action', [], headers),
  /** 404 E0000007. */
  notFound: (id: string, kind: string) =>
    new OktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${kind})`),
  /** 401 E0000011: unknown, revoked or expired API token / access token. */
  invalidToken: (headers: Record<string, string> = {}) =>
    new OktaError(401, 'E0000011', 'Invalid token provided', [], headers),
  /** 405 E0000022: the emulator serves only the read side of the Management API. */
  methodNotAllowed: () => new OktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method'),
  /** 400 E0000031: a `filter` / `search` expression that does not parse or is not supported there. */
  invalidSearch: (cause: string) => new OktaError(400, 'E0000031', 'Invalid search criteria.', [cause]),
  /** 429 E0000047: per-minute bucket or concurrency limit exceeded. */
  rateLimited: () => new OktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
  /** 500 E0000009. */
  internal: () => new OktaError(500, 'E0000009', 'Internal Server Error'),
} as const;
