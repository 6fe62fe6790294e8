import type { Agent } from 'undici';
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
import { BatchQueue } from './batch';
import { GraphClient } from './client';
import type { EntraSettings } from './config';
import { AppTokenSource } from './credentials';
import { decodeCursor, encodeCursor, fingerprint } from './cursor';
import { latestCursor, readChanges, ResyncRequired } from './delta';
import { toDirectoryError } from './errors';
import { createDispatcher } from './transport';
import { pages } from './paging';
import { ListingSession } from './listing';
import { listedOrFailed, ListingSlot } from '../shared/listing';
import { GROUP_SELECT, mapUser, USER_SELECT } from './mapper';
import { GroupDeltaMembers, Lanes, MAX_IDS } from './member-delta';
import { Interner, memberRecords, type MemberList } from './member-list';
import { GroupMemberPages } from './member-pages';
import { MemberReader, type MemberSource } from './members';
import { PasswordChecker } from './password';
import type { RetryPolicy } from '../shared/retry';
import { checkAccess } from './access-check';
import { DEFAULT_RETRY_POLICY, ResourceBucket } from './pacing';

export { parseEntraSettings, type EntraSettings } from './config';

/**
 * The Microsoft Entra ID connector, on the Microsoft Graph SDK (the contract: ../provider.ts).
 *
 * - `users()` / `groups()`: `/users` and `/groups` with `$select` of the mapped fields and
 *   `$top=999` (the page maximum, https://learn.microsoft.com/en-us/graph/paging), every next link followed. `users()` starts a
 *   listing session: groups and members are read in the background meanwhile (listing.ts).
 * - `members(group)`: direct members through `$batch`, read ahead of the engine (members.ts),
 *   by filtered groups delta rounds (member-delta.ts) or per group (member-pages.ts).
 * - `deltaStart()` / `delta(cursor)`: users and groups delta links in one cursor (delta.ts).
 * - `checkAccess()`: names what is wrong (access-check.ts).
 * - `checkPassword()` only when `passwordAuthentication` is on (password.ts).
 * All requests of one directory share one RU bucket (pacing.ts) and one connection pool (transport.ts).
 * Every failure is a DirectoryError; a listing that cannot complete throws.
 */
export interface EntraProviderOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** `$batch` requests in flight while reading members. */
  readonly batchConcurrency?: number;
  /** Groups whose members may be fetched ahead of the engine. */
  readonly memberWindow?: number;
  /** Overrides `settings.memberReads` (member-delta.ts or member-pages.ts). */
  readonly memberReads?: 'delta' | 'pages';
}

const DEFAULT_BATCH_CONCURRENCY = 6;
/** Member lists are compact (member-list.ts): a whole large tenant's may wait for the engine. */
const DEFAULT_MEMBER_WINDOW = 50_000;
/** Plain GETs for long delta chains at once (member-delta.ts). */
const DIRECT_LANES = 4;
/** The page maximum for users and groups (https://learn.microsoft.com/en-us/graph/paging). */
const PAGE_TOP = 999;

export class EntraProvider implements DirectoryProvider, DeltaCapable {
  readonly kind = 'entra';
  protected readonly dispatcher: Agent;
  private readonly bucket: ResourceBucket;
  private readonly policy: RetryPolicy;
  private readonly client: GraphClient;
  private readonly print: string;
  private readonly lanes = new Lanes(DIRECT_LANES);
  private readonly listings = new ListingSlot(() => this.newSession());
  /** For members() of a group no listing planned. */
  private standalone: MemberReader | undefined;
  private pageSource: GroupMemberPages | undefined;
  private sizes: ReadonlyMap<string, number> = new Map();

  constructor(
    readonly settings: EntraSettings,
    private readonly options: EntraProviderOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const concurrency = options.batchConcurrency ?? DEFAULT_BATCH_CONCURRENCY;
    this.dispatcher = createDispatcher(settings.caCertificate, concurrency + DIRECT_LANES + 4);
    this.bucket = new ResourceBucket(settings.resourceUnitBudget);
    const tokens = new AppTokenSource(
      settings,
      this.dispatcher,
      Date.now,
      this.policy.requestTimeoutMs,
      this.bucket.stats,
    );
    this.client = new GraphClient({
      graphBaseUrl: settings.graphBaseUrl,
      tokens,
      bucket: this.bucket,
      policy: this.policy,
      dispatcher: this.dispatcher,
    });
    this.print = fingerprint([
      settings.tenantId.toLowerCase(),
      settings.graphBaseUrl,
      USER_SELECT.join(','),
      GROUP_SELECT.join(','),
      settings.groupTypes,
    ]);
  }

  throttledAnswers(): number {
    return this.bucket.stats.throttled;
  }

  /**
   * Counted in the RU bucket's stats (pacing.ts): requests per try as they leave (client.ts) and
   * the identity library's requests (credentials.ts); retries, throttled answers and errors by the
   * retry loop, the clients and the `$batch` queue (batch.ts), $batch items included; rate-limit
   * wait is the RU bucket's pacing and Retry-After holds plus the Retry-After of throttled items.
   * Password checks (ROPC) are not counted.
   */
  stats(): ProviderStats {
    return this.bucket.stats.snapshot();
  }

  /** RU spent and 429s met so far (for benchmarks and diagnostics). */
  get usage(): { readonly resourceUnits: number; readonly throttled: number; readonly batchItemsThrottled: number } {
    return {
      resourceUnits: this.bucket.spent,
      throttled: this.bucket.throttles,
      batchItemsThrottled: this.bucket.batchItemThrottles,
    };
  }

