import { DirectoryError } from '../domain/errors';
import { foldName } from '../domain/names';
import { keepStoredSecrets, splitSecrets } from '../config/secret-settings';
import type { DirectoryConfig } from '../config/schema';
import type { ConfigEntryWrite } from '../store/config-records';
import {
  apiEntry,
  applicationBody,
  commit,
  directoryRows,
  findDirectory,
  requireFreeName,
  type AdminParts,
} from './admin-store';
import type { ConfiguredDirectory } from './runtime-configuration';
import { invalidField, validateDirectoryEntry } from './validation';

/**
 * Directories through the administration API. Inputs are `directories:` entries of the
 * configuration file (the GraphQL input mirrors its keys); each is validated exactly as the file's
 * would be before anything is written, and every write is one atomic configuration change.
 * Secrets are sealed (secret-vault.ts) and kept apart from the entry's body; an update that leaves
 * a secret out keeps the stored one (src/config/secret-settings.ts, keepStoredSecrets).
 */

export interface DirectoryWrite {
  /** The entry as the file would hold it (no `enabled`). */
  readonly entry: Readonly<Record<string, unknown>>;
  /** Absent: enabled on create, unchanged on update. */
  readonly enabled?: boolean;
}

export async function createDirectory(parts: AdminParts, write: DirectoryWrite): Promise<ConfiguredDirectory> {
  const config = validateDirectoryEntry(write.entry);
  requireFreeName(parts, 'directory', config.name);
  const sealed = sealedEntry(parts, write.entry, config);
  const order = [...parts.runtime.current().directories.map((d) => d.config), config];
  await commit(parts, {
    put: [{ ...sealed, enabled: write.enabled ?? true, expectedVersion: 0 }],
    directoryOrder: order.map((d) => d.name),
    directories: order.map((d) => ({ name: d.name, provider: d.provider })),
  });
  return findDirectory(parts, config.name)!;
}

export async function updateDirectory(
  parts: AdminParts,
  name: string,
  write: DirectoryWrite,
  expectedVersion: number | undefined,
): Promise<ConfiguredDirectory> {
  const existing = apiEntry(parts, 'directory', findDirectory(parts, name), name);
  const given = write.entry;
  if (typeof given.name === 'string' && foldName(given.name) !== foldName(existing.config.name))
    throw invalidField(
      'name',
      `a directory cannot be renamed (its users' keys depend on it): create a new one instead`,
    );
  if (given.provider !== existing.config.provider)
    throw invalidField(
      'provider',
      `a directory's provider cannot change (it is "${existing.config.provider}"): create a new directory`,
    );
  const merged = withStoredSecrets(parts, existing, given);
  const config = validateDirectoryEntry(merged);
  const sealed = sealedEntry(parts, merged, config);
  await commit(parts, {
    put: [
      { ...sealed, enabled: write.enabled ?? existing.enabled, expectedVersion: expectedVersion ?? existing.version },
    ],
  });
  return findDirectory(parts, config.name)!;
}

/**
 * Deletes an API directory with its users, groups and memberships (Crowd clients get a reset and
 * synchronise fully). Refused while an application uses it, unless `detachApplications`: then
 * the API applications that list it lose it, in the same change. A file application, or one that
 * would be left without directories, keeps the directory.
 */
export async function deleteDirectory(parts: AdminParts, name: string, detachApplications: boolean): Promise<void> {
  const existing = apiEntry(parts, 'directory', findDirectory(parts, name), name);
  const folded = foldName(existing.config.name);
  const users = parts.runtime
    .current()
    .applications.filter((a) => a.config.directories.some((d) => foldName(d) === folded));
  const stranded = users.filter(
    (a) => !detachApplications || a.managedBy === 'FILE' || a.config.directories.length === 1,
  );
  if (stranded.length > 0) {
    const names = stranded.map(
      (a) => `"${a.config.name}"${a.managedBy === 'FILE' ? ` (${parts.runtime.fileLabel})` : ''}`,
    );
    throw new DirectoryError(
      'CONFLICT',
      `Directory "${existing.config.name}" is used by application ${names.join(', ')}: ${
        detachApplications
          ? 'it is the only directory of one, or a file entry: change those first'
          : 'remove it from them first, or delete with detachApplications: true'
      }`,
      { problems: [{ field: 'detachApplications', message: `used by ${names.join(', ')}` }] },
    );
  }
  const detached = users.map((a) => ({
    kind: 'application' as const,
    name: a.config.name,
    body: applicationBody({ ...a.config, directories: a.config.directories.filter((d) => foldName(d) !== folded) }),
    sealedSecrets: null,
    enabled: a.enabled,
    expectedVersion: a.version,
  }));
  const order = parts.runtime.current().directories.filter((d) => foldName(d.config.name) !== folded);
  await commit(parts, {
    remove: [{ kind: 'directory', name: existing.config.name, expectedVersion: existing.version }],
    put: detached,
    directoryOrder: order.map((d) => d.config.name),
    dropDirectories: [existing.config.name],
    directories: directoryRows(order),
  });
}

