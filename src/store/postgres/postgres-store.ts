import type { Pool } from 'pg';
import type { Directory } from '../../domain/directory';
import type {
  Filter,
  GroupBooleanField,
  GroupFilter,
  GroupStringField,
  UserBooleanField,
  UserFilter,
  UserStringField,
} from '../../domain/filter';
import type { Group } from '../../domain/group';
import type { User } from '../../domain/user';
import type { EventsSince, NewSyncRun, OperationalSummary, SyncRun, SyncRunUpdate } from '../sync-records';
import type {
  ApplyExtras,
  ApplyResult,
  ChangeSet,
  DirectoryContents,
  DirectoryCounts,
  DirectoryDefinition,
  NamedRef,
  Page,
  SearchQuery,
  Store,
} from '../store';
import type {
  AdminSessionRecord,
  AdminTokenRecord,
  AuditEntry,
  AuditRecord,
  ConfigurationChange,
  NewAdminToken,
  StoredConfiguration,
} from '../config-records';
import { applyChangeSet, refuseNulInChangeSet } from './apply';
import * as config from './config-tables';
import { inTransaction, openPool, type PostgresStoreOptions } from './connection';
import { COORDINATION_MIGRATIONS } from './coordination-schema';
import { compileFilter, type FilterColumns, type SqlFragment } from './filter-sql';
import { MEMBERSHIP_SQL, type MembershipQuery } from './membership-sql';
import { migrate } from './migrate';
import { STORE_MIGRATIONS } from './migrations';
import { beforeNul, hasNul, refuseNul } from './nul-text';
import { GROUP_COLUMNS, toGroup, toUser, USER_COLUMNS, type ArrayRow } from './rows';
import { execute, firstValue, intArray, rowIds, rowsOf } from './sql';
import * as sync from './sync-tables';
import { LookupBatcher } from './lookup-batcher';
import { LookupCache, lookupKey } from './lookup-cache';
import { Notifications } from './notifications';
import { foldName } from '../../domain/names';
import { silentLogger } from '../../logging/logger';

export type { PostgresStoreOptions } from './connection';

/** The channel `apply` announces changed directories on, with the directory id as payload. */
export const DATA_CHANNEL = 'crowdgate_data';
import { CONFIG_CHANNEL } from './config-tables';
export { CONFIG_CHANNEL };

const USER_FILTER_COLUMNS: FilterColumns<UserStringField, UserBooleanField> = {
  alias: 'u',
  strings: {
    name: 'u.name_lower',
    email: 'u.email_lower',
    firstName: 'u.first_name_fold',
    lastName: 'u.last_name_fold',
    displayName: 'u.display_name_fold',
    externalId: 'u.external_id_fold',
  },
  booleans: { active: 'active' },
  attributes: 'attributes_fold',
};

const GROUP_FILTER_COLUMNS: FilterColumns<GroupStringField, GroupBooleanField> = {
  alias: 'g',
  strings: { name: 'g.name_lower', description: 'g.description_fold', externalId: 'g.external_id_fold' },
  booleans: { active: 'active', local: 'local' },
  attributes: 'attributes_fold',
};

/** Precedence of the queried directories ($1): `rank` is the 1-based position in the caller's list. */
const PRECEDENCE = 'WITH prec(dir, rank) AS (SELECT * FROM unnest($1::integer[]) WITH ORDINALITY)';

/** One-name lookups kept per kind (users, groups): a few hundred bytes each. */
const LOOKUP_CACHE_ENTRIES = 50_000;

/** Rows an apply writes from which the planner statistics are refreshed after commit (a first sync). */
const ANALYZE_ROWS = 50_000;

/**
 * The PostgreSQL backend: the SQLite backend's behaviour (tests/conformance) on a shared server, so
 * several crowdgate nodes can serve one store. See migrations.ts for the schema and locks.ts for
 * how concurrent writers are kept apart. The hot lookups (a Crowd request's user, its groups) are
 * named statements of fixed shape: each pooled connection parses and plans them once.
 */
