import { google, type admin_directory_v1 } from 'googleapis';
import type { GoogleSettings } from './config';
import type { Credentials } from './credentials';
import { asFailure, classify, GoogleFailure } from './errors';
import type { Pace } from './pace';
import { backoffMs, sleep, type RetryPolicy } from './retry';

export type Admin = admin_directory_v1.Admin;

/** Per-call options handed to googleapis (its `MethodOptions`): gaxios retries off, our timeout. */
export interface CallOptions {
  readonly retry: false;
  readonly timeout: number;
}

/**
 * The Directory API through the unmodified `googleapis` client (`google.admin('directory_v1')`,
 * `rootUrl` from the settings), with one pace, one retry policy and one JWT client per directory.
 *
 * Contracts:
 * - `call(label, fn)` runs `fn` once per attempt: each attempt takes a slot from the pace, quota
 *   refusals slow the pace down, and failures are retried per retry.ts. It resolves with the
 *   response data or rejects with a GoogleFailure (after the retries it deserved).
 * - After a 401 on an API call the JWT client (and its cached token) is replaced once per
 *   request: a JWT client never drops a token the server revoked (providers.md §B.3).
 * - After `close()` no new attempt starts; calls reject.
 */
export class DirectoryClient {
  private current: Promise<Admin> | undefined;
  private generation = 0;
  private closed = false;

  constructor(
    private readonly settings: GoogleSettings,
    private readonly credentials: Credentials,
    readonly pace: Pace,
    readonly policy: RetryPolicy,
  ) {}

  async call<T>(label: string, fn: (admin: Admin, options: CallOptions) => Promise<{ data: T }>): Promise<T> {
    let attempts = 0;
    let throttled = 0;
    let renewed = false;
    for (;;) {
      if (this.closed) throw new GoogleFailure(0, 'closed', 'the provider was closed', label, false);
      const generation = this.generation;
      const admin = await this.admin();
      const sentAt = await this.pace.acquire();
      let failure: GoogleFailure;
      try {
        const response = await fn(admin, { retry: false, timeout: this.policy.requestTimeoutMs });
        return response.data;
      } catch (error) {
        failure = asFailure(error, label);
      } finally {
        this.pace.release();
      }
      const kind = classify(failure);
      if (kind === 'throttled' && throttled < this.policy.maxThrottleRetries) {
        throttled++;
        const pause = backoffMs(this.policy, throttled);
        this.pace.throttled(sentAt, pause);
        await sleep(pause);
        continue;
      }
      if (kind === 'transient' && ++attempts < this.policy.maxAttempts) {
        await sleep(backoffMs(this.policy, attempts));
        continue;
      }
      if (kind === 'unauthenticated' && !renewed) {
        renewed = true;
        this.renew(generation);
        continue;
      }
      throw failure;
    }
  }

  close(): void {
    this.closed = true;
  }

  private admin(): Promise<Admin> {
    if (!this.current) {
      const made = this.credentials.jwt().then((auth) => google.admin({ version: 'directory_v1', auth, rootUrl: this.settings.rootUrl }));
      made.catch(() => {
        if (this.current === made) this.current = undefined;
      });
      this.current = made;
    }
    return this.current;
  }

  /** Drops the JWT client the failed attempt used (unless another caller already did). */
  private renew(generation: number): void {
    if (generation !== this.generation) return;
    this.generation++;
    this.current = undefined;
  }
}
