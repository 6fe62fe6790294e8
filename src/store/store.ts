import type { Directory } from '../domain/directory';
import type { GroupFilter, UserFilter } from '../domain/filter';
import type { Group, GroupRecord } from '../domain/group';
import type { User, UserRecord } from '../domain/user';
import type { EventBatch } from '../domain/events';
import type {
  AdminSessionRecord,
  AdminTokenRecord,
  AuditEntry,
  AuditRecord,
  ConfigurationChange,
  NewAdminToken,
  StoredConfiguration,
} from './config-records';
import type { EventsSince, NewSyncRun, OperationalSummary, SyncRun, SyncRunUpdate } from './sync-records';

/**
 * The store contract: everything crowdgate persists, behind one async interface so that the
 * embedded SQLite backend and the PostgreSQL backend are interchangeable. Every backend must pass
 * tests/conformance/store.conformance.ts unchanged. The guarantees:
 *
 * - **Identity.** A user or group is `(directoryId, externalId)`; `id` is a store row id that is
 *   stable for the life of the row and never reused for another external id.
 * - **Names.** Unique per directory case-insensitively (folded with `foldName`), stored case
 *   preserved and returned as stored.
 * - **Ordering.** Every list is ordered by folded name in code-point order (SQLite BINARY,
 *   PostgreSQL `COLLATE "C"`), so cursors are portable between backends.
 * - **Shadowing.** A query over several directories (in precedence order) returns, for each folded
 *   name, only the entity of the first directory that has it, whether or not it matches the
 *   filter, as Crowd does for an application with several directories.
 * - **Atomicity.** `apply` commits all of a change set or none of it; readers never see half.
 * - **Batching.** Methods that take arrays answer for all keys in one round trip; callers bound
 *   the batch size (`MAX_BATCH`).
 */
export interface Store {
  /** Creates missing directories and updates provider and precedence of the given ones, in order. */
  upsertDirectories(definitions: readonly DirectoryDefinition[]): Promise<Directory[]>;
  listDirectories(): Promise<Directory[]>;

  /** Users whose folded name is in `foldedNames`, from any of `directoryIds` (all matches; callers pick by precedence). */
  findUsersByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<User[]>;
  findUsersByExternalId(directoryId: number, externalIds: readonly string[]): Promise<User[]>;
  getUsers(ids: readonly number[]): Promise<User[]>;
  searchUsers(query: SearchQuery<UserFilter>): Promise<Page<User>>;
  countUsers(directoryIds: readonly number[], filter: UserFilter): Promise<number>;

  findGroupsByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<Group[]>;
  getGroups(ids: readonly number[]): Promise<Group[]>;
  searchGroups(query: SearchQuery<GroupFilter>): Promise<Page<Group>>;
  countGroups(directoryIds: readonly number[], filter: GroupFilter): Promise<number>;

