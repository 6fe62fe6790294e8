import type { ClientBase } from 'pg';
import { DirectoryError } from '../../domain/errors';
import { foldName } from '../../domain/names';
import type { Directory } from '../../domain/directory';
import type { DirectoryDefinition } from '../store';
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
import { APPLY_LOCK_CLASS, CONFIG_LOCK } from './locks';
import { diagnosticText, hasNul, refuseNul } from './nul-text';
import { execute, firstValue, rowsOf, type Queryable } from './sql';
import { appendEvents } from './sync-tables';

/**
 * The runtime configuration's tables in PostgreSQL, with the SQLite backend's behaviour
 * (src/store/sqlite/config-tables.ts). Writers run inside the caller's transaction, take the
 * transaction lock CONFIG_LOCK first (so two nodes changing at once are serialized: both cannot
 * pass a version check), bump `meta.config_generation` and announce the new generation with
 * `pg_notify('crowdgate_config', <generation>)`, delivered at commit.
 */

/** The channel `pg_notify` announces every new configuration generation on. */
export const CONFIG_CHANNEL = 'crowdgate_config';

type EntryRow = [string, string, string, string | null, boolean, number, number, number];
const ENTRY_COLUMNS = 'kind, name, body, sealed_secrets, enabled, version, created_at, updated_at';

function toEntry([kind, name, body, sealed, enabled, version, created, updated]: EntryRow): StoredConfigEntry {
  return {
    kind: kind as ConfigKind,
    name,
    body: JSON.parse(body) as Record<string, unknown>,
    sealedSecrets: sealed,
    enabled,
    version,
    createdAt: new Date(created),
    updatedAt: new Date(updated),
  };
}

export async function lockConfiguration(client: ClientBase): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [CONFIG_LOCK]);
}

async function bumpGeneration(client: ClientBase): Promise<void> {
  await client.query(
    `WITH bumped AS (
       UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'config_generation' RETURNING value)
     SELECT pg_notify('${CONFIG_CHANNEL}', value) FROM bumped`,
  );
}

export async function configurationGeneration(db: Queryable): Promise<number> {
  return Number(
    (await firstValue<string>(db, {
      name: 'cg_config_generation',
      text: "SELECT value FROM meta WHERE key = 'config_generation'",
    })) ?? 0,
  );
}

/** Reads the configuration; `db` should be a snapshot transaction (or the writer's), for one state. */
export async function loadConfiguration(db: Queryable): Promise<StoredConfiguration> {
  const [head] = await rowsOf<[string | null, string | null]>(db, {
    text: "SELECT (SELECT value FROM meta WHERE key = 'config_generation'), (SELECT value FROM meta WHERE key = 'directory_order')",
  });
  const [generation, order] = head!;
  const entries = await rowsOf<EntryRow>(db, {
    text: `SELECT ${ENTRY_COLUMNS} FROM config_entries ORDER BY kind, created_at, name_lower`,
  });
  return {
    generation: Number(generation ?? 0),
    entries: entries.map(toEntry),
    directoryOrder: JSON.parse(order ?? '[]') as string[],
  };
}

const WHAT: Readonly<Record<ConfigKind, string>> = { directory: 'Directory', application: 'Application' };

