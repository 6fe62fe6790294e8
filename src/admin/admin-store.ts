import { DirectoryError } from '../domain/errors';
import { foldName } from '../domain/names';
import type { ConfigKind, ConfigurationChange } from '../store/config-records';
import type { Store } from '../store/store';
import type {
  ConfiguredApplication,
  ConfiguredDirectory,
  EffectiveConfiguration,
  RuntimeConfiguration,
} from './runtime-configuration';

/** What every administration operation works on. */
export interface AdminParts {
  readonly runtime: RuntimeConfiguration;
  readonly store: Store;
}

const WHAT: Readonly<Record<ConfigKind, string>> = { directory: 'Directory', application: 'Application' };

/** Writes one change and puts it in effect in this process at once (the others follow within a poll). */
export async function commit(parts: AdminParts, change: ConfigurationChange): Promise<EffectiveConfiguration> {
  const stored = await parts.store.changeConfiguration(change);
  parts.runtime.adopt(stored, await parts.store.listAdminTokens());
  return parts.runtime.current();
}

export function findDirectory(parts: AdminParts, name: string): ConfiguredDirectory | undefined {
  return parts.runtime.current().directories.find((d) => foldName(d.config.name) === foldName(name));
}

export function findApplication(parts: AdminParts, name: string): ConfiguredApplication | undefined {
  return parts.runtime.current().applications.find((a) => foldName(a.config.name) === foldName(name));
}

/** The entry, which must exist and be managed through the API: a file entry is FORBIDDEN, naming the file. */
export function apiEntry<T extends ConfiguredDirectory | ConfiguredApplication>(
  parts: AdminParts,
  kind: ConfigKind,
  found: T | undefined,
  name: string,
): T {
  if (!found)
    throw new DirectoryError(
      kind === 'directory' ? 'DIRECTORY_NOT_FOUND' : 'INVALID_ARGUMENT',
      `${WHAT[kind]} "${name}" does not exist`,
    );
  if (found.managedBy === 'FILE')
    throw new DirectoryError(
      'FORBIDDEN',
      `${WHAT[kind]} "${found.config.name}" is managed by ${parts.runtime.fileLabel} and is read-only here: change it in that file (and restart)`,
    );
  return found;
}

/** CONFLICT when the name is taken (case-insensitively), saying where. */
export function requireFreeName(parts: AdminParts, kind: ConfigKind, name: string): void {
  const taken = kind === 'directory' ? findDirectory(parts, name) : findApplication(parts, name);
  if (!taken) return;
  const where = taken.managedBy === 'FILE' ? `in ${parts.runtime.fileLabel}` : 'through the administration API';
  throw new DirectoryError(
    'CONFLICT',
    `${WHAT[kind]} name "${name}" is taken by "${taken.config.name}", defined ${where} (names are case-insensitive)`,
    { problems: [{ field: 'name', message: `taken by "${taken.config.name}", defined ${where}` }] },
  );
}

/** The store rows of directories in this precedence order (created if new, positions updated). */
export function directoryRows(order: readonly ConfiguredDirectory[]): { name: string; provider: string }[] {
  return order.map((d) => ({ name: d.config.name, provider: d.config.provider }));
}

/** An application's stored body: the file's keys, addresses as text. */
export function applicationBody(config: {
  readonly name: string;
  readonly passwordHash: string;
  readonly allowedAddresses: readonly { readonly text: string }[];
  readonly directories: readonly string[];
}): Record<string, unknown> {
  return {
    name: config.name,
    passwordHash: config.passwordHash,
    allowedAddresses: config.allowedAddresses.map((c) => c.text),
    directories: [...config.directories],
  };
}
