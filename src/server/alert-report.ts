import type { RuntimeConfiguration } from '../admin/runtime-configuration';
import { foldName } from '../domain/names';
import type { Logger } from '../logging/logger';
import type { Store } from '../store/store';
import type { OperationalSummary } from '../store/sync-records';
import type { DirectoryHealth } from '../sync/control';
import { readDirectoryAlerts, type DirectoryAlert } from '../sync/directory-alerts';

/** The alerts of every enabled directory, by configured name (src/sync/directory-alerts.ts). */
export async function allDirectoryAlerts(
  store: Pick<Store, 'listRuns' | 'operationalSummary' | 'listDirectories'>,
  runtime: RuntimeConfiguration,
  health: (directoryName: string) => DirectoryHealth,
  summary?: OperationalSummary,
): Promise<Map<string, DirectoryAlert[]>> {
  const ids = new Map((await store.listDirectories()).map((d) => [foldName(d.name), d.id]));
  const now = new Date();
  const read = summary ?? (await store.operationalSummary());
  const alerts = new Map<string, DirectoryAlert[]>();
  for (const { config, enabled } of runtime.current().directories) {
    const id = ids.get(foldName(config.name));
    if (!enabled || id === undefined) continue;
    alerts.set(config.name, await readDirectoryAlerts(store, id, config.schedule, health(config.name), now, read));
  }
  return alerts;
}

/** The daily report's period. */
const DAY_MS = 86_400_000;

/**
 * Writes the directories' alerts to the log once `ready` settles (the first runs and connection
 * tests of a start) and then every day: one warning line per alert (`directory`, `alert`
 * code, message), or one info line saying all is well. Stops with the returned function.
 */
export function reportAlertsDaily(
  read: () => Promise<Map<string, DirectoryAlert[]>>,
  logger: Logger,
  ready: Promise<unknown>,
): () => void {
  let stopped = false;
  const report = async () => {
    if (stopped) return;
    try {
      const alerts = await read();
      let count = 0;
      for (const [directory, list] of alerts)
        for (const alert of list) {
          count++;
          logger.warn('directory needs attention', { directory, alert: alert.code, detail: alert.message });
        }
      if (count === 0) logger.info('directory health: no alerts', { directories: alerts.size });
    } catch (error) {
      logger.warn('could not read the directory alerts', { error: (error as Error).message });
    }
  };
  void ready.then(report, report);
  const timer = setInterval(() => void report(), DAY_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
