import Database from 'better-sqlite3';
import type { Directory } from '../../domain/directory';
import type {
  GroupBooleanField,
  GroupFilter,
  GroupStringField,
  UserBooleanField,
  UserFilter,
  UserStringField,
} from '../../domain/filter';
import type { Group } from '../../domain/group';
import { foldName } from '../../domain/names';
import type { User } from '../../domain/user';
import type { EventsSince, NewSyncRun, OperationalSummary, SyncRun, SyncRunUpdate } from '../sync-records';
import type {
  ApplyExtras,
  ApplyResult,
  ChangeSet,
  DirectoryDefinition,
  DirectoryContents,
  DirectoryCounts,
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
import { applyChangeSet } from './apply';
import {
  appendAudit,
  changeConfiguration,
  configurationGeneration,
  createAdminSession,
  createAdminToken,
  deleteAdminSession,
  findAdminSession,
  listAdminTokens,
  listAudit,
  loadConfiguration,
  recordAdminTokenUse,
  replaceWrappedDataKey,
  revokeAdminToken,
  upsertDirectoryRows,
  wrappedDataKey,
} from './config-tables';
import {
  appendEvents,
  createRun,
  currentEventToken,
  eventsSince,
  getCursor,
  listRuns,
  operationalSummary,
  setCursor,
  updateRun,
} from './sync-tables';
import { compileFilter, type FilterColumns } from './filter-sql';
import { MEMBERSHIP_SQL, type MembershipQuery } from './membership-sql';
import { MIGRATIONS } from './migrations';
import { GROUP_COLUMNS, toGroup, toUser, USER_COLUMNS, type RawRow } from './rows';
import { valueList } from './value-list';

const USER_FILTER_COLUMNS: FilterColumns<UserStringField, UserBooleanField> = {
  alias: 'u',
  strings: {
    name: 'u.name_lower',
    email: 'u.email_lower',
    firstName: 'fold(u.first_name)',
    lastName: 'fold(u.last_name)',
    displayName: 'fold(u.display_name)',
    externalId: 'fold(u.external_id)',
  },
  booleans: { active: 'active' },
};

const GROUP_FILTER_COLUMNS: FilterColumns<GroupStringField, GroupBooleanField> = {
  alias: 'g',
  strings: { name: 'g.name_lower', description: 'fold(g.description)', externalId: 'fold(g.external_id)' },
  booleans: { active: 'active', local: 'local' },
};

/** SQLite page cache while serving (negative: KiB), and during bulk writes. */
const SERVING_CACHE_KIB = -16_384;
const BULK_CACHE_KIB = -32_768;
const BULK_ROWS = 50_000;

const USERS_BY_NAME = (directories: string, names: string) =>
  `SELECT ${USER_COLUMNS} FROM users u WHERE u.directory_id IN ${directories} AND u.name_lower IN ${names}`;
const GROUPS_BY_NAME = (directories: string, names: string) =>
  `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.directory_id IN ${directories} AND g.name_lower IN ${names}`;

/** Precedence of the queried directories: `rank` is the index in the caller's list. */
const PRECEDENCE = 'WITH prec(dir, rank) AS (SELECT value, key FROM json_each(?))';

/**
 * The embedded backend: one SQLite file (WAL mode) through better-sqlite3. better-sqlite3 is
 * synchronous; the async contract costs one microtask per call and keeps PostgreSQL possible.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly shapedSql = new Map<(a: string, b: string) => string, Map<string, Map<string, string>>>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`cache_size = ${SERVING_CACHE_KIB}`);
    this.db.function('fold', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? foldName(value) : value,
    );
    this.migrate();
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    MIGRATIONS.forEach((sql, index) => {
      const version = index + 1;
      if (applied.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
      })();
    });
  }

  async upsertDirectories(definitions: readonly DirectoryDefinition[]): Promise<Directory[]> {
    return upsertDirectoryRows(this.db, definitions, Date.now());
  }

  async listDirectories(): Promise<Directory[]> {
    return this.stmt('SELECT id, name, provider, position FROM directories ORDER BY position, id').all() as Directory[];
  }

  async findUsersByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<User[]> {
    const directories = valueList(directoryIds);
    const names = valueList(foldedNames);
    const rows = this.shapedStmt(USERS_BY_NAME, directories.sql, names.sql)
      .raw()
      .all(...directories.params, ...names.params) as RawRow[];
    return rows.map(toUser);
  }

  async findUsersByExternalId(directoryId: number, externalIds: readonly string[]): Promise<User[]> {
    const externals = valueList(externalIds);
    const rows = this.stmt(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.directory_id = ? AND u.external_id IN ${externals.sql}`,
    )
      .raw()
      .all(directoryId, ...externals.params) as RawRow[];
    return rows.map(toUser);
  }

  async getUsers(ids: readonly number[]): Promise<User[]> {
    const list = valueList(ids);
    const rows = this.stmt(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id IN ${list.sql}`)
      .raw()
      .all(...list.params) as RawRow[];
    return rows.map(toUser);
  }

  async searchUsers(query: SearchQuery<UserFilter>): Promise<Page<User>> {
    const rows = this.search<RawRow>(
      'users',
      'u',
      USER_COLUMNS,
      query,
      compileFilter(query.filter, USER_FILTER_COLUMNS),
    );
    return toPage(rows, query.limit, toUser);
  }

  async countUsers(directoryIds: readonly number[], filter: UserFilter): Promise<number> {
    return this.count('users', 'u', directoryIds, compileFilter(filter, USER_FILTER_COLUMNS));
  }

  async findGroupsByName(directoryIds: readonly number[], foldedNames: readonly string[]): Promise<Group[]> {
    const directories = valueList(directoryIds);
    const names = valueList(foldedNames);
    const rows = this.shapedStmt(GROUPS_BY_NAME, directories.sql, names.sql)
      .raw()
      .all(...directories.params, ...names.params) as RawRow[];
    return rows.map(toGroup);
  }

  async getGroups(ids: readonly number[]): Promise<Group[]> {
    const list = valueList(ids);
    const rows = this.stmt(`SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.id IN ${list.sql}`)
      .raw()
      .all(...list.params) as RawRow[];
    return rows.map(toGroup);
  }

  async searchGroups(query: SearchQuery<GroupFilter>): Promise<Page<Group>> {
    const rows = this.search<RawRow>(
      'groups',
      'g',
      GROUP_COLUMNS,
      query,
      compileFilter(query.filter, GROUP_FILTER_COLUMNS),
    );
    return toPage(rows, query.limit, toGroup);
  }

  async countGroups(directoryIds: readonly number[], filter: GroupFilter): Promise<number> {
    return this.count('groups', 'g', directoryIds, compileFilter(filter, GROUP_FILTER_COLUMNS));
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

  async loadDirectoryContents(directoryId: number): Promise<DirectoryContents> {
    return this.db.transaction(() => {
      const users = (
        this.stmt(`SELECT ${USER_COLUMNS} FROM users u WHERE u.directory_id = ?`).raw().all(directoryId) as RawRow[]
      ).map(toUser);
      const groups = (
        this.stmt(`SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.directory_id = ?`).raw().all(directoryId) as RawRow[]
      ).map(toGroup);
      // Memberships are read as row-id pairs in primary-key order (no per-row join) and named
      // here, so each external id string is shared, not copied a million times.
      const userIds = new Map(users.map((u) => [u.id, u.externalId]));
      const groupIds = new Map(groups.map((g) => [g.id, g.externalId]));
      const pairs = (sql: string, first: Map<number, string>, second: Map<number, string>) =>
        (this.stmt(sql).raw().all(directoryId) as Array<[number, number]>).map(
          ([a, b]) => [first.get(a)!, second.get(b)!] as const,
        );
      return {
        users,
        groups,
        userMemberships: pairs(
          'SELECT ug.user_id, ug.group_id FROM groups g JOIN user_groups ug ON ug.group_id = g.id WHERE g.directory_id = ?',
          userIds,
          groupIds,
        ),
        groupMemberships: pairs(
          'SELECT gg.child_id, gg.parent_id FROM groups p JOIN group_groups gg ON gg.parent_id = p.id WHERE p.directory_id = ?',
          groupIds,
          groupIds,
        ),
      };
    })();
  }

  async apply(directoryId: number, changes: ChangeSet, extras: ApplyExtras = {}): Promise<ApplyResult> {
    // Bulk writes touch two membership B-trees in different orders: give them a large page cache
    // for the transaction only, so a serving process stays small.
    const bulk = (changes.addUserMemberships?.length ?? 0) + (changes.upsertUsers?.length ?? 0) > BULK_ROWS;
    if (bulk) this.db.pragma(`cache_size = ${BULK_CACHE_KIB}`);
    try {
      return this.applyTransaction(directoryId, changes, extras);
    } finally {
      if (bulk) this.db.pragma(`cache_size = ${SERVING_CACHE_KIB}`);
    }
  }

  private applyTransaction(directoryId: number, changes: ChangeSet, extras: ApplyExtras): ApplyResult {
    return this.db.transaction(() => {
      const now = Date.now();
      const result = applyChangeSet(this.db, directoryId, changes, now);
      appendEvents(this.db, directoryId, extras.events ?? [], now);
      this.db.prepare('UPDATE directories SET data_version = data_version + 1 WHERE id = ?').run(directoryId);
      if (extras.cursor !== undefined) setCursor(this.db, directoryId, extras.cursor);
      return result;
    })();
  }

  async directoryCounts(directoryId: number): Promise<DirectoryCounts> {
    const [users, activeUsers, groups, memberships] = this.stmt(
      `SELECT (SELECT count(*) FROM users WHERE directory_id = @id),
              (SELECT count(*) FROM users WHERE directory_id = @id AND active = 1),
              (SELECT count(*) FROM groups WHERE directory_id = @id),
              (SELECT count(*) FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE g.directory_id = @id)
            + (SELECT count(*) FROM group_groups gg JOIN groups g ON g.id = gg.parent_id WHERE g.directory_id = @id)`,
    )
      .raw()
      .get({ id: directoryId }) as [number, number, number, number];
    return { users, activeUsers, groups, memberships };
  }

  async dataVersion(directoryId: number): Promise<number> {
    return this.stmt('SELECT data_version FROM directories WHERE id = ?').pluck().get(directoryId) as number;
  }

  async getCursor(directoryId: number): Promise<string | null> {
    return getCursor(this.db, directoryId);
  }

  async currentEventToken(): Promise<string> {
    return currentEventToken(this.db);
  }

  async eventsSince(token: string, directoryIds: readonly number[]): Promise<EventsSince> {
    return eventsSince(this.db, token, directoryIds);
  }

  async createRun(run: NewSyncRun): Promise<SyncRun> {
    return createRun(this.db, run, Date.now());
  }

  async updateRun(id: number, update: SyncRunUpdate): Promise<SyncRun> {
    return updateRun(this.db, id, update);
  }

  async listRuns(query: { directoryId?: number; limit: number }): Promise<SyncRun[]> {
    return listRuns(this.db, query.directoryId, query.limit);
  }

  async operationalSummary(): Promise<OperationalSummary> {
    return operationalSummary(this.db);
  }

  async loadConfiguration(): Promise<StoredConfiguration> {
    return loadConfiguration(this.db);
  }

  async configurationGeneration(): Promise<number> {
    return configurationGeneration(this.db);
  }

  async changeConfiguration(change: ConfigurationChange): Promise<StoredConfiguration> {
    return changeConfiguration(this.db, change, Date.now());
  }

  async wrappedDataKey(): Promise<string | null> {
    return wrappedDataKey(this.db);
  }

  async replaceWrappedDataKey(expected: string | null, wrapped: string): Promise<boolean> {
    return replaceWrappedDataKey(this.db, expected, wrapped);
  }

  async listAdminTokens(): Promise<AdminTokenRecord[]> {
    return listAdminTokens(this.db);
  }

  async createAdminToken(token: NewAdminToken): Promise<AdminTokenRecord> {
    return createAdminToken(this.db, token);
  }

  async revokeAdminToken(name: string): Promise<boolean> {
    return revokeAdminToken(this.db, name);
  }

  async recordAdminTokenUse(name: string, at: Date): Promise<void> {
    recordAdminTokenUse(this.db, name, at.getTime());
  }

  async createAdminSession(session: AdminSessionRecord): Promise<void> {
    createAdminSession(this.db, session, Date.now());
  }

  async findAdminSession(digest: string): Promise<AdminSessionRecord | null> {
    return findAdminSession(this.db, digest);
  }

  async deleteAdminSession(digest: string): Promise<boolean> {
    return deleteAdminSession(this.db, digest);
  }

  async appendAudit(entry: AuditEntry): Promise<AuditRecord> {
    return appendAudit(this.db, entry);
  }

  async listAudit(query: { limit: number; beforeId?: number }): Promise<AuditRecord[]> {
    return listAudit(this.db, query);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * The statement `build(a, b)`, found by its parts without building its SQL text: a lookup by
   * name (every Crowd request) was 5–14% cheaper than building and hashing ~200 characters of SQL
   * per call (in-process A/B of findUsersByName, 3 runs). The parts are value-list.ts's placeholder
   * strings, the same string objects on every call, so their hashes are computed once.
   */
  private shapedStmt(build: (a: string, b: string) => string, a: string, b: string): Database.Statement {
    let byA = this.shapedSql.get(build);
    if (byA === undefined) this.shapedSql.set(build, (byA = new Map()));
    let byB = byA.get(a);
    if (byB === undefined) byA.set(a, (byB = new Map()));
    let sql = byB.get(b);
    if (sql === undefined) byB.set(b, (sql = build(a, b)));
    return this.stmt(sql);
  }

  /** Prepared statements by SQL text; filters produce a bounded variety of texts, the cap is a safety net. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= 500) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** One page of users or groups in name order, rows in raw mode (rows.ts). */
  private search<Row>(
    table: 'users' | 'groups',
    alias: string,
    columns: string,
    query: SearchQuery<unknown>,
    filter: { sql: string; params: unknown[] },
  ): Row[] {
    const where = [filter.sql, shadowingSql(table, alias)];
    const params: unknown[] = [JSON.stringify(query.directoryIds), ...filter.params];
    if (query.afterName !== undefined) {
      where.push(`${alias}.name_lower > ?`);
      params.push(query.afterName);
    }
    params.push(query.limit + 1, query.offset ?? 0);
    return this.stmt(
      `${PRECEDENCE} SELECT ${columns} FROM ${table} ${alias} JOIN prec p ON p.dir = ${alias}.directory_id
         WHERE ${where.join(' AND ')} ORDER BY ${alias}.name_lower LIMIT ? OFFSET ?`,
    )
      .raw()
      .all(...params) as Row[];
  }

  private count(
    table: 'users' | 'groups',
    alias: string,
    directoryIds: readonly number[],
    filter: { sql: string; params: unknown[] },
  ): number {
    return this.stmt(
      `${PRECEDENCE} SELECT count(*) FROM ${table} ${alias} JOIN prec p ON p.dir = ${alias}.directory_id
         WHERE ${filter.sql} AND ${shadowingSql(table, alias)}`,
    )
      .pluck()
      .get(JSON.stringify(directoryIds), ...filter.params) as number;
  }

  private memberships(query: MembershipQuery, ownerIds: readonly number[], nested: boolean): Map<number, NamedRef[]> {
    const result = new Map<number, NamedRef[]>(ownerIds.map((id) => [id, []]));
    const sql = MEMBERSHIP_SQL[query][nested ? 'nested' : 'direct'];
    const rows = this.stmt(sql).raw().all(JSON.stringify(ownerIds)) as Array<[number, number, string]>;
    for (const [owner, id, name] of rows) result.get(owner)?.push({ id, name });
    return result;
  }
}

/** True for rows not shadowed by a same-named row of a directory earlier in the precedence list. */
function shadowingSql(table: string, alias: string): string {
  return `NOT EXISTS (SELECT 1 FROM ${table} s JOIN prec sp ON sp.dir = s.directory_id
                      WHERE s.name_lower = ${alias}.name_lower AND sp.rank < p.rank)`;
}

function toPage<Row, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const hasMore = rows.length > limit;
  return { items: (hasMore ? rows.slice(0, limit) : rows).map(map), hasMore };
}