export class PostgresStore implements Store {
  private closed = false;
  /** Statistics refreshed in the background after a bulk apply; `close` waits for it. */
  private maintenance: Promise<void> = Promise.resolve();
  /** One-name lookups of concurrent requests, one query per turn (lookup-batcher.ts). */
  private readonly userBatch = new LookupBatcher<User>(
    (directoryIds, names) => this.usersByName(directoryIds, names),
    (user) => foldName(user.name),
  );
  private readonly groupBatch = new LookupBatcher<Group>(
    (directoryIds, names) => this.groupsByName(directoryIds, names),
    (group) => foldName(group.name),
  );
  private readonly userCache: LookupCache<User>;
  private readonly groupCache: LookupCache<Group>;

  private constructor(
    /** Shared (read-only) with the multi-node coordination code; the store ends it in `close`. */
    readonly pool: Pool,
    /**
     * Changes announced by every process on this database (`watch`); the multi-node coordination
     * listens here too, so a node needs one listening connection. Undefined when not watching.
     */
    readonly notifications: Notifications | undefined,
  ) {
    const listening = () => notifications?.listening ?? false;
    this.userCache = new LookupCache(LOOKUP_CACHE_ENTRIES, listening);
    this.groupCache = new LookupCache(LOOKUP_CACHE_ENTRIES, listening);
    if (notifications) {
      const forget = () => this.forgetLookups();
      notifications.on(DATA_CHANNEL, forget);
      notifications.on(CONFIG_CHANNEL, forget);
      notifications.onResync(forget);
    }
  }

  /**
   * Connects, applies the pending migrations (the store's, then COORDINATION_MIGRATIONS) and
   * answers the store; a CONFIGURATION error saying what is wrong otherwise, with no pool left open.
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = await openPool(options, async (client) => {
      await migrate(client, [...STORE_MIGRATIONS, ...COORDINATION_MIGRATIONS]);
    });
    const notifications =
      options.watch === false ? undefined : new Notifications(options.url, options.logger ?? silentLogger);
    await notifications?.start();
    return new PostgresStore(pool, notifications);
  }

  /** Every cached lookup may be out of date: a change was made or announced. */
  private forgetLookups(): void {
    this.userCache.clear();
    this.groupCache.clear();
  }

  async upsertDirectories(definitions: readonly DirectoryDefinition[]): Promise<Directory[]> {
    return inTransaction(this.pool, (client) => config.upsertDirectoryRows(client, definitions, Date.now()));
  }

  async listDirectories(): Promise<Directory[]> {
    const rows = await rowsOf<[number, string, string, number]>(this.pool, {
      name: 'cg_directories',
      text: 'SELECT id, name, provider, position FROM directories ORDER BY position, id',
    });
    return rows.map(([id, name, provider, position]) => ({ id, name, provider, position }));
  }

  async findUsersByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<User[]> {
    if (foldedNames.length !== 1) return this.usersByName(directoryIds, foldedNames);
    const name = foldedNames[0]!;
    return this.userCache.get(lookupKey(directoryIds, name), () => this.userBatch.find(directoryIds, name));
  }

  private async usersByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<User[]> {
    return (await this.byKeys('cg_users_by_name', USERS_BY_NAME, directoryIds, foldedNames)).map(toUser);
  }

  async findUsersByExternalId(directoryId: number, externalIds: readonly string[]): Promise<User[]> {
    return (await this.byKeys('cg_users_by_external_id', USERS_BY_EXTERNAL_ID, [directoryId], externalIds)).map(toUser);
  }

  async getUsers(ids: readonly number[]): Promise<User[]> {
    return (
      await this.byIds('cg_users_by_id', `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ANY($1::integer[])`, ids)
    ).map(toUser);
  }

  async searchUsers(query: SearchQuery<UserFilter>): Promise<Page<User>> {
    return toPage(await this.search('users', 'u', USER_COLUMNS, query, USER_FILTER_COLUMNS), query.limit, toUser);
  }

