import { DirectoryError } from '../../domain/errors';
import type { OktaSettings } from './config';
import { NetworkFailure, safeUrl, type TokenRefusal } from './transport';

/**
 * Failures of the Okta connector in an administrator's words. Okta error bodies are
 * `{errorCode: "E00000xx", errorSummary, errorCauses}`; the SDK throws them as OktaApiError
 * (`status`, `errorCode`, `errorSummary`, `url`, `headers`), other non-2xx answers as HttpError.
 */
export interface ApiFailure {
  readonly status: number;
  readonly errorCode: string;
  readonly summary: string;
  /** Method-less request description: path only, never the query. */
  readonly request: string;
  /** The `error` of a Bearer `WWW-Authenticate` challenge (`insufficient_scope`, `invalid_token`). */
  readonly challenge: string;
}

/** The SDK's OktaApiError / HttpError as plain data; null for anything else. */
export function apiFailure(error: unknown): ApiFailure | null {
  const e = error as {
    status?: unknown;
    errorCode?: unknown;
    errorSummary?: unknown;
    message?: unknown;
    url?: unknown;
    headers?: { get?: (name: string) => string | null };
  };
  if (typeof e !== 'object' || e === null || typeof e.status !== 'number' || typeof e.url !== 'string') return null;
  const challenge = typeof e.headers?.get === 'function' ? (e.headers.get('www-authenticate') ?? '') : '';
  return {
    status: e.status,
    errorCode: typeof e.errorCode === 'string' ? e.errorCode : '',
    summary: typeof e.errorSummary === 'string' ? e.errorSummary : '',
    request: `GET ${new URL(safeUrl(e.url), 'http://x').pathname}`,
    challenge: /error="([^"]+)"/.exec(challenge)?.[1] ?? '',
  };
}

export function describeFailure(f: ApiFailure): string {
  return `${f.request} answered ${f.status}${f.errorCode === '' ? '' : ` ${f.errorCode}`}${f.summary === '' ? '' : ` (${f.summary})`}`;
}

/** What a refused token request means (RFC 6749 §5.2 errors as Okta's token endpoint uses them). */
export function describeTokenRefusal(r: TokenRefusal, clientId: string, scopes: readonly string[]): string {
  const detail = r.description === '' ? '' : `: ${r.description}`;
  switch (r.error) {
    case 'invalid_client':
      return `Okta refused the OAuth client (invalid_client${detail}): check okta.clientId (Client ID of the API Services app ${clientId}), that the app uses public key / private key authentication, and that the public key of okta.privateKey (keyId) is registered with the app`;
    case 'invalid_scope':
      return `Okta refused the requested scopes ${scopes.join(' ')} (invalid_scope${detail}): grant them to the app under Okta API Scopes, or set okta.scopes to the granted ones`;
    case 'unauthorized_client':
      return `the app may not use the client credentials grant (unauthorized_client${detail}): it must be an API Services app`;
    case '':
      return `the token endpoint answered ${r.status}${detail}`;
    default:
      return `Okta refused the access token request (${r.error}${detail})`;
  }
}

/** Turns any connector failure into the DirectoryError the engine records. */
export function toDirectoryError(
  error: unknown,
  settings: OktaSettings,
  refusal: TokenRefusal | null = null,
): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const prefix = `okta directory ${settings.directoryName}: `;
  const f = apiFailure(error);
  if (f !== null) {
    const c = settings.credential;
    if (f.status === 401 && refusal !== null && c.kind === 'oauth')
      return new DirectoryError('CONFIGURATION', `${prefix}${describeTokenRefusal(refusal, c.clientId, c.scopes)}`, {
        cause: error,
      });
    const code = f.status === 401 || f.status === 403 ? 'CONFIGURATION' : 'PROVIDER_UNAVAILABLE';
    return new DirectoryError(code, `${prefix}${describeFailure(f)}`, { cause: error });
  }
  if (error instanceof NetworkFailure)
    return new DirectoryError('PROVIDER_UNAVAILABLE', `${prefix}${error.message}`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new DirectoryError('PROVIDER_UNAVAILABLE', `${prefix}${message}`, { cause: error });
}