/** Checks every expected version first, then writes: a refused change writes nothing. Inside a transaction. */
export async function changeConfiguration(
  client: ClientBase,
  change: ConfigurationChange,
  now: number,
): Promise<StoredConfiguration> {
  for (const e of change.put ?? []) {
    const what = `${WHAT[e.kind]} ${JSON.stringify(e.name)}`;
    refuseNul(what, 'its name', e.name);
    refuseNul(what, 'its sealed secrets', e.sealedSecrets);
  }
  for (const name of change.directoryOrder ?? []) refuseNul('The directory order', 'a name', name);
  for (const d of change.directories ?? []) refuseNulInDirectory(d);
  await lockConfiguration(client);
  const check = async (kind: ConfigKind, name: string, expected: number | undefined): Promise<void> => {
    const current = hasNul(name)
      ? undefined
      : await firstValue<number>(client, {
          text: 'SELECT version FROM config_entries WHERE kind = $1 AND name_lower = $2',
          values: [kind, foldName(name)],
        });
    if (expected === undefined) return;
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
  };
  for (const entry of change.put ?? []) await check(entry.kind, entry.name, entry.expectedVersion);
  for (const entry of change.remove ?? []) await check(entry.kind, entry.name, entry.expectedVersion);
  for (const entry of change.remove ?? [])
    if (!hasNul(entry.name))
      await execute(client, {
        text: 'DELETE FROM config_entries WHERE kind = $1 AND name_lower = $2',
        values: [entry.kind, foldName(entry.name)],
      });
  for (const e of change.put ?? [])
    await execute(client, {
      text: `INSERT INTO config_entries (kind, name, name_lower, body, sealed_secrets, enabled, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
             ON CONFLICT (kind, name_lower) DO UPDATE SET name = excluded.name, body = excluded.body,
               sealed_secrets = excluded.sealed_secrets, enabled = excluded.enabled,
               version = config_entries.version + 1, updated_at = excluded.updated_at`,
      values: [e.kind, e.name, foldName(e.name), JSON.stringify(e.body), e.sealedSecrets, e.enabled, now],
    });
  if (change.directoryOrder)
    await execute(client, {
      text: "UPDATE meta SET value = $1 WHERE key = 'directory_order'",
      values: [JSON.stringify(change.directoryOrder)],
    });
  const dropped: number[] = [];
  for (const name of change.dropDirectories ?? []) {
    const id = await dropDirectory(client, name);
    if (id !== undefined) dropped.push(id);
  }
  if (change.directories) await upsertDirectoryRows(client, change.directories, now);
  // The reset events last: the event-log lock is taken after every row lock (locks.ts).
  for (const id of dropped) await appendEvents(client, id, 'reset', now);
  await bumpGeneration(client);
  return loadConfiguration(client);
}

function refuseNulInDirectory(definition: DirectoryDefinition): void {
  const what = `Directory ${JSON.stringify(definition.name)}`;
  refuseNul(what, 'its name', definition.name);
  refuseNul(what, 'its provider', definition.provider);
}

/**
 * Creates missing directory rows and sets provider and position (the index in `definitions`).
 * Inside a transaction; takes CONFIG_LOCK (so concurrent upserts never lock rows in two orders).
 * An update first, then an insert: an `INSERT … ON CONFLICT` would use up an id on every call.
 */
export async function upsertDirectoryRows(
  client: ClientBase,
  definitions: readonly DirectoryDefinition[],
  now: number,
): Promise<Directory[]> {
  definitions.forEach(refuseNulInDirectory);
  await lockConfiguration(client);
  const directories: Directory[] = [];
  for (const [position, d] of definitions.entries()) {
    const values = [d.name, foldName(d.name), d.provider, position];
    const [updated] = await rowsOf<[number, string, string, number]>(client, {
      text: 'UPDATE directories SET name = $1, provider = $3, position = $4 WHERE name_lower = $2 RETURNING id, name, provider, position',
      values,
    });
    const [row] = updated
      ? [updated]
      : await rowsOf<[number, string, string, number]>(client, {
          text: `INSERT INTO directories (name, name_lower, provider, position, created_at) VALUES ($1, $2, $3, $4, $5)
                 RETURNING id, name, provider, position`,
          values: [...values, now],
        });
    const [id, name, provider, at] = row!;
    directories.push({ id, name, provider, position: at });
  }
  return directories;
}

/**
 * Deletes a directory with its users, groups, memberships, runs and cursor, and answers its id
 * for the reset event. Takes the directory's apply lock first: an apply in progress ends
 * before the rows go, and none starts meanwhile.
 */
