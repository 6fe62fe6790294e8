import type { DirectoryConfig } from '../config/schema';
import { foldName } from '../domain/names';
import type { AccessReport } from '../providers/provider';
import type { ProviderHandle } from '../providers/registry';
import { pictureFromContents } from '../sync/picture';
import { previewDirectory, type DirectoryPreview } from '../sync/preview';
import { findDirectory, type AdminParts } from './admin-store';
import { withStoredSecrets } from './directory-admin';
import { validateDirectoryEntry } from './validation';

/** Opens a directory's provider (the composition root's, which knows the demo too). */
export type ProviderOpener = (directory: DirectoryConfig) => Promise<ProviderHandle>;

/**
 * Settings that are not saved yet, tried against the provider: the wizard's "Test" and
 * "Preview". The input is validated as createDirectory would validate it; for an existing
 * directory (same name) the stored secrets it leaves out are used (withStoredSecrets). Nothing is
 * written; the provider is closed afterwards.
 */
export async function testDirectorySettings(
  parts: AdminParts,
  open: ProviderOpener,
  entry: Readonly<Record<string, unknown>>,
): Promise<AccessReport> {
  return withProvider(open, resolve(parts, entry), (handle) => handle.provider.checkAccess());
}

export async function previewDirectorySettings(
  parts: AdminParts,
  open: ProviderOpener,
  entry: Readonly<Record<string, unknown>>,
  sample: number,
): Promise<DirectoryPreview> {
  const config = resolve(parts, entry);
  const row = (await parts.store.listDirectories()).find((d) => foldName(d.name) === foldName(config.name));
  const existing = findDirectory(parts, config.name);
  const baseline =
    row && existing?.config.provider === config.provider
      ? pictureFromContents(await parts.store.loadDirectoryContents(row.id))
      : undefined;
  return withProvider(open, config, (handle) =>
    previewDirectory(handle.provider, config, { sample, ...(baseline ? { baseline } : {}) }),
  );
}

function resolve(parts: AdminParts, entry: Readonly<Record<string, unknown>>): DirectoryConfig {
  const existing = typeof entry.name === 'string' ? findDirectory(parts, entry.name) : undefined;
  return validateDirectoryEntry(existing ? withStoredSecrets(parts, existing, entry) : entry);
}

async function withProvider<T>(
  open: ProviderOpener,
  config: DirectoryConfig,
  work: (handle: ProviderHandle) => Promise<T>,
): Promise<T> {
  const handle = await open(config);
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}