  /** Starts a full listing: groups and their members are read in the background from now on. */
  async *users(): AsyncIterable<ProviderUser> {
    const session = this.listings.start();
    yield* listedOrFailed(this.listUsers(session), (error) => this.fail(error), session);
  }

  async *groups(): AsyncIterable<ProviderGroup> {
    const session = this.listings.forGroups();
    yield* listedOrFailed(session.groups(), (error) => this.fail(error), session);
  }

  private async *listUsers(session: ListingSession): AsyncGenerator<ProviderUser> {
    for await (const page of pages(this.client, `/users?$select=${USER_SELECT.join(',')}&$top=${PAGE_TOP}`)) {
      for (const user of page.values) yield mapUser(user, session.ids);
    }
    session.usersListed();
  }

  async *members(group: ProviderGroup): AsyncIterable<ProviderMember> {
    const reader = this.listings.current?.reader ?? (this.standalone ??= this.newReader(new Interner(), 'pages'));
    let list: MemberList;
    try {
      list = await reader.members(group.id);
    } catch (error) {
      throw this.fail(error);
    }
    yield* memberRecords(list);
  }

  async deltaStart(): Promise<string> {
    try {
      return encodeCursor(await latestCursor(this.client), this.settings.tenantId, this.print);
    } catch (error) {
      throw this.fail(error);
    }
  }

  async delta(cursor: string): Promise<DeltaResult> {
    const decoded = decodeCursor(cursor, this.settings.tenantId, this.print);
    if ('unusable' in decoded) return { kind: 'resync', reason: decoded.unusable };
    for (const link of [decoded.users, decoded.groups]) {
      if (!link.startsWith(`${this.settings.graphBaseUrl}/`))
        return { kind: 'resync', reason: 'the stored delta links point at another Graph host' };
    }
    try {
      const result = await readChanges(this.client, decoded, this.settings.groupTypes);
      return {
        kind: 'changes',
        changes: result.changes,
        cursor: encodeCursor(result.cursor, this.settings.tenantId, this.print),
      };
    } catch (error) {
      if (error instanceof ResyncRequired) return { kind: 'resync', reason: error.message };
      throw this.fail(error);
    }
  }

  checkAccess(): Promise<AccessReport> {
    return checkAccess({
      settings: this.settings,
      dispatcher: this.dispatcher,
      bucket: this.bucket,
      policy: this.policy,
    });
  }

  /** Stops background reads and closes the connection pool (tests, shutdown). */
  async close(): Promise<void> {
    const closed = new Error('provider closed');
    this.listings.close(closed);
    this.standalone?.abort(closed);
    await this.dispatcher.close();
  }

  private newSession(): ListingSession {
    const ids = new Interner();
    // Assigned once, after the reader that reports to it is built (the reader may call back before that).
    // eslint-disable-next-line prefer-const
    let session: ListingSession | undefined;
    const reader = this.newReader(ids, this.options.memberReads ?? this.settings.memberReads, () =>
      session?.membersRead(),
    );
    session = new ListingSession(this.client, this.settings.groupTypes, ids, reader);
    return session;
  }

  /** A member reader for one listing; the per-group source passes the sizes it saw to the next. */
  private newReader(ids: Interner, reads: 'delta' | 'pages', onDrained?: () => void): MemberReader {
    const queue = new BatchQueue(
      this.client,
      this.bucket,
      this.policy,
      this.options.batchConcurrency ?? DEFAULT_BATCH_CONCURRENCY,
    );
    if (this.pageSource && this.pageSource.sizes.size > 0) this.sizes = this.pageSource.sizes;
    const pageSource = new GroupMemberPages(queue, this.client, ids, this.sizes);
    this.pageSource = pageSource;
    const source: MemberSource =
      reads === 'delta'
        ? {
            chunk: MAX_IDS,
            read: (groupIds) =>
              new GroupDeltaMembers(queue, this.client, ids, this.lanes, (id) => pageSource.read(id)).read(groupIds),
          }
        : {
            chunk: 1,
            read: async (groupIds) => new Map([[groupIds[0] as string, await pageSource.read(groupIds[0] as string)]]),
          };
    return new MemberReader(
      source,
      this.options.memberWindow ?? DEFAULT_MEMBER_WINDOW,
      (error) => queue.abort(error),
      onDrained,
    );
  }

  private fail(error: unknown): Error {
    return toDirectoryError(error, this.settings.directoryName);
  }
}

/** The connector with ROPC password checks (`passwordAuthentication: true`). */
export class EntraPasswordProvider extends EntraProvider implements PasswordCapable {
  private readonly passwords: PasswordChecker;

  constructor(settings: EntraSettings, options: EntraProviderOptions = {}) {
    super(settings, options);
    this.passwords = new PasswordChecker(settings, this.dispatcher);
  }

  checkPassword(login: string, password: string): Promise<PasswordCheck> {
    return this.passwords.check(login, password);
  }
}

/** The registry's factory: `entra: (d) => createEntraProvider(parseEntraSettings(d.entra, d.name))`. */
export function createEntraProvider(settings: EntraSettings, options: EntraProviderOptions = {}): EntraProvider {
  return settings.passwordAuthentication
    ? new EntraPasswordProvider(settings, options)
    : new EntraProvider(settings, options);
}
