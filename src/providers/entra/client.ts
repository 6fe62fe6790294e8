import {
  Client,
  GraphError,
  HTTPMessageHandler,
  TelemetryHandler,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import type { Dispatcher } from 'undici';
import type { AppTokenSource } from './credentials';
import { describeRequest, GraphFailure } from './errors';
import {
  isTransientStatus,
  pacedPauses,
  parseRetryAfter,
  retrying,
  type Attempt,
  type RetryPolicy,
} from '../shared/retry';
import type { RequestStats } from '../shared/request-stats';
import { DEFAULT_RETRY_AFTER_SECONDS, requestCost, type ResourceBucket } from './pacing';

/**
 * The Graph v1.0 client of one Entra directory: the official SDK (`Client.initWithMiddleware`,
 * https://learn.microsoft.com/en-us/graph/sdks/customize-client) with our own policy middleware in place of its AuthenticationHandler and
 * RetryHandler, because a sync needs what they do not do:
 * - pace every request through the client-side RU bucket (pacing.ts) before sending it;
 * - retry per DEFAULT_RETRY_POLICY (pacing.ts): 429 Retry-After, 5xx backoff, timeouts, one
 *   token refresh on 401 — through the shared retry loop (../shared/retry.ts);
 * - never send the bearer token anywhere but `graphBaseUrl` (next and delta links are checked);
 * - count each try sent, and each call that fails, in the bucket's stats (pacing.ts).
 *
 * `get` and `postBatch` resolve with the parsed JSON body of a 2xx answer or throw GraphFailure.
 */
export interface GraphClientDeps {
  readonly graphBaseUrl: string;
  readonly tokens: AppTokenSource;
  readonly bucket: ResourceBucket;
  readonly policy: RetryPolicy;
  readonly dispatcher: Dispatcher;
}

/** One item of a `$batch` body (https://learn.microsoft.com/en-us/graph/json-batching): relative URL, no version segment. */
export interface BatchRequestItem {
  readonly id: string;
  readonly method: 'GET';
  readonly url: string;
}

export interface BatchResponseItem {
  readonly id: string;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** Per-request state handed to the policy middleware through the SDK's middleware options. */
class RequestPolicy implements MiddlewareOptions {
  /** Why the request failed for good, when the SDK would only see a wrapped error. */
  failure: Error | undefined;
  /** When the last attempt left (after pacing). */
  sentAt = 0;

  constructor(
    readonly cost: number,
    readonly describe: string,
  ) {}
}

export class GraphClient {
  private readonly client: Client;
  private readonly stats: RequestStats;
  readonly baseUrl: string;

  constructor(deps: GraphClientDeps) {
    this.baseUrl = deps.graphBaseUrl;
    this.stats = deps.bucket.stats;
    const policy = new PolicyMiddleware(deps);
    const telemetry = new TelemetryHandler();
    const http = new HTTPMessageHandler();
    policy.setNext(telemetry);
    telemetry.setNext(http);
    this.client = Client.initWithMiddleware({
      middleware: policy,
      baseUrl: deps.graphBaseUrl,
      customHosts: new Set([new URL(deps.graphBaseUrl).hostname]),
      fetchOptions: { dispatcher: deps.dispatcher } as RequestInit,
    });
  }

  /** GET a path relative to the version (`/users?$top=999`) or an absolute next/delta link. */
  async get(url: string): Promise<unknown> {
    const target = this.checked(url);
    const state = new RequestPolicy(requestCost('GET', target), describeRequest('GET', target));
    try {
      return (await this.client.api(target).middlewareOptions([state]).get()) as unknown;
    } catch (error) {
      this.stats.errors++;
      throw state.failure ?? asFailure(error, state.describe);
    }
  }

  /**
   * POST /$batch; the RU of every item is charged here (the envelope costs nothing). `sentAt`
   * tells when the batch left (after pacing), for the bucket's 429 bookkeeping.
   */
  async postBatch(items: readonly BatchRequestItem[]): Promise<{ responses: BatchResponseItem[]; sentAt: number }> {
    const cost = items.reduce((sum, item) => sum + requestCost(item.method, item.url), 0);
    const state = new RequestPolicy(cost, 'POST /$batch');
    let body: unknown;
    try {
      body = (await this.client.api('/$batch').middlewareOptions([state]).post({ requests: items })) as unknown;
    } catch (error) {
      this.stats.errors++;
      throw state.failure ?? asFailure(error, state.describe);
    }
    const responses = (body as { responses?: unknown } | null)?.responses;
    if (!Array.isArray(responses))
      throw new GraphFailure(200, 'InvalidBatchResponse', 'the $batch answer has no responses array', state.describe);
    return { responses: responses as BatchResponseItem[], sentAt: state.sentAt };
  }

  /** The path (relative to the version) of an absolute link on our Graph host, for a $batch item. */
  relative(link: string): string {
    const target = this.checked(link);
    return target.startsWith('/')
      ? target
      : target.slice(this.baseUrl.length).replace(/^\/(v1\.0|beta)(?=\/|\?|$)/i, '');
  }

  /** Absolute links must point at our Graph host: a bearer token never leaves for another one. */
  private checked(url: string): string {
    if (url.startsWith('/')) return url;
    if (url.startsWith(`${this.baseUrl}/`)) return url;
    throw new GraphFailure(
      0,
      'UnexpectedHost',
      `refusing to follow a link outside ${this.baseUrl}`,
      describeRequest('GET', url),
    );
  }
}

function asFailure(error: unknown, describe: string): GraphFailure {
  if (error instanceof GraphFailure) return error;
  if (error instanceof GraphError) {
    return new GraphFailure(error.statusCode > 0 ? error.statusCode : 0, error.code ?? '', error.message, describe, {
      cause: error,
    });
  }
  return new GraphFailure(0, 'ClientError', error instanceof Error ? error.message : String(error), describe, {
    cause: error,
  });
}

class PolicyMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly deps: GraphClientDeps) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const state = context.middlewareControl?.getMiddlewareOptions(RequestPolicy) as RequestPolicy | undefined;
    const next = this.next;
    if (!state || !next) throw new Error('Graph policy middleware: request without policy state');
    const { bucket, tokens, policy } = this.deps;
    const options = (context.options ??= {});
    const headers = (options.headers ?? {}) as Record<string, string>;
    options.headers = headers;
    const attempt = async (): Promise<Attempt<void>> => {
      const sentAt = await bucket.acquire(state.cost);
      state.sentAt = sentAt;
      let token: string;
      try {
        token = await tokens.token();
      } catch (error) {
        // Already in an administrator's words (credentials.ts); keep them through the SDK.
        state.failure = error instanceof Error ? error : new Error(String(error));
        return { kind: 'failed', error: state.failure };
      }
      headers['Authorization'] = `Bearer ${token}`;
      options.signal = AbortSignal.timeout(policy.requestTimeoutMs);
      bucket.stats.requests++;
      try {
        await next.execute(context);
      } catch (error) {
        return {
          kind: 'transient',
          giveUp: (tries) => {
            const reason = networkReason(error, policy.requestTimeoutMs);
            state.failure = new GraphFailure(0, 'NoAnswer', `${reason} (after ${tries} attempts)`, state.describe, {
              cause: error,
            });
            throw state.failure;
          },
        };
      }
      const response = context.response as Response;
      const status = response.status;
      const answered = { kind: 'done', value: undefined } as const;
      if (status === 401) {
        return {
          kind: 'unauthenticated',
          giveUp: () => undefined,
          beforeRetry: async () => {
            await discard(response);
            tokens.invalidate(token);
          },
        };
      }
      if (status === 429) {
        return {
          kind: 'throttled',
          giveUp: () => undefined,
          beforeRetry: async () => {
            const seconds = parseRetryAfter(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_SECONDS;
            await discard(response);
            bucket.throttled(seconds, sentAt);
          },
        };
      }
      if (isTransientStatus(status)) {
        return {
          kind: 'transient',
          retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
          giveUp: () => undefined,
          beforeRetry: () => discard(response),
        };
      }
      return answered;
    };
    await retrying(policy, pacedPauses(policy), attempt, bucket.stats);
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // the connection is dropped either way
  }
}
