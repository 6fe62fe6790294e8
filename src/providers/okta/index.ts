import type {
  AccessReport,
  DeltaCapable,
  DeltaResult,
  DirectoryProvider,
  PasswordCapable,
  PasswordCheck,
  ProviderGroup,
  ProviderMember,
  ProviderStats,
  ProviderUser,
} from '../provider';
import { OktaClient } from './client';
import { GROUP_TYPES, type OktaGroupType, type OktaSettings, type OktaUserStatus } from './config';
import { decodeCursor, encodeCursor, fingerprint } from './cursor';
import { changesFrom, readLog, ResyncRequired, START_LAG_MS, startQuery } from './delta';
import { toDirectoryError } from './errors';
import { PacedExecutor } from './transport';
import { ListingSession } from './listing';
import { listedOrFailed, ListingSlot } from '../shared/listing';
import { mapGroup, mapUser, statusKept, type OktaGroupJson, type OktaUserJson } from './mapper';
import { DEFAULT_RETRY_POLICY, RatePacer, type BucketName, type BucketReport } from './pacing';
import { PasswordChecker } from './password';
import { RequestStats } from '../shared/request-stats';
import type { RetryPolicy } from '../shared/retry';
import { checkAccess } from './access-check';

export { parseOktaSettings, type OktaSettings } from './config';

/**
 * The Okta connector (the contract: ../provider.ts), on `@okta/okta-sdk-nodejs` 8.1
 * unmodified (client.ts says how its traps are avoided).
 *
 * - `users()`: `GET /api/v1/users?limit=200` (the page maximum) with `filter=status eq … or …`
 *   naming every synced status — a filter is what makes Okta list DEPROVISIONED users, which an
 *   unfiltered listing omits; they become inactive users instead of vanishing.
 * - `groups()`: `GET /api/v1/groups?limit=10000` (the spec maximum), `filter=type eq …` when not
 *   every type is synced. Okta groups are flat: no group members.
 * - `members(group)`: `GET /api/v1/groups/{id}/users?limit=1000` (the endpoint's maximum); members
 *   of a status not synced are skipped. Groups and members are read in the background from the
 *   moment users() starts (listing.ts); the request executor (transport.ts) bounds requests in flight.
 * - `deltaStart()` / `delta(cursor)`: the System Log (delta.ts, cursor.ts).
 * - `checkAccess()`: access-check.ts. `checkPassword()` only with `passwordAuthentication`.
 * Every request is paced per Okta rate-limit bucket at `rateLimitShare` of its limit (pacing.ts).
 * Every failure is a DirectoryError; a listing that cannot complete throws.
 */
export interface OktaProviderOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Requests in flight at once (Okta: 75 concurrent requests per org for all API clients). */
  readonly concurrency?: number;
  /** Groups whose members are read at once during a full listing. */
  readonly memberLanes?: number;
}

const USERS_PAGE = 200;
const GROUPS_PAGE = 10_000;
const MEMBERS_PAGE = 1_000;
/** Well under Okta's 75 concurrent requests per org, which the customer's other integrations share. */
const DEFAULT_CONCURRENCY = 16;
const DEFAULT_MEMBER_LANES = 12;
/** Okta keeps the System Log for 90 days: an older position is not even asked for. */
const LOG_RETENTION_MS = 90 * 86_400_000;

export class OktaProvider implements DirectoryProvider, DeltaCapable {
  readonly kind = 'okta';
  protected readonly pacer: RatePacer;
  protected readonly policy: RetryPolicy;
  /** Kept here, not on the pacer: password checks share the pacer but are not counted. */
  private readonly counts = new RequestStats();
  private readonly client: OktaClient;
  private readonly statuses: ReadonlySet<OktaUserStatus>;
  private readonly types: ReadonlySet<OktaGroupType>;
  private readonly print: string;
  /** Groups of the last listing, kept current by delta(): membership events of other groups are dropped. */
  private readonly knownGroups = new Set<string>();
  /** Id of the built-in Everyone group, from the last listing. */
  private everyone: string | null = null;
  private readonly listings = new ListingSlot(() => this.newSession());
  private readonly ids = new Map<string, string>();
  private readonly memberLanes: number;

