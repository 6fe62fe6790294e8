/**
 * Records of the runtime configuration the store keeps: directories and Crowd applications made
 * through the administration API, administrator tokens, the directory order and the audit log.
 * Entries of the configuration file are not stored here (they are read from the file at start).
 */

import type { DirectoryDefinition } from './store';

export type ConfigKind = 'directory' | 'application';

/** A directory or application made through the administration API. */
export interface StoredConfigEntry {
  readonly kind: ConfigKind;
  /** As written; unique per kind case-insensitively. */
  readonly name: string;
  /** The entry as the configuration file would hold it, without its secrets: a JSON object. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The entry's secrets, sealed (src/security/secret-box.ts); opaque to the store. */
  readonly sealedSecrets: string | null;
  readonly enabled: boolean;
  /** 1 when created, +1 with every change: the optimistic-concurrency token of the API. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ConfigEntryWrite {
  readonly kind: ConfigKind;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly sealedSecrets: string | null;
  readonly enabled: boolean;
  /** 0: the entry must not exist yet; n: it must be at version n; absent: whatever it is. */
  readonly expectedVersion?: number;
}

export interface ConfigEntryRemoval {
  readonly kind: ConfigKind;
  readonly name: string;
  readonly expectedVersion?: number;
}

/**
 * One configuration change, applied atomically: a crash leaves the old configuration or the new,
 * never a mix. Every change (and every administrator-token change) increases the generation.
 */
export interface ConfigurationChange {
  readonly put?: readonly ConfigEntryWrite[];
  readonly remove?: readonly ConfigEntryRemoval[];
  /** The whole directory precedence order (file and API directories), by name. */
  readonly directoryOrder?: readonly string[];
  /** Directory rows to create or update, in precedence order (as `Store.upsertDirectories`). */
  readonly directories?: readonly DirectoryDefinition[];
  /**
   * Directories to delete with their users, groups, memberships and runs; Crowd clients get a
   * reset event for each (they synchronise fully and see the directory's people gone).
   */
  readonly dropDirectories?: readonly string[];
}

export interface StoredConfiguration {
  /** Increases with every configuration or token change, by any process sharing the store. */
  readonly generation: number;
  readonly entries: readonly StoredConfigEntry[];
  /** Names in precedence order; may name directories that no longer exist, and miss new ones. */
  readonly directoryOrder: readonly string[];
}

export type TokenScope = 'READ' | 'ADMIN';

export interface AdminTokenRecord {
  readonly name: string;
  readonly scope: TokenScope;
  /** SHA-256 of the token, hex. Tokens are 256 random bits, so a fast hash cannot be reversed. */
  readonly digest: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  /** The one-time setup token of a first start: it may create administrator tokens only. */
  readonly setup: boolean;
}

export type NewAdminToken = Omit<AdminTokenRecord, 'lastUsedAt'>;

export interface AuditEntry {
  readonly at: Date;
  /** The administrator token's name. */
  readonly principal: string;
  readonly source: string;
  /** The mutation's field name, e.g. `createDirectory`. */
  readonly operation: string;
  /** Its arguments with every secret replaced by "[redacted]". */
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly outcome: 'OK' | 'ERROR';
  /** The error code and message when the outcome is ERROR. */
  readonly error: string | null;
}

export interface AuditRecord extends AuditEntry {
  readonly id: number;
}

/** A console session: a cookie standing for an administrator token until it expires or is ended. */
export interface AdminSessionRecord {
  /** SHA-256 of the session id (the cookie value), hex. */
  readonly digest: string;
  readonly tokenName: string;
  /** SHA-256 of the session's CSRF token, hex. */
  readonly csrfDigest: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}