  /** For each user, its groups (direct, or direct and inherited through nesting), ordered by name. */
  groupsOfUsers(userIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>>;
  /** For each group, its user members (direct, or including members of nested child groups), ordered by name. */
  usersOfGroups(groupIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>>;
  /** For each group, its child groups (direct, or all descendants), ordered by name. */
  childGroupsOfGroups(groupIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>>;
  /** For each group, its parent groups (direct, or all ancestors), ordered by name. */
  parentGroupsOfGroups(groupIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>>;

  /** Everything the sync planner diffs against: one directory's users, groups and direct memberships. */
  loadDirectoryContents(directoryId: number): Promise<DirectoryContents>;
  /**
   * Applies a change set to one directory atomically, together with the Crowd events that
   * describe it and the directory's new sync cursor (`undefined` keeps it, `null` clears it).
   * See {@link ChangeSet} for the order.
   */
  apply(directoryId: number, changes: ChangeSet, extras?: ApplyExtras): Promise<ApplyResult>;

  /** What the directory holds now: users (and active ones), groups, direct user and group memberships. */
  directoryCounts(directoryId: number): Promise<DirectoryCounts>;

  /** Increases with every apply to the directory, by any process sharing the store. */
  dataVersion(directoryId: number): Promise<number>;

  /** The directory's change-feed position, saved by the last successful apply that set one. */
  getCursor(directoryId: number): Promise<string | null>;

  /**
   * The event log. Tokens are opaque, URL-safe, monotonic and scoped to this store instance: a
   * token from a wiped store, one older than the retained window or one from before a reset is
   * answered `expired`.
   */
  currentEventToken(): Promise<string>;
  eventsSince(token: string, directoryIds: readonly number[]): Promise<EventsSince>;

  createRun(run: NewSyncRun): Promise<SyncRun>;
  updateRun(id: number, update: SyncRunUpdate): Promise<SyncRun>;
  /** Newest first. */
  listRuns(query: { directoryId?: number; limit: number }): Promise<SyncRun[]>;
  /** What operators watch (metrics, `/readyz`, alerts), in one cheap read: see {@link OperationalSummary}. */
  operationalSummary(): Promise<OperationalSummary>;

  /** The runtime configuration (src/store/config-records.ts). */
  loadConfiguration(): Promise<StoredConfiguration>;
  /** Cheap: read by every process several times a second to notice changes made by another. */
  configurationGeneration(): Promise<number>;
  /**
   * Applies one change atomically after checking every expected version (CONFLICT, or
   * DIRECTORY_NOT_FOUND / INVALID_ARGUMENT for an entry that is gone); answers the new configuration.
   */
  changeConfiguration(change: ConfigurationChange): Promise<StoredConfiguration>;
  /** The secrets' data key wrapped by the master key; null until the first secret is stored. */
  wrappedDataKey(): Promise<string | null>;
  /** Compare-and-set of the wrapped data key: false, nothing written, when it is not `expected` any more. */
  replaceWrappedDataKey(expected: string | null, wrapped: string): Promise<boolean>;

  listAdminTokens(): Promise<AdminTokenRecord[]>;
  /** CONFLICT when the name is taken (case-insensitively); a real token removes the setup token. */
  createAdminToken(token: NewAdminToken): Promise<AdminTokenRecord>;
  revokeAdminToken(name: string): Promise<boolean>;
  /** Notes a use (kept to the minute); not a configuration change. */
  recordAdminTokenUse(name: string, at: Date): Promise<void>;

  /** Console sessions; creating one also drops the expired ones. */
  createAdminSession(session: AdminSessionRecord): Promise<void>;
  findAdminSession(digest: string): Promise<AdminSessionRecord | null>;
  deleteAdminSession(digest: string): Promise<boolean>;

  appendAudit(entry: AuditEntry): Promise<AuditRecord>;
  /** Newest first; `beforeId` continues a page. */
  listAudit(query: { limit: number; beforeId?: number }): Promise<AuditRecord[]>;

  close(): Promise<void>;
}

/** Callers split larger key sets; both backends accept this many keys in one call. */
export const MAX_BATCH = 1000;

export interface DirectoryDefinition {
  readonly name: string;
  readonly provider: string;
}

export interface SearchQuery<F> {
  /** Directories in precedence order; see "Shadowing". */
  readonly directoryIds: readonly number[];
  readonly filter: F;
  /** Exclusive lower bound on the folded name (from a cursor). */
  readonly afterName?: string;
  /** Rows to skip after `afterName` is applied (Crowd's start-index). */
  readonly offset?: number;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly hasMore: boolean;
}

/**
 * A member reference: row id and stored name, so name-only lists (Crowd's `/group/membership`,
 * membership checks) need no second read. Lists of references are ordered by `foldName(name)`
 * in code-point order, the order cursors are built from. Kept to two fields on purpose: a group of
 * 100k members is 100k references in memory at once.
 */
export interface NamedRef {
  readonly id: number;
  readonly name: string;
}

export interface DirectoryCounts {
  readonly users: number;
  readonly activeUsers: number;
  readonly groups: number;
  readonly memberships: number;
}

export interface DirectoryContents {
  readonly users: User[];
  readonly groups: Group[];
  /** Direct user memberships as `[userExternalId, groupExternalId]`. */
  readonly userMemberships: Array<readonly [string, string]>;
  /** Direct group memberships as `[childExternalId, parentExternalId]`. */
  readonly groupMemberships: Array<readonly [string, string]>;
}

/**
 * A change set for one directory, applied in this order inside one transaction: removals of
 * memberships, users and groups; group and user upserts (matched by external id; renames are
 * updates and may swap names within the set); membership additions. Memberships name their
 * ends by external id and may refer to entities upserted in the same set.
 */
export interface ChangeSet {
  readonly upsertUsers?: readonly UserRecord[];
  readonly removeUsers?: readonly string[];
  readonly upsertGroups?: readonly GroupRecord[];
  readonly removeGroups?: readonly string[];
  /** `[userExternalId, groupExternalId]` pairs. */
  readonly addUserMemberships?: PairList;
  readonly removeUserMemberships?: PairList;
  /** `[childExternalId, parentExternalId]` pairs. */
  readonly addGroupMemberships?: PairList;
  readonly removeGroupMemberships?: PairList;
}

/**
 * Membership pairs as a backend reads them: counted, then iterated once, in order. An array of
 * tuples is one; the sync planner passes a compact list (a first sync adds a million pairs, and
 * a million two-element arrays cost ~70 MB of heap).
 */
export interface PairList extends Iterable<readonly [string, string]> {
  readonly length: number;
}

export interface ApplyExtras {
  readonly events?: EventBatch;
  readonly cursor?: string | null;
}

export interface ApplyResult {
  readonly usersCreated: number;
  readonly usersUpdated: number;
  readonly usersRemoved: number;
  readonly groupsCreated: number;
  readonly groupsUpdated: number;
  readonly groupsRemoved: number;
  readonly membershipsAdded: number;
  readonly membershipsRemoved: number;
}