/** Moves a directory (file or API: the order is the runtime configuration's) to `position` (0 = first). */
export async function moveDirectory(parts: AdminParts, name: string, position: number): Promise<ConfiguredDirectory[]> {
  const all = parts.runtime.current().directories;
  const moving = findDirectory(parts, name);
  if (!moving) throw new DirectoryError('DIRECTORY_NOT_FOUND', `Directory "${name}" does not exist`);
  if (!Number.isInteger(position) || position < 0 || position >= all.length)
    throw invalidField('position', `must be between 0 and ${all.length - 1} (there are ${all.length} directories)`);
  const order = all.filter((d) => d !== moving);
  order.splice(position, 0, moving);
  const effective = await commit(parts, {
    directoryOrder: order.map((d) => d.config.name),
    directories: directoryRows(order),
  });
  return [...effective.directories];
}

/** The entry without the provider's secrets, and the secrets sealed. */
function sealedEntry(
  parts: AdminParts,
  entry: Readonly<Record<string, unknown>>,
  config: DirectoryConfig,
): Omit<ConfigEntryWrite, 'enabled' | 'expectedVersion'> {
  const kind = config.provider;
  const block = entry[kind];
  const { settings, secrets } = splitSecrets(kind, isRecord(block) ? block : {});
  const body = isRecord(block) ? { ...entry, [kind]: settings } : { ...entry };
  return {
    kind: 'directory',
    name: config.name,
    body,
    sealedSecrets: parts.runtime.vault.seal('directory', config.name, secrets),
  };
}

/**
 * Settings keys that say where a secret is sent. A stored secret is kept only while they are
 * unchanged: otherwise an update (or a test or preview of unsaved settings) could send the stored
 * secret to another endpoint; changing them means giving the secret again.
 */
const ENDPOINT_KEYS: Readonly<Record<DirectoryConfig['provider'], readonly string[]>> = {
  entra: ['tenantId', 'clientId', 'authorityHost', 'graphBaseUrl'],
  google: ['tokenUrl', 'rootUrl', 'adminEmail'],
  okta: ['orgUrl', 'clientId'],
  demo: [],
};

/**
 * The entry `given` for an existing directory, with each stored secret it left out put back —
 * unless it chose another credential, or changed where secrets are sent (ENDPOINT_KEYS). File
 * entries' secrets come from the file, API entries' from the vault.
 */
export function withStoredSecrets(
  parts: AdminParts,
  existing: ConfiguredDirectory,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const kind = existing.config.provider;
  if (kind === 'demo' || given.provider !== kind) return { ...given };
  const storedBlock = (existing.config as unknown as Record<string, unknown>)[kind];
  const before = isRecord(storedBlock) ? storedBlock : {};
  const block = given[kind];
  const after = isRecord(block) ? block : {};
  if (ENDPOINT_KEYS[kind].some((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])))
    return { ...given };
  const stored =
    existing.managedBy === 'API'
      ? parts.runtime.vault.open(
          'directory',
          existing.config.name,
          parts.runtime.sealedSecrets('directory', existing.config.name),
        )
      : splitSecrets(kind, before).secrets;
  const update = splitSecrets(kind, after);
  const secrets = keepStoredSecrets(kind, update, stored);
  if (Object.keys(secrets).length === 0) return { ...given };
  return { ...given, [kind]: { ...update.settings, ...secrets } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