  async countUsers(directoryIds: readonly number[], filter: UserFilter): Promise<number> {
    return this.count('users', 'u', directoryIds, filter, USER_FILTER_COLUMNS);
  }

  async findGroupsByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<Group[]> {
    if (foldedNames.length !== 1) return this.groupsByName(directoryIds, foldedNames);
    const name = foldedNames[0]!;
    return this.groupCache.get(lookupKey(directoryIds, name), () => this.groupBatch.find(directoryIds, name));
  }

  private async groupsByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<Group[]> {
    return (await this.byKeys('cg_groups_by_name', GROUPS_BY_NAME, directoryIds, foldedNames)).map(toGroup);
  }

  async getGroups(ids: readonly number[]): Promise<Group[]> {
    return (
      await this.byIds('cg_groups_by_id', `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.id = ANY($1::integer[])`, ids)
    ).map(toGroup);
  }

  async searchGroups(query: SearchQuery<GroupFilter>): Promise<Page<Group>> {
    return toPage(await this.search('groups', 'g', GROUP_COLUMNS, query, GROUP_FILTER_COLUMNS), query.limit, toGroup);
  }

  async countGroups(directoryIds: readonly number[], filter: GroupFilter): Promise<number> {
    return this.count('groups', 'g', directoryIds, filter, GROUP_FILTER_COLUMNS);
  }

