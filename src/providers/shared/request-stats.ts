import type { ProviderStats } from '../provider';

/**
 * The counters behind a connector's `stats()` (ProviderStats in ../provider.ts): plain numbers,
 * bumped on the hot path without allocating; `snapshot()` copies them out for a scrape.
 *
 * Each event is counted once, by the one place that sees it:
 * - the connector's client counts `requests` as each try leaves (Google: the JWT client's
 *   interceptor, which sees API and token requests alike) and `errors` once per call whose caller
 *   gets a failure;
 * - the retry loop (./retry.ts) counts `retries`, `throttled` answers and the pauses it makes
 *   after throttling answers;
 * - the pacers count the time they hold callers back (./token-bucket.ts; Okta's pacer reports it
 *   to the request executor, which counts it unless the request is a password check);
 * - paths outside the loop count their own: Entra `$batch` items (entra/batch.ts), the requests of
 *   Entra's identity library (entra/credentials.ts), the Okta SDK's retry after a 401.
 */
export class RequestStats {
  requests = 0;
  retries = 0;
  throttled = 0;
  errors = 0;
  /** Milliseconds, summed over callers. */
  rateLimitWaitMs = 0;

  snapshot(): ProviderStats {
    return {
      requests: this.requests,
      retries: this.retries,
      throttled: this.throttled,
      errors: this.errors,
      rateLimitWaitSeconds: this.rateLimitWaitMs / 1000,
    };
  }
}