async function dropDirectory(client: ClientBase, name: string): Promise<number | undefined> {
  if (hasNul(name)) return undefined;
  const id = await firstValue<number>(client, {
    text: 'SELECT id FROM directories WHERE name_lower = $1',
    values: [foldName(name)],
  });
  if (id === undefined) return undefined;
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [APPLY_LOCK_CLASS, id]);
  // Users, groups and memberships have no foreign keys (migrations.ts); both ends of a membership
  // are in the same directory. Runs and the cursor cascade.
  for (const text of [
    'DELETE FROM user_groups WHERE group_id IN (SELECT id FROM groups WHERE directory_id = $1)',
    'DELETE FROM group_groups WHERE parent_id IN (SELECT id FROM groups WHERE directory_id = $1)',
    'DELETE FROM users WHERE directory_id = $1',
    'DELETE FROM groups WHERE directory_id = $1',
    'DELETE FROM directories WHERE id = $1',
  ])
    await execute(client, { text, values: [id] });
  return id;
}

/** The store's data key, wrapped by the master key (src/security/secret-box.ts); null before the first secret. */
export async function wrappedDataKey(db: Queryable): Promise<string | null> {
  return (await firstValue<string>(db, { text: "SELECT value FROM meta WHERE key = 'wrapped_data_key'" })) ?? null;
}

/** Compare-and-set in one statement: false (nothing written) when the stored value is not `expected` any more. */
export async function replaceWrappedDataKey(db: Queryable, expected: string | null, wrapped: string): Promise<boolean> {
  refuseNul('The wrapped data key', 'it', wrapped);
  if (expected === null)
    return (
      (await execute(db, {
        text: "INSERT INTO meta (key, value) VALUES ('wrapped_data_key', $1) ON CONFLICT (key) DO NOTHING",
        values: [wrapped],
      })) > 0
    );
  return (
    (await execute(db, {
      text: "UPDATE meta SET value = $1 WHERE key = 'wrapped_data_key' AND value = $2",
      values: [wrapped, expected],
    })) > 0
  );
}

type TokenRow = [string, string, string, number, number | null, number | null, boolean];
const TOKEN_COLUMNS = 'name, scope, digest, created_at, expires_at, last_used_at, setup';

function toToken([name, scope, digest, created, expires, used, setup]: TokenRow): AdminTokenRecord {
  return {
    name,
    scope: scope as TokenScope,
    digest,
    createdAt: new Date(created),
    expiresAt: expires === null ? null : new Date(expires),
    lastUsedAt: used === null ? null : new Date(used),
    setup,
  };
}

export async function listAdminTokens(db: Queryable): Promise<AdminTokenRecord[]> {
  return (await rowsOf<TokenRow>(db, { text: `SELECT ${TOKEN_COLUMNS} FROM admin_tokens ORDER BY name_lower` })).map(
    toToken,
  );
}

/**
 * Adds a token; a setup token is removed in the same transaction when the first real token is
 * created (it "expires when the first one exists"). Inside a transaction.
 */
export async function createAdminToken(client: ClientBase, token: NewAdminToken): Promise<AdminTokenRecord> {
  const what = `Administrator token ${JSON.stringify(token.name)}`;
  refuseNul(what, 'its name', token.name);
  refuseNul(what, 'its digest', token.digest);
  await lockConfiguration(client);
  const taken = await firstValue<number>(client, {
    text: 'SELECT 1 FROM admin_tokens WHERE name_lower = $1',
    values: [foldName(token.name)],
  });
  if (taken !== undefined)
    throw new DirectoryError('CONFLICT', `An administrator token named "${token.name}" already exists`);
  if (!token.setup) await execute(client, { text: 'DELETE FROM admin_tokens WHERE setup' });
  await execute(client, {
    text: `INSERT INTO admin_tokens (name_lower, name, scope, digest, created_at, expires_at, last_used_at, setup)
           VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)`,
    values: [
      foldName(token.name),
      token.name,
      token.scope,
      token.digest,
      token.createdAt.getTime(),
      token.expiresAt?.getTime() ?? null,
      token.setup,
    ],
  });
  await bumpGeneration(client);
  return { ...token, lastUsedAt: null };
}