  async groupsOfUsers(userIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>> {
    return this.memberships('groupsOfUsers', userIds, nested);
  }

  async usersOfGroups(groupIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>> {
    return this.memberships('usersOfGroups', groupIds, nested);
  }

  async childGroupsOfGroups(groupIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>> {
    return this.memberships('childGroupsOfGroups', groupIds, nested);
  }

  async parentGroupsOfGroups(groupIds: readonly number[], nested: boolean): Promise<Map<number, NamedRef[]>> {
    return this.memberships('parentGroupsOfGroups', groupIds, nested);
  }

  /** One REPEATABLE READ snapshot; memberships read as row-id pairs and named here, as the SQLite backend does. */
  async loadDirectoryContents(directoryId: number): Promise<DirectoryContents> {
    if (rowIds([directoryId]).length === 0) return { users: [], groups: [], userMemberships: [], groupMemberships: [] };
    return inTransaction(
      this.pool,
      async (client) => {
        const values = [directoryId];
        const users = (
          await rowsOf<ArrayRow>(client, {
            text: `SELECT ${USER_COLUMNS} FROM users u WHERE u.directory_id = $1`,
            values,
          })
        ).map(toUser);
        const groups = (
          await rowsOf<ArrayRow>(client, {
            text: `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.directory_id = $1`,
            values,
          })
        ).map(toGroup);
        const userIds = new Map(users.map((u) => [u.id, u.externalId]));
        const groupIds = new Map(groups.map((g) => [g.id, g.externalId]));
        const pairs = async (text: string, first: Map<number, string>, second: Map<number, string>) =>
          (await rowsOf<[number, number]>(client, { text, values })).map(
            ([a, b]) => [first.get(a)!, second.get(b)!] as const,
          );
        return {
          users,
          groups,
          userMemberships: await pairs(
            'SELECT ug.user_id, ug.group_id FROM groups g JOIN user_groups ug ON ug.group_id = g.id WHERE g.directory_id = $1',
            userIds,
            groupIds,
          ),
          groupMemberships: await pairs(
            'SELECT gg.child_id, gg.parent_id FROM groups p JOIN group_groups gg ON gg.parent_id = p.id WHERE p.directory_id = $1',
            groupIds,
            groupIds,
          ),
        };
      },
      'snapshot',
    );
  }

  /**
   * One transaction: the change set (apply.ts), the directory's data version, its cursor, the
   * events (taking the event-log lock last, locks.ts) and `pg_notify('crowdgate_data', <id>)`,
   * delivered at commit. A large apply (a first sync) has the planner statistics refreshed after commit.
   */
  async apply(directoryId: number, changes: ChangeSet, extras: ApplyExtras = {}): Promise<ApplyResult> {
    refuseNulInChangeSet(changes);
    refuseNul('The sync cursor', 'it', extras.cursor);
    const result = await inTransaction(this.pool, async (client) => {
      const now = Date.now();
      const applied = await applyChangeSet(client, directoryId, changes, now);
      await execute(client, {
        text: 'UPDATE directories SET data_version = data_version + 1 WHERE id = $1',
        values: [directoryId],
      });
      if (extras.cursor !== undefined) await sync.setCursor(client, directoryId, extras.cursor);
      await sync.appendEvents(client, directoryId, extras.events ?? [], now);
      await client.query('SELECT pg_notify($1, $2)', [DATA_CHANNEL, String(directoryId)]);
      return applied;
    }).finally(() => this.forgetLookups()); // at once for this process; the others hear the NOTIFY
    const written =
      result.usersCreated + result.usersUpdated + result.groupsCreated + result.groupsUpdated + result.membershipsAdded;
    if (written >= ANALYZE_ROWS) this.analyze();
    return result;
  }

  async directoryCounts(directoryId: number): Promise<DirectoryCounts> {
    if (rowIds([directoryId]).length === 0) return { users: 0, activeUsers: 0, groups: 0, memberships: 0 };
    const [row] = await rowsOf<[number, number, number, number]>(this.pool, {
      name: 'cg_directory_counts',
      text: `SELECT (SELECT count(*) FROM users WHERE directory_id = $1),
                    (SELECT count(*) FROM users WHERE directory_id = $1 AND active),
                    (SELECT count(*) FROM groups WHERE directory_id = $1),
                    (SELECT count(*) FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE g.directory_id = $1)
                  + (SELECT count(*) FROM group_groups gg JOIN groups g ON g.id = gg.parent_id WHERE g.directory_id = $1)`,
      values: [directoryId],
    });
    const [users, activeUsers, groups, memberships] = row!;
    return { users, activeUsers, groups, memberships };
  }

  /** As the SQLite backend: `undefined` (typed away) for an unknown directory. */
  async dataVersion(directoryId: number): Promise<number> {
    if (rowIds([directoryId]).length === 0) return undefined!;
    return (await firstValue<number>(this.pool, {
      name: 'cg_data_version',
      text: 'SELECT data_version FROM directories WHERE id = $1',
      values: [directoryId],
    }))!;
  }

  async getCursor(directoryId: number): Promise<string | null> {
    if (rowIds([directoryId]).length === 0) return null;
    return sync.getCursor(this.pool, directoryId);
  }

  async currentEventToken(): Promise<string> {
    return sync.currentEventToken(this.pool);
  }

  async eventsSince(token: string, directoryIds: readonly number[]): Promise<EventsSince> {
    return sync.eventsSince(this.pool, token, rowIds(directoryIds));
  }

  async createRun(run: NewSyncRun): Promise<SyncRun> {
    return sync.createRun(this.pool, run, Date.now());
  }

  async updateRun(id: number, update: SyncRunUpdate): Promise<SyncRun> {
    if (rowIds([id]).length === 0) return undefined!;
    return sync.updateRun(this.pool, id, update);
  }

  async listRuns(query: { directoryId?: number; limit: number }): Promise<SyncRun[]> {
    if (query.directoryId !== undefined && rowIds([query.directoryId]).length === 0) return [];
    return sync.listRuns(this.pool, query.directoryId, query.limit);
  }

  async operationalSummary(): Promise<OperationalSummary> {
    return sync.operationalSummary(this.pool);
  }

  async loadConfiguration(): Promise<StoredConfiguration> {
    return inTransaction(this.pool, (client) => config.loadConfiguration(client), 'snapshot');
  }

  async configurationGeneration(): Promise<number> {
    return config.configurationGeneration(this.pool);
  }

  async changeConfiguration(change: ConfigurationChange): Promise<StoredConfiguration> {
    try {
      return await inTransaction(this.pool, (client) => config.changeConfiguration(client, change, Date.now()));
    } finally {
      this.forgetLookups(); // directories may be gone
    }
  }

  async wrappedDataKey(): Promise<string | null> {
    return config.wrappedDataKey(this.pool);
  }

  async replaceWrappedDataKey(expected: string | null, wrapped: string): Promise<boolean> {
    return config.replaceWrappedDataKey(this.pool, expected, wrapped);
  }

  async listAdminTokens(): Promise<AdminTokenRecord[]> {
    return config.listAdminTokens(this.pool);
  }

  async createAdminToken(token: NewAdminToken): Promise<AdminTokenRecord> {
    return inTransaction(this.pool, (client) => config.createAdminToken(client, token));
  }

  async revokeAdminToken(name: string): Promise<boolean> {
    return inTransaction(this.pool, (client) => config.revokeAdminToken(client, name));
  }

  async recordAdminTokenUse(name: string, at: Date): Promise<void> {
    await config.recordAdminTokenUse(this.pool, name, at.getTime());
  }

  async createAdminSession(session: AdminSessionRecord): Promise<void> {
    await inTransaction(this.pool, (client) => config.createAdminSession(client, session, Date.now()));
  }

  async findAdminSession(digest: string): Promise<AdminSessionRecord | null> {
    return config.findAdminSession(this.pool, digest);
  }

  async deleteAdminSession(digest: string): Promise<boolean> {
    return config.deleteAdminSession(this.pool, digest);
  }

  async appendAudit(entry: AuditEntry): Promise<AuditRecord> {
    return config.appendAudit(this.pool, entry);
  }

  async listAudit(query: { limit: number; beforeId?: number }): Promise<AuditRecord[]> {
    return config.listAudit(this.pool, query);
  }

  /** Ends the pool (idempotent); queries still running finish first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.maintenance;
    await this.notifications?.stop();
    await this.pool.end();
  }

  /** Rows of a named lookup by directories ($1) and text keys ($2); keys with U+0000 match nothing. */
  private async byKeys(
    name: string,
    text: string,
    directoryIds: readonly number[],
    keys: readonly string[],
  ): Promise<ArrayRow[]> {
    const directories = rowIds(directoryIds);
    const wanted = keys.filter((key) => !hasNul(key));
    if (directories.length === 0 || wanted.length === 0) return [];
    return rowsOf<ArrayRow>(this.pool, { name, text, values: [intArray(directories), wanted] });
  }

  private async byIds(name: string, text: string, ids: readonly number[]): Promise<ArrayRow[]> {
    const wanted = rowIds(ids);
    if (wanted.length === 0) return [];
    return rowsOf<ArrayRow>(this.pool, { name, text, values: [intArray(wanted)] });
  }

  /**
   * One page of users or groups in name order. Over one directory there is nothing to shadow:
   * a plain `directory_id = $1`. Over several, the SQLite backend's precedence join and shadowing test.
   */
  private async search<S extends string, B extends string>(
    table: 'users' | 'groups',
    alias: string,
    columns: string,
    query: SearchQuery<Filter<S, B>>,
    filterColumns: FilterColumns<S, B>,
  ): Promise<ArrayRow[]> {
    const scope = this.scope(table, alias, query.directoryIds);
    if (scope === undefined) return [];
    const filter = compileFilter(query.filter, filterColumns, 2);
    const values: unknown[] = [scope.directories, ...filter.params];
    const where = [filter.sql, scope.where];
    if (query.afterName !== undefined) {
      // Stored names never hold U+0000: `> 'ab\0c'` is `> 'ab'` for them.
      values.push(beforeNul(query.afterName));
      where.push(`${alias}.name_lower > $${values.length}::text`);
    }
    values.push(query.limit + 1, query.offset ?? 0);
    return rowsOf<ArrayRow>(this.pool, {
      text: `${scope.with} SELECT ${columns} FROM ${scope.from} WHERE ${where.join(' AND ')}
             ORDER BY ${alias}.name_lower LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    });
  }

  private async count<S extends string, B extends string>(
    table: 'users' | 'groups',
    alias: string,
    directoryIds: readonly number[],
    filter: Filter<S, B>,
    filterColumns: FilterColumns<S, B>,
  ): Promise<number> {
    const scope = this.scope(table, alias, directoryIds);
    if (scope === undefined) return 0;
    const compiled: SqlFragment = compileFilter(filter, filterColumns, 2);
    return (await firstValue<number>(this.pool, {
      text: `${scope.with} SELECT count(*) FROM ${scope.from} WHERE ${compiled.sql} AND ${scope.where}`,
      values: [scope.directories, ...compiled.params],
    }))!;
  }

  /** FROM, WHERE and WITH of a query over `directoryIds` in precedence order ($1); undefined: nothing to query. */
  private scope(
    table: 'users' | 'groups',
    alias: string,
    directoryIds: readonly number[],
  ): { directories: number | string; from: string; where: string; with: string } | undefined {
    const directories = rowIds(directoryIds);
    if (directories.length === 0) return undefined;
    if (directories.length === 1)
      return {
        directories: directories[0]!,
        from: `${table} ${alias}`,
        where: `${alias}.directory_id = $1::integer`,
        with: '',
      };
    return {
      directories: intArray(directories),
      from: `${table} ${alias} JOIN prec p ON p.dir = ${alias}.directory_id`,
      where: `NOT EXISTS (SELECT 1 FROM ${table} s JOIN prec sp ON sp.dir = s.directory_id
                          WHERE s.name_lower = ${alias}.name_lower AND sp.rank < p.rank)`,
      with: PRECEDENCE,
    };
  }

  private async memberships(
    query: MembershipQuery,
    ownerIds: readonly number[],
    nested: boolean,
  ): Promise<Map<number, NamedRef[]>> {
    const result = new Map<number, NamedRef[]>(ownerIds.map((id) => [id, []]));
    const owners = rowIds(ownerIds);
    if (owners.length === 0) return result;
    const shape = nested ? 'nested' : 'direct';
    const rows = await rowsOf<[number, number, string]>(this.pool, {
      name: `cg_${query}_${shape}`,
      text: MEMBERSHIP_SQL[query][shape],
      values: [intArray(owners)],
    });
    for (const [owner, id, name] of rows) result.get(owner)?.push({ id, name });
    return result;
  }

  /**
   * Fresh planner statistics after a bulk load (~0.3 s for 100k users and 1M memberships), in the
   * background: autovacuum would get there too, but only after a while, and until then PostgreSQL
   * plans as if the tables were as small as before. Best effort (it needs table ownership).
   */
  private analyze(): void {
    this.maintenance = this.maintenance
      .then(() =>
        this.pool.query(
          'ANALYZE users (id, directory_id, external_id, name_lower, email_lower, active), groups, user_groups, group_groups',
        ),
      )
      .then(
        () => undefined,
        () => undefined,
      );
  }
}

const USERS_BY_NAME = `SELECT ${USER_COLUMNS} FROM users u WHERE u.directory_id = ANY($1::integer[]) AND u.name_lower = ANY($2::text[])`;
const USERS_BY_EXTERNAL_ID = `SELECT ${USER_COLUMNS} FROM users u WHERE u.directory_id = ANY($1::integer[]) AND u.external_id = ANY($2::text[])`;
const GROUPS_BY_NAME = `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.directory_id = ANY($1::integer[]) AND g.name_lower = ANY($2::text[])`;

function toPage<Row, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const hasMore = rows.length > limit;
  return { items: (hasMore ? rows.slice(0, limit) : rows).map(map), hasMore };
}