  constructor(
    readonly settings: OktaSettings,
    options: OktaProviderOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.pacer = new RatePacer(settings.rateLimitShare);
    this.client = OktaClient.create(
      settings,
      this.pacer,
      this.policy,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      this.counts,
    );
    this.statuses = new Set(settings.userStatuses);
    this.types = new Set(settings.groupTypes);
    this.memberLanes = options.memberLanes ?? DEFAULT_MEMBER_LANES;
    this.print = fingerprint([[...this.types].sort().join(','), [...this.statuses].sort().join(',')]);
  }

  throttledAnswers(): number {
    return this.counts.throttled;
  }

  /**
   * Counted by the request executors of the listings, change feed and connection tests
   * (transport.ts): requests per try as they leave, token requests included; retries (the SDK's
   * retry after a 401 with OAuth too) and 429s by the retry loop; rate-limit wait is the time the
   * pacer held calls back (a bucket's budget spent until its Reset, closed after a 429, or one call
   * at a time until its limit is known); errors by the client (client.ts), once per call that
   * rejects. Password checks (/api/v1/authn) are not counted.
   */
  stats(): ProviderStats {
    return this.counts.snapshot();
  }

  /** Requests, 429s and limits per rate-limit bucket so far (benchmarks, diagnostics). */
  usage(): ReadonlyMap<BucketName, BucketReport> {
    return this.pacer.report();
  }

  /** Starts a full listing: groups and their members are read in the background from now on. */
  async *users(): AsyncIterable<ProviderUser> {
    const session = this.listings.start();
    yield* listedOrFailed(this.listUsers(), (error) => this.fail(error), session);
  }

  private async *listUsers(): AsyncGenerator<ProviderUser> {
    const filter = this.settings.userStatuses.map((s) => `status eq "${s}"`).join(' or ');
    for await (const page of this.client.pages<OktaUserJson>(
      `/api/v1/users?limit=${USERS_PAGE}&filter=${encodeURIComponent(filter)}`,
      true,
    )) {
      for (const user of page)
        if (statusKept(user, this.statuses)) yield { ...mapUser(user), id: this.intern(user.id) };
    }
  }

  async *groups(): AsyncIterable<ProviderGroup> {
    const session = this.listings.forGroups();
    let groups: OktaGroupJson[];
    try {
      groups = await session.groups();
    } catch (error) {
      throw this.fail(error);
    }
    this.knownGroups.clear();
    this.everyone = null;
    for (const group of groups) {
      this.knownGroups.add(group.id);
      if (group.type === 'BUILT_IN' && group.profile?.['name'] === 'Everyone') this.everyone = group.id;
    }
    for (const group of groups) yield mapGroup(group);
  }

  async *members(group: ProviderGroup): AsyncIterable<ProviderMember> {
    let ids: string[];
    try {
      ids = await (this.listings.current?.members(group.id) ?? this.readMembers(group.id));
    } catch (error) {
      throw this.fail(error);
    }
    for (const id of ids) yield { kind: 'user', id };
  }

