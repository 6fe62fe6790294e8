import type { Database } from 'better-sqlite3';
import { DirectoryError } from '../../domain/errors';
import { foldName } from '../../domain/names';
import type { Directory } from '../../domain/directory';
import type { DirectoryDefinition } from '../store';
import { appendEvents } from './sync-tables';
import type {
  AdminSessionRecord,
  AdminTokenRecord,
  AuditEntry,
  AuditRecord,
  ConfigKind,
  ConfigurationChange,
  NewAdminToken,
  StoredConfigEntry,
  StoredConfiguration,
  TokenScope,
} from '../config-records';

/**
 * The runtime configuration's tables in SQLite (src/store/config-records.ts). Functions take the
 * connection; writers run in one transaction each and bump `meta.config_generation`.
 */

type EntryRow = [string, string, string, string | null, number, number, number, number];
const ENTRY_COLUMNS = 'kind, name, body, sealed_secrets, enabled, version, created_at, updated_at';

function toEntry([kind, name, body, sealed, enabled, version, created, updated]: EntryRow): StoredConfigEntry {
  return {
    kind: kind as ConfigKind,
    name,
    body: JSON.parse(body) as Record<string, unknown>,
    sealedSecrets: sealed,
    enabled: enabled === 1,
    version,
    createdAt: new Date(created),
    updatedAt: new Date(updated),
  };
}

function metaValue(db: Database, key: string): string | undefined {
  return db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
}

function bumpGeneration(db: Database): void {
  db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'config_generation'").run();
}

export function configurationGeneration(db: Database): number {
  return Number(metaValue(db, 'config_generation') ?? 0);
}

export function loadConfiguration(db: Database): StoredConfiguration {
  return db.transaction(() => ({
    generation: configurationGeneration(db),
    entries: (
      db
        .prepare(`SELECT ${ENTRY_COLUMNS} FROM config_entries ORDER BY kind, created_at, name_lower`)
        .raw()
        .all() as EntryRow[]
    ).map(toEntry),
    directoryOrder: JSON.parse(metaValue(db, 'directory_order') ?? '[]') as string[],
  }))();
}

const WHAT: Readonly<Record<ConfigKind, string>> = { directory: 'Directory', application: 'Application' };

/** Checks every expected version first, then writes: a refused change writes nothing. */
export function changeConfiguration(db: Database, change: ConfigurationChange, now: number): StoredConfiguration {
  const versionOf = db.prepare('SELECT version FROM config_entries WHERE kind = ? AND name_lower = ?').pluck();
  const check = (kind: ConfigKind, name: string, expected: number | undefined): number | undefined => {
    const current = versionOf.get(kind, foldName(name)) as number | undefined;
    if (expected === undefined) return current;
    if (expected === 0 && current !== undefined)
      throw new DirectoryError('CONFLICT', `${WHAT[kind]} "${name}" already exists (names are case-insensitive)`);
    if (expected !== 0 && current === undefined)
      throw new DirectoryError(
        kind === 'directory' ? 'DIRECTORY_NOT_FOUND' : 'INVALID_ARGUMENT',
        `${WHAT[kind]} "${name}" does not exist`,
      );
    if (expected !== 0 && current !== expected)
      throw new DirectoryError(
        'CONFLICT',
        `${WHAT[kind]} "${name}" is at version ${current}, not ${expected}: someone else changed it; reload and try again`,
      );
    return current;
  };
  const upsert = db.prepare(
    `INSERT INTO config_entries (kind, name, name_lower, body, sealed_secrets, enabled, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
     ON CONFLICT (kind, name_lower) DO UPDATE SET name = excluded.name, body = excluded.body,
       sealed_secrets = excluded.sealed_secrets, enabled = excluded.enabled, version = version + 1,
       updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM config_entries WHERE kind = ? AND name_lower = ?');
  return db.transaction(() => {
    for (const entry of change.put ?? []) check(entry.kind, entry.name, entry.expectedVersion);
    for (const entry of change.remove ?? []) check(entry.kind, entry.name, entry.expectedVersion);
    for (const entry of change.remove ?? []) remove.run(entry.kind, foldName(entry.name));
    for (const e of change.put ?? [])
      upsert.run(
        e.kind,
        e.name,
        foldName(e.name),
        JSON.stringify(e.body),
        e.sealedSecrets,
        e.enabled ? 1 : 0,
        now,
        now,
      );
    if (change.directoryOrder)
      db.prepare("UPDATE meta SET value = ? WHERE key = 'directory_order'").run(JSON.stringify(change.directoryOrder));
    for (const name of change.dropDirectories ?? []) dropDirectory(db, name, now);
    if (change.directories) upsertDirectoryRows(db, change.directories, now);
    bumpGeneration(db);
    return loadConfiguration(db);
  })();
}

/** Creates missing directory rows and sets provider and position (the index in `definitions`). */
export function upsertDirectoryRows(
  db: Database,
  definitions: readonly DirectoryDefinition[],
  now: number,
): Directory[] {
  const upsert = db.prepare(
    `INSERT INTO directories (name, name_lower, provider, position, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name_lower) DO UPDATE SET name = excluded.name, provider = excluded.provider, position = excluded.position`,
  );
  const find = db.prepare('SELECT id, name, provider, position FROM directories WHERE name_lower = ?');
  return db.transaction(() =>
    definitions.map((d, position) => {
      upsert.run(d.name, foldName(d.name), d.provider, position, now);
      return find.get(foldName(d.name)) as Directory;
    }),
  )();
}

/** Deletes a directory's row (its users, groups, memberships, runs and cursor cascade) and logs a reset for it. */
function dropDirectory(db: Database, name: string, now: number): void {
  const id = db.prepare('SELECT id FROM directories WHERE name_lower = ?').pluck().get(foldName(name)) as
    number | undefined;
  if (id === undefined) return;
  db.prepare('DELETE FROM directories WHERE id = ?').run(id);
  appendEvents(db, id, 'reset', now);
}

/** The store's data key, wrapped by the master key (src/security/secret-box.ts); null before the first secret. */
export function wrappedDataKey(db: Database): string | null {
  return metaValue(db, 'wrapped_data_key') ?? null;
}

/** Compare-and-set: false (nothing written) when the stored value is not `expected` any more. */
export function replaceWrappedDataKey(db: Database, expected: string | null, wrapped: string): boolean {
  return db.transaction(() => {
    if (wrappedDataKey(db) !== expected) return false;
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('wrapped_data_key', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(wrapped);
    return true;
  })();
}

type TokenRow = [string, string, string, number, number | null, number | null, number];
const TOKEN_COLUMNS = 'name, scope, digest, created_at, expires_at, last_used_at, setup';

function toToken([name, scope, digest, created, expires, used, setup]: TokenRow): AdminTokenRecord {
  return {
    name,
    scope: scope as TokenScope,
    digest,
    createdAt: new Date(created),
    expiresAt: expires === null ? null : new Date(expires),
    lastUsedAt: used === null ? null : new Date(used),
    setup: setup === 1,
  };
}

export function listAdminTokens(db: Database): AdminTokenRecord[] {
  return (db.prepare(`SELECT ${TOKEN_COLUMNS} FROM admin_tokens ORDER BY name_lower`).raw().all() as TokenRow[]).map(
    toToken,
  );
}

/**
 * Adds a token; a setup token is removed in the same transaction when the first real token is
 * created (it "expires when the first one exists").
 */
export function createAdminToken(db: Database, token: NewAdminToken): AdminTokenRecord {
  return db.transaction(() => {
    const taken = db.prepare('SELECT 1 FROM admin_tokens WHERE name_lower = ?').get(foldName(token.name));
    if (taken) throw new DirectoryError('CONFLICT', `An administrator token named "${token.name}" already exists`);
    if (!token.setup) db.prepare('DELETE FROM admin_tokens WHERE setup = 1').run();
    db.prepare(
      `INSERT INTO admin_tokens (name_lower, name, scope, digest, created_at, expires_at, last_used_at, setup)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    ).run(
      foldName(token.name),
      token.name,
      token.scope,
      token.digest,
      token.createdAt.getTime(),
      token.expiresAt?.getTime() ?? null,
      token.setup ? 1 : 0,
    );
    bumpGeneration(db);
    return { ...token, lastUsedAt: null };
  })();
}

