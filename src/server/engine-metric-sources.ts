import type { RuntimeConfiguration } from '../admin/runtime-configuration';
import type { EngineMetricSources } from '../metrics/engine-metrics';
import { storeFilePath } from '../store/sqlite/store-files';
import type { StoreLocation } from '../store/open';
import type { Store } from '../store/store';
import type { SyncEngine } from '../sync/engine';
import { allDirectoryAlerts } from './alert-report';
import type { DirectorySupervisor } from './directory-supervisor';

/** What EngineMetrics reads at scrape time, from the parts openEngine opened. */
export function engineMetricSources(parts: {
  readonly store: Store;
  readonly engine: () => SyncEngine;
  readonly supervisor: () => DirectorySupervisor;
  readonly runtime: RuntimeConfiguration;
  readonly config: StoreLocation;
}): EngineMetricSources {
  // PostgreSQL's size is the database server's to report (its own exporters do).
  const database = parts.config.store?.kind !== 'postgres' ? storeFilePath(parts.config.dataDir) : undefined;
  return {
    store: parts.store,
    running: () =>
      parts
        .engine()
        .directories()
        .map(({ directory, provider }) => ({ directory, ...(provider.stats ? { stats: provider.stats() } : {}) })),
    health: (name) => parts.supervisor().health(name),
    alerts: (summary) =>
      allDirectoryAlerts(parts.store, parts.runtime, (name) => parts.supervisor().health(name), summary),
    databaseFiles: database ? [database, `${database}-wal`] : [],
  };
}