  /** Members of a group no listing planned. */
  private async readMembers(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.client.pages<OktaUserJson>(
      `/api/v1/groups/${encodeURIComponent(groupId)}/users?limit=${MEMBERS_PAGE}`,
      true,
    )) {
      for (const user of page) if (statusKept(user, this.statuses)) ids.push(user.id);
    }
    return ids;
  }

  /** A new listing: groups and their members are read in the background from now on. */
  private newSession(): ListingSession {
    this.ids.clear();
    const all = GROUP_TYPES.every((t) => this.types.has(t));
    const filter = all
      ? ''
      : `&filter=${encodeURIComponent(this.settings.groupTypes.map((t) => `type eq "${t}"`).join(' or '))}`;
    return new ListingSession(this.client, {
      statuses: this.statuses,
      types: this.types,
      lanes: this.memberLanes,
      groupsPath: `/api/v1/groups?limit=${GROUPS_PAGE}${filter}`,
      membersLimit: MEMBERS_PAGE,
      intern: (id) => this.intern(id),
    });
  }

  /** One string per user id across a listing (member lists hold references, not copies). */
  private intern(id: string): string {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    this.ids.set(id, id);
    return id;
  }

  async deltaStart(): Promise<string> {
    const at = Date.now();
    return encodeCursor({ next: startQuery(at - START_LAG_MS), at }, this.settings.orgUrl, this.print);
  }

  async delta(cursor: string): Promise<DeltaResult> {
    const decoded = decodeCursor(cursor, this.settings.orgUrl, this.print);
    if ('unusable' in decoded) return { kind: 'resync', reason: decoded.unusable };
    if (Date.now() - decoded.at > LOG_RETENTION_MS)
      return { kind: 'resync', reason: 'the System Log position is older than the log keeps events (90 days)' };
    try {
      const at = Date.now();
      const log = await readLog(this.client, decoded.next);
      const changes = await changesFrom(log.events, {
        client: this.client,
        statuses: this.statuses,
        types: this.types,
        knownGroups: this.knownGroups,
        everyone: this.everyone,
      });
      return {
        kind: 'changes',
        changes,
        cursor: encodeCursor({ next: log.next, at }, this.settings.orgUrl, this.print),
      };
    } catch (error) {
      if (error instanceof ResyncRequired) return { kind: 'resync', reason: error.message };
      throw this.fail(error);
    }
  }

  checkAccess(): Promise<AccessReport> {
    // Probes must not wait long: one try for network failures, few 429 retries, a short timeout.
    const policy: RetryPolicy = {
      ...this.policy,
      maxAttempts: 1,
      maxThrottleRetries: 2,
      requestTimeoutMs: Math.min(this.policy.requestTimeoutMs, 15_000),
    };
    const client = OktaClient.create(this.settings, this.pacer, policy, 2, this.counts);
    return checkAccess({ settings: this.settings, client, pacer: this.pacer }).finally(() => client.close());
  }

  /** Closes idle connections (tests, shutdown). */
  async close(): Promise<void> {
    this.listings.close(new Error('provider closed'));
    this.client.close();
  }

  private fail(error: unknown): Error {
    return toDirectoryError(error, this.settings, this.client.executor.tokenRefusal);
  }
}

/** The connector with password checks through /api/v1/authn (`passwordAuthentication: true`). */
export class OktaPasswordProvider extends OktaProvider implements PasswordCapable {
  private readonly passwords: PasswordChecker;
  private readonly authnExecutor: PacedExecutor;

  constructor(settings: OktaSettings, options: OktaProviderOptions = {}) {
    super(settings, options);
    // A login must not hang for a rate-limit window: 429 → unavailable at once; one retry for 5xx.
    this.authnExecutor = new PacedExecutor(
      this.pacer,
      {
        ...this.policy,
        maxAttempts: 2,
        maxThrottleRetries: 0,
        requestTimeoutMs: Math.min(this.policy.requestTimeoutMs, 15_000),
      },
      4,
      settings.orgUrl.startsWith('https:'),
    );
    this.passwords = new PasswordChecker(settings, this.authnExecutor);
  }

  checkPassword(login: string, password: string): Promise<PasswordCheck> {
    return this.passwords.check(login, password);
  }

  override async close(): Promise<void> {
    this.authnExecutor.destroy();
    await super.close();
  }
}

/** The registry's factory: `okta: (d) => createOktaProvider(parseOktaSettings(d.okta, d.name))`. */
export function createOktaProvider(settings: OktaSettings, options: OktaProviderOptions = {}): OktaProvider {
  return settings.passwordAuthentication
    ? new OktaPasswordProvider(settings, options)
    : new OktaProvider(settings, options);
}
