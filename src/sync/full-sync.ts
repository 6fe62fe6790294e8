import type { DirectoryProvider } from '../providers/provider';
import type { ApplyResult, Store } from '../store/store';
import { mapSnapshot, type MappingOptions } from './mapping';
import { planChanges } from './plan';
import { readSnapshot } from './snapshot';

/**
 * One full run for one directory: read the whole upstream picture, map it, diff it against the
 * store and apply the difference in one transaction. If reading fails, nothing is written; if
 * applying fails, the transaction rolls back. Either way the previous state stays.
 */
export async function runFullSync(
  store: Store,
  directoryId: number,
  provider: DirectoryProvider,
  options: MappingOptions,
): Promise<ApplyResult> {
  const desired = mapSnapshot(await readSnapshot(provider), options);
  const changes = planChanges(await store.loadDirectoryState(directoryId), desired);
  return store.apply(directoryId, changes);
}
