import { google, type admin_directory_v1 } from 'googleapis';
import type { GoogleSettings } from './config';
import type { Credentials } from './credentials';
import { asFailure, classify, GoogleFailure } from './errors';
import { retrying, type Attempt, type RetryPolicy } from '../shared/retry';
import { googlePauses, type Pace } from './pacing';

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
 *   refusals slow the pace down, and failures are retried per DEFAULT_RETRY_POLICY (pacing.ts). It resolves with the
 *   response data or rejects with a GoogleFailure (after the retries it deserved).
 * - After a 401 on an API call the JWT client (and its cached token) is replaced once per
 *   request: a JWT client never drops a token the server revoked.
 * - After `close()` no new attempt starts; calls reject.
 * - Counted in the pace's stats: retries and quota refusals by the retry loop, and an error per
 *   call that rejects; the credentials count the requests, which are sent inside `fn`.
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

  call<T>(label: string, fn: (admin: Admin, options: CallOptions) => Promise<{ data: T }>): Promise<T> {
    const stats = this.pace.stats;
    const attempt = async (): Promise<Attempt<T>> => {
      if (this.closed) throw new GoogleFailure(0, 'closed', 'the provider was closed', label, false);
      const generation = this.generation;
      const admin = await this.admin();
      const sentAt = await this.pace.acquire();
      let failure: GoogleFailure;
      try {
        const response = await fn(admin, { retry: false, timeout: this.policy.requestTimeoutMs });
        return { kind: 'done', value: response.data };
      } catch (error) {
        failure = asFailure(error, label);
      } finally {
        this.pace.release();
      }
      const kind = classify(failure);
      if (kind === 'fatal') return { kind: 'failed', error: failure };
      const giveUp = (): never => {
        throw failure;
      };
      if (kind === 'throttled') return { kind, giveUp, beforeRetry: (pauseMs) => this.pace.throttled(sentAt, pauseMs) };
      if (kind === 'unauthenticated') return { kind, giveUp, beforeRetry: () => this.renew(generation) };
      return { kind, giveUp };
    };
    return retrying(this.policy, googlePauses(this.policy), attempt, stats).catch((error: unknown) => {
      stats.errors++;
      throw error;
    });
  }

  close(): void {
    this.closed = true;
  }

  private admin(): Promise<Admin> {
    if (!this.current) {
      const made = this.credentials
        .jwt()
        .then((auth) => google.admin({ version: 'directory_v1', auth, rootUrl: this.settings.rootUrl }));
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