/** Inside a transaction. */
export async function revokeAdminToken(client: ClientBase, name: string): Promise<boolean> {
  if (hasNul(name)) return false;
  await lockConfiguration(client);
  const removed =
    (await execute(client, { text: 'DELETE FROM admin_tokens WHERE name_lower = $1', values: [foldName(name)] })) > 0;
  if (removed) await bumpGeneration(client);
  return removed;
}

/** Last use, kept to the minute (a write per token and minute at most; not a configuration change). */
export async function recordAdminTokenUse(db: Queryable, name: string, at: number): Promise<void> {
  if (hasNul(name)) return;
  await execute(db, {
    name: 'cg_token_use',
    text: 'UPDATE admin_tokens SET last_used_at = $1 WHERE name_lower = $2 AND (last_used_at IS NULL OR last_used_at < $3)',
    values: [at, foldName(name), at - 60_000],
  });
}

type AuditRow = [number, number, string, string, string, string, string, string | null];

export async function appendAudit(db: Queryable, entry: AuditEntry): Promise<AuditRecord> {
  const what = `The audit entry of ${JSON.stringify(entry.operation)}`;
  for (const field of ['principal', 'source', 'operation'] as const) refuseNul(what, field, entry[field]);
  const id = await firstValue<number>(db, {
    text: `INSERT INTO audit_log (at, principal, source, operation, arguments, outcome, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    values: [
      entry.at.getTime(),
      entry.principal,
      entry.source,
      entry.operation,
      JSON.stringify(entry.arguments),
      entry.outcome,
      diagnosticText(entry.error),
    ],
  });
  return { ...entry, id: id! };
}

/** Newest first; `beforeId` pages on. */
export async function listAudit(db: Queryable, query: { limit: number; beforeId?: number }): Promise<AuditRecord[]> {
  const rows = await rowsOf<AuditRow>(db, {
    text: `SELECT id, at, principal, source, operation, arguments, outcome, error FROM audit_log
           WHERE id < $1 ORDER BY id DESC LIMIT $2`,
    values: [query.beforeId ?? Number.MAX_SAFE_INTEGER, query.limit],
  });
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

/** Adds a session and removes the expired ones. Inside a transaction. */
export async function createAdminSession(client: ClientBase, session: AdminSessionRecord, now: number): Promise<void> {
  const what = 'The console session';
  refuseNul(what, 'its digest', session.digest);
  refuseNul(what, 'its token name', session.tokenName);
  refuseNul(what, 'its CSRF digest', session.csrfDigest);
  await execute(client, { text: 'DELETE FROM admin_sessions WHERE expires_at <= $1', values: [now] });
  await execute(client, {
    text: 'INSERT INTO admin_sessions (digest, token_name, csrf_digest, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    values: [
      session.digest,
      session.tokenName,
      session.csrfDigest,
      session.createdAt.getTime(),
      session.expiresAt.getTime(),
    ],
  });
}

export async function findAdminSession(db: Queryable, digest: string): Promise<AdminSessionRecord | null> {
  if (hasNul(digest)) return null;
  const [row] = await rowsOf<SessionRow>(db, {
    name: 'cg_find_session',
    text: 'SELECT digest, token_name, csrf_digest, created_at, expires_at FROM admin_sessions WHERE digest = $1',
    values: [digest],
  });
  if (!row) return null;
  const [found, tokenName, csrfDigest, created, expires] = row;
  return { digest: found, tokenName, csrfDigest, createdAt: new Date(created), expiresAt: new Date(expires) };
}

export async function deleteAdminSession(db: Queryable, digest: string): Promise<boolean> {
  if (hasNul(digest)) return false;
  return (await execute(db, { text: 'DELETE FROM admin_sessions WHERE digest = $1', values: [digest] })) > 0;
}
