import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import * as okta from '@okta/okta-sdk-nodejs';
import { ConcurrencyGate } from '../shared/concurrency';
import type { RequestStats } from '../shared/request-stats';
import {
  isTransientStatus,
  pacedPauses,
  parseRetryAfter,
  retrying,
  type Attempt,
  type RetryPolicy,
} from '../shared/retry';
import { bucketOf, DEFAULT_RETRY_POLICY, type RatePacer, type RateHeaders } from './pacing';

/**
 * The SDK's request executor, replaced
 * (https://github.com/okta/okta-sdk-nodejs#request-executor): every request the SDK makes — API
 * calls, collection pages and the OAuth token request — passes through here, so that
 *
 * - the pacer (pacing.ts) decides when it may leave, per Okta rate-limit bucket;
 * - 429s are waited out here until the bucket's `X-Rate-Limit-Reset` (the SDK's own
 *   DefaultRequestExecutor, which retries twice and then gives up, is not used);
 * - 502/503/504 and network failures are retried with backoff (DEFAULT_RETRY_POLICY, through
 *   the shared retry loop);
 * - at most `concurrency` requests are in flight (Okta also limits concurrent requests per org);
 * - requests use our keep-alive agent, never an agent the SDK built from `https_proxy`;
 * - a refused OAuth token request is remembered: SDK 8.1 swallows it (`Http.errorFilter` is
 *   undefined in oauth.js) and then calls the API with `Bearer undefined`, so the resulting 401
 *   can be explained with the token endpoint's own `error` / `error_description`;
 * - `stats`, when given (not for password checks), counts each try as it leaves, the pacer's wait,
 *   retries and 429s (the retry loop), and the SDK's own retry after a 401 with OAuth (it hands the
 *   same request object in again); the client (client.ts) counts the errors its callers get.
 */
export interface FetchedResponse {
  readonly status: number;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  clone(): FetchedResponse;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface ExecutorRequest {
  url?: string;
  method?: string;
  headers?: Record<string, unknown>;
  body?: unknown;
  agent?: unknown;
  timeout?: number;
}

export interface TokenRefusal {
  readonly status: number;
  readonly error: string;
  readonly description: string;
}

export class PacedExecutor extends okta.RequestExecutor {
  /** The last refusal of the token endpoint, cleared by the next token issued. */
  tokenRefusal: TokenRefusal | null = null;
  private readonly gate: ConcurrencyGate;
  private readonly agent: HttpAgent;
  /** Requests handed in before: the SDK's retry after a 401 hands the same object in again. */
  private readonly seen = new WeakSet<ExecutorRequest>();

  constructor(
    private readonly pacer: RatePacer,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    concurrency = 8,
    secure = true,
    readonly stats: RequestStats | null = null,
  ) {
    super();
    this.gate = new ConcurrencyGate(concurrency);
    const options = { keepAlive: true, maxSockets: concurrency + 2 };
    this.agent = secure ? new HttpsAgent(options) : new HttpAgent(options);
  }

  override fetch(request: ExecutorRequest): Promise<FetchedResponse> {
    if (this.stats) {
      if (this.seen.has(request)) this.stats.retries++;
      else this.seen.add(request);
    }
    return this.send(request);
  }

  /** Closes idle keep-alive connections (tests, shutdown). */
  destroy(): void {
    this.agent.destroy();
  }

  private send(request: ExecutorRequest): Promise<FetchedResponse> {
    const url = request.url ?? '';
    const bucket = bucketOf(url);
    const stats = this.stats ?? undefined;
    const attempt = async (): Promise<Attempt<FetchedResponse>> => {
      const waited = await this.pacer.acquire(bucket);
      await this.gate.enter();
      if (stats) {
        stats.rateLimitWaitMs += waited;
        stats.requests++;
      }
      let response: FetchedResponse;
      try {
        request.agent = this.agent;
        request.timeout = this.policy.requestTimeoutMs;
        response = (await super.fetch(
          request as Parameters<okta.RequestExecutor['fetch']>[0],
        )) as unknown as FetchedResponse;
      } catch (error) {
        this.pacer.settle(bucket, null, null);
        this.gate.leave();
        return {
          kind: 'transient',
          giveUp: () => {
            throw new NetworkFailure(url, error);
          },
        };
      }
      this.gate.leave();
      this.pacer.settle(bucket, response.status, rateHeaders(response));
      const drain = async () => void (await response.text().catch(() => ''));
      const final = async (): Promise<FetchedResponse> => {
        if (bucket === 'token') await this.noteToken(response);
        return response;
      };
      // The pacer closed the bucket until its Reset: the next try waits there, not here.
      if (response.status === 429) return { kind: 'throttled', giveUp: () => response, beforeRetry: drain };
      if (isTransientStatus(response.status)) {
        return {
          kind: 'transient',
          retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
          giveUp: final,
          beforeRetry: drain,
        };
      }
      return { kind: 'done', value: await final() };
    };
    return retrying(this.policy, pacedPauses(this.policy), attempt, stats);
  }

  private async noteToken(response: FetchedResponse): Promise<void> {
    if (response.status >= 200 && response.status < 300) {
      this.tokenRefusal = null;
      return;
    }
    let error = '';
    let description = '';
    try {
      const body = JSON.parse(await response.clone().text()) as {
        error?: unknown;
        error_description?: unknown;
        errorCode?: unknown;
        errorSummary?: unknown;
      };
      error = typeof body.error === 'string' ? body.error : typeof body.errorCode === 'string' ? body.errorCode : '';
      description =
        typeof body.error_description === 'string'
          ? body.error_description
          : typeof body.errorSummary === 'string'
            ? body.errorSummary
            : '';
    } catch {
      // not JSON: the status says enough
    }
    this.tokenRefusal = { status: response.status, error, description };
  }
}

/** A request that got no answer after every attempt. */
export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
  readonly code: string;
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const code = errorCode(cause);
    super(`no answer from ${safeUrl(url)} (${code})`, { cause });
    this.code = code;
  }
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; type?: unknown; errno?: unknown; message?: unknown; cause?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.errno === 'string') return e.errno;
  if (e?.type === 'request-timeout') return 'timeout';
  if (e?.cause !== undefined) return errorCode(e.cause);
  return typeof e?.message === 'string' ? e.message : String(error);
}

/** Scheme, host and path only: query strings carry filters and cursors, never worth a log line. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function num(value: string | null): number | null {
  if (value === null || value.trim() === '' || value.includes(',')) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function rateHeaders(response: FetchedResponse): RateHeaders {
  const date = response.headers.get('date');
  const parsed = date === null ? NaN : Date.parse(date);
  return {
    limit: num(response.headers.get('x-rate-limit-limit')),
    remaining: num(response.headers.get('x-rate-limit-remaining')),
    reset: num(response.headers.get('x-rate-limit-reset')),
    date: Number.isNaN(parsed) ? null : parsed,
  };
}
