/**
 * Schema migrations of the SQLite backend, applied in order inside one transaction each and
 * recorded in `schema_migrations`. Append only: never edit a migration that has shipped.
 *
 * Folded columns (`name_lower`, `email_lower`) hold `foldName(...)` computed in JavaScript:
 * SQLite's own `lower()` folds ASCII only. Timestamps are epoch milliseconds.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE directories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_lower  TEXT NOT NULL UNIQUE,
    provider    TEXT NOT NULL,
    position    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
  );

  CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    directory_id  INTEGER NOT NULL REFERENCES directories(id) ON DELETE CASCADE,
    external_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_lower    TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_lower   TEXT NOT NULL,
    active        INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    attributes    TEXT NOT NULL,
    UNIQUE (directory_id, external_id),
    UNIQUE (directory_id, name_lower)
  );
  CREATE INDEX users_by_name ON users (name_lower);
  CREATE INDEX users_by_email ON users (email_lower);

  CREATE TABLE groups (
    id            INTEGER PRIMARY KEY,
    directory_id  INTEGER NOT NULL REFERENCES directories(id) ON DELETE CASCADE,
    external_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_lower    TEXT NOT NULL,
    description   TEXT NOT NULL,
    active        INTEGER NOT NULL,
    local         INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    attributes    TEXT NOT NULL,
    UNIQUE (directory_id, external_id),
    UNIQUE (directory_id, name_lower)
  );
  CREATE INDEX groups_by_name ON groups (name_lower);

  CREATE TABLE user_groups (
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX user_groups_by_user ON user_groups (user_id, group_id);

  CREATE TABLE group_groups (
    parent_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    child_id   INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id)
  ) WITHOUT ROWID;
  CREATE INDEX group_groups_by_child ON group_groups (child_id, parent_id);
  `,
  `
  -- Key/value facts about this store; 'instance' is random per store, so a wiped or replaced
  -- store invalidates every event token handed out before.
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(8)))), ('event_reset_seq', '0');

  -- Bumped by every apply: lets a sync engine notice that another process changed the directory.
  ALTER TABLE directories ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE sync_cursors (
    directory_id  INTEGER PRIMARY KEY REFERENCES directories(id) ON DELETE CASCADE,
    cursor        TEXT NOT NULL
  );

  CREATE TABLE sync_runs (
    id            INTEGER PRIMARY KEY,
    directory_id  INTEGER NOT NULL REFERENCES directories(id) ON DELETE CASCADE,
    mode          TEXT NOT NULL,
    trigger       TEXT NOT NULL,
    status        TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    counts        TEXT NOT NULL DEFAULT '{}',
    error         TEXT,
    report        TEXT NOT NULL DEFAULT 'null'
  );
  CREATE INDEX sync_runs_by_directory ON sync_runs (directory_id, id);

  CREATE TABLE events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    directory_id  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    payload       TEXT NOT NULL
  );
  `,
  `
  -- The runtime configuration (src/store/config-records.ts). 'config_generation' in meta increases
  -- with every change, so each process notices changes made by another.
  CREATE TABLE config_entries (
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    name_lower      TEXT NOT NULL,
    body            TEXT NOT NULL,
    sealed_secrets  TEXT,
    enabled         INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (kind, name_lower)
  ) WITHOUT ROWID;

  CREATE TABLE admin_tokens (
    name_lower    TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    digest        TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    last_used_at  INTEGER,
    setup         INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    principal   TEXT NOT NULL,
    source      TEXT NOT NULL,
    operation   TEXT NOT NULL,
    arguments   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    error       TEXT
  );

  INSERT INTO meta (key, value) VALUES ('config_generation', '0'), ('directory_order', '[]');
  `,
  `
  -- Console sessions (a cookie instead of a bearer token): only digests are stored.
  CREATE TABLE admin_sessions (
    digest       TEXT PRIMARY KEY,
    token_name   TEXT NOT NULL,
    csrf_digest  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];
