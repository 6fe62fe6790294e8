import type {
  AccessReport,
  DirectoryProvider,
  ProviderGroup,
  ProviderMember,
  ProviderStats,
  ProviderUser,
} from '../provider';
import { DirectoryClient } from './client';
import type { GoogleSettings } from './config';
import { Credentials } from './credentials';
import { toDirectoryError } from './errors';
import { DEFAULT_RETRY_POLICY, Pace } from './pacing';
import type { RetryPolicy } from '../shared/retry';
import { ListingSession, type Members } from './listing';
import { listedOrFailed, ListingSlot } from '../shared/listing';
import { checkAccess } from './access-check';

export { parseGoogleSettings, type GoogleSettings } from './config';

/**
 * The Google Workspace connector (the contract: ../provider.ts): Admin SDK Directory API
 * `directory_v1` through the unmodified `googleapis` client, a service account with domain-wide
 * delegation impersonating an administrator.
 *
 * - `users()` / `groups()` / `members(group)`: users.list (500 a page), groups.list (200) and
 *   members.list (200, direct members) paged to the end. `users()` starts a listing session:
 *   groups and their members are read in the background meanwhile (listing.ts). CUSTOMER members
 *   (everyone in the account) are expanded to the listed users.
 * - No change feed: the Directory API has none (watch channels need a public HTTPS endpoint), so
 *   the connector is not DeltaCapable. The engine then runs every sync as a full listing and diffs
 *   it against the store (only changed rows written, events only for real changes); the scheduler
 *   runs no incremental syncs for it. The Reports API activity feed could tell which groups to
 *   re-read; it is not used (it lags minutes to hours, and the emulator has none).
 * - Nesting: members are read without includeDerivedMembership. Every group must be read once
 *   either way, and a derived list repeats each nested member in every ancestor, so it never
 *   saves requests; `nestedGroups: flatten` is the engine's job.
 * - All requests of one directory share one pace (quota, concurrency) and one retry
 *   policy (pacing.ts). Every failure is a DirectoryError; a listing that cannot complete throws.
 */
export interface GoogleProviderOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Groups whose members are read at once in the background (default: the concurrency). */
  readonly memberWorkers?: number;
}

export class GoogleProvider implements DirectoryProvider {
  readonly kind = 'google';
  readonly pace: Pace;
  private readonly policy: RetryPolicy;
  private readonly client: DirectoryClient;
  private readonly listings = new ListingSlot(
    () => new ListingSession(this.client, this.settings, this.options.memberWorkers ?? this.settings.maxConcurrency),
  );

  constructor(
    readonly settings: GoogleSettings,
    private readonly options: GoogleProviderOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.pace = new Pace(settings.queriesPerMinute, settings.maxConcurrency);
    this.client = new DirectoryClient(
      settings,
      new Credentials(settings, this.policy.requestTimeoutMs, this.pace.stats),
      this.pace,
      this.policy,
    );
  }

  throttledAnswers(): number {
    return this.pace.stats.throttled;
  }

  /**
   * Counted in the pace's stats (pacing.ts): requests per try as they leave, token requests
   * included (credentials.ts); retries, quota refusals (429, 403 rate/quota reasons) and errors by
   * the retry loop and the client (client.ts); rate-limit wait is the quota bucket's pacing plus
   * the backoff after each refusal.
   */
  stats(): ProviderStats {
    return this.pace.stats.snapshot();
  }

  /** API requests let through by the pace and quota refusals met so far (benchmarks, diagnostics). */
  get usage(): { readonly requests: number; readonly throttled: number } {
    return { requests: this.pace.sent, throttled: this.pace.stats.throttled };
  }

  /** Starts a full listing: groups and their members are read in the background from now on. */
  async *users(): AsyncIterable<ProviderUser> {
    const session = this.listings.start();
    yield* listedOrFailed(session.users(), (error) => this.fail(error), session);
  }

  async *groups(): AsyncIterable<ProviderGroup> {
    const session = this.listings.forGroups();
    yield* listedOrFailed(session.groups(), (error) => this.fail(error), session);
  }

  /** A plain iterator over two arrays (no generator): a large tenant has a million memberships. */
  members(group: ProviderGroup): AsyncIterable<ProviderMember> {
    const session = this.listings.current ?? this.listings.start();
    const fail = (error: unknown) => this.fail(error);
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<ProviderMember> => {
        let members: Members | undefined;
        let next = 0;
        return {
          next: async (): Promise<IteratorResult<ProviderMember>> => {
            if (members === undefined) {
              try {
                members = await session.members(group.id);
              } catch (error) {
                throw fail(error);
              }
            }
            const { users, groups } = members;
            if (next < users.length) return { value: { kind: 'user', id: users[next++] as string }, done: false };
            const g = next++ - users.length;
            if (g < groups.length) return { value: { kind: 'group', id: groups[g] as string }, done: false };
            return { value: undefined, done: true };
          },
        };
      },
    };
  }

  checkAccess(): Promise<AccessReport> {
    return checkAccess({ settings: this.settings, pace: this.pace, policy: this.policy });
  }

  /** Stops background reads (tests, shutdown). */
  async close(): Promise<void> {
    this.listings.close(new Error('provider closed'));
    this.client.close();
  }

  private fail(error: unknown): Error {
    return toDirectoryError(error, this.settings.directoryName);
  }
}

/** The registry's factory: `google: (d) => createGoogleProvider(parseGoogleSettings(d.google, d.name))`. */
export function createGoogleProvider(settings: GoogleSettings, options: GoogleProviderOptions = {}): GoogleProvider {
  return new GoogleProvider(settings, options);
}