export function revokeAdminToken(db: Database, name: string): boolean {
  return db.transaction(() => {
    const removed = db.prepare('DELETE FROM admin_tokens WHERE name_lower = ?').run(foldName(name)).changes > 0;
    if (removed) bumpGeneration(db);
    return removed;
  })();
}

/** Last use, kept to the minute (a write per token and minute at most; not a configuration change). */
export function recordAdminTokenUse(db: Database, name: string, at: number): void {
  db.prepare(
    'UPDATE admin_tokens SET last_used_at = ? WHERE name_lower = ? AND (last_used_at IS NULL OR last_used_at < ?)',
  ).run(at, foldName(name), at - 60_000);
}

type AuditRow = [number, number, string, string, string, string, string, string | null];

export function appendAudit(db: Database, entry: AuditEntry): AuditRecord {
  const id = db
    .prepare(
      'INSERT INTO audit_log (at, principal, source, operation, arguments, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      entry.at.getTime(),
      entry.principal,
      entry.source,
      entry.operation,
      JSON.stringify(entry.arguments),
      entry.outcome,
      entry.error,
    ).lastInsertRowid;
  return { ...entry, id: Number(id) };
}

/** Newest first; `beforeId` pages on. */
export function listAudit(db: Database, query: { limit: number; beforeId?: number }): AuditRecord[] {
  const rows = db
    .prepare(
      'SELECT id, at, principal, source, operation, arguments, outcome, error FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
    )
    .raw()
    .all(query.beforeId ?? Number.MAX_SAFE_INTEGER, query.limit) as AuditRow[];
  return rows.map(([id, at, principal, source, operation, args, outcome, error]) => ({
    id,
    at: new Date(at),
    principal,
    source,
    operation,
    arguments: JSON.parse(args) as Record<string, unknown>,
    outcome: outcome as AuditEntry['outcome'],
    error,
  }));
}

type SessionRow = [string, string, string, number, number];

/** Adds a session and removes the expired ones. */
export function createAdminSession(db: Database, session: AdminSessionRecord, now: number): void {
  db.transaction(() => {
    db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?').run(now);
    db.prepare(
      'INSERT INTO admin_sessions (digest, token_name, csrf_digest, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(
      session.digest,
      session.tokenName,
      session.csrfDigest,
      session.createdAt.getTime(),
      session.expiresAt.getTime(),
    );
  })();
}

export function findAdminSession(db: Database, digest: string): AdminSessionRecord | null {
  const row = db
    .prepare('SELECT digest, token_name, csrf_digest, created_at, expires_at FROM admin_sessions WHERE digest = ?')
    .raw()
    .get(digest) as SessionRow | undefined;
  if (!row) return null;
  const [found, tokenName, csrfDigest, created, expires] = row;
  return { digest: found, tokenName, csrfDigest, createdAt: new Date(created), expiresAt: new Date(expires) };
}

export function deleteAdminSession(db: Database, digest: string): boolean {
  return db.prepare('DELETE FROM admin_sessions WHERE digest = ?').run(digest).changes > 0;
}
