import type { Sessions } from '../../facades/crowd/session-store';
import type { RuntimeConfiguration } from '../admin/runtime-configuration';
import { describeError, type Logger } from '../logging/logger';
import type { Store } from '../store/store';
import type { SyncControl } from '../sync/control';
import { LeaderRequests } from './leader-requests';
import { Leadership, type LeadershipOptions } from './leadership';
import type { Notifications } from '../store/postgres/notifications';
import type { PostgresStore } from '../store/postgres/postgres-store';
import { sharedSessions } from './shared-sessions';

/** What a node is told when it starts or stops leading. */
export interface LeaderDuties {
  /** Start the schedule and the first runs (DirectorySupervisor.lead). */
  lead(): Promise<void>;
  /** Stop them; runs still reading are abandoned (DirectorySupervisor.follow). */
  follow(): Promise<void>;
}

/** The methods of SyncControl the leader carries out: they touch runs, which only the leader has. */
const LEADER_METHODS = ['sync', 'approve', 'drop', 'progress'] as const satisfies readonly (keyof SyncControl)[];

export interface NodeCoordination {
  /** True while this node runs the sync engine. */
  readonly leading: () => boolean;
  /** This node's SyncControl: runs on the leader (here or through PostgreSQL), the rest locally. */
  readonly control: SyncControl;
  /** Crowd SSO sessions shared by every node. */
  readonly sessions: Sessions;
  /** Gives up leadership, stops listening. */
  close(): Promise<void>;
}

/**
 * One crowdgate node among several on a PostgreSQL store: listens (on the store's notification
 * connection) for configuration changes
 * (`crowdgate_config`: the runtime configuration reloads at once, not at its next poll), takes
 * part in the leader election (leadership.ts) and, when it leads, runs the schedule and the
 * requests of the other nodes (leader-requests.ts). Before a new leader starts, runs left
 * "running" by a leader that died are recorded failed: they applied nothing (one transaction).
 */
export async function startNodeCoordination(parts: {
  readonly url: string;
  readonly store: PostgresStore;
  readonly runtime: RuntimeConfiguration;
  readonly local: SyncControl;
  readonly duties: LeaderDuties;
  readonly logger: Logger;
  readonly sessionTtlMs: number;
  readonly leadership?: LeadershipOptions;
}): Promise<NodeCoordination> {
  const { url, store, runtime, local, duties, logger } = parts;
  const { pool } = store;
  const notifications = listeningOf(store);
  const refresh = () =>
    void runtime.refresh().catch((error: unknown) => logger.warn('configuration reload failed', describeError(error)));
  const unsubscribe = [notifications.on('crowdgate_config', refresh), notifications.onResync(refresh)];
  const requests = new LeaderRequests(pool, notifications, logger);
  const leaderHandlers = Object.fromEntries(
    LEADER_METHODS.map((method) => [
      method,
      (...args: unknown[]) => (local[method] as (...a: unknown[]) => Promise<unknown>)(...args),
    ]),
  );
  const leadership = new Leadership(
    url,
    logger,
    async (leading) => {
      if (leading) {
        logger.info('this node leads: it runs the sync schedule');
        await failOrphanedRuns(store, logger);
        await requests.serve(leaderHandlers);
        await duties.lead();
      } else {
        logger.info('this node follows: another node runs the sync schedule');
        requests.stopServing();
        await duties.follow();
      }
    },
    parts.leadership,
  );
  await leadership.start();
  if (!leadership.leading) logger.info('this node follows: another node runs the sync schedule');
  const viaLeader =
    <M extends (typeof LEADER_METHODS)[number]>(method: M) =>
    (...args: Parameters<SyncControl[M]>): ReturnType<SyncControl[M]> =>
      (leadership.leading
        ? (local[method] as (...a: unknown[]) => unknown)(...args)
        : requests.ask(method, args)) as ReturnType<SyncControl[M]>;
  const control: SyncControl = {
    ...local,
    sync: viaLeader('sync'),
    approve: viaLeader('approve'),
    drop: viaLeader('drop'),
    progress: viaLeader('progress'),
  };
  return {
    leading: () => leadership.leading,
    control,
    sessions: sharedSessions(pool, runtime.vault, { maxTtlMs: parts.sessionTtlMs }),
    async close() {
      for (const stop of unsubscribe) stop();
      requests.close();
      await leadership.stop();
    },
  };
}

/** The store's notifications: a store opened with `watch: false` cannot coordinate. */
export function listeningOf(store: PostgresStore): Notifications {
  if (!store.notifications) throw new Error('the PostgreSQL store was opened without watching for changes');
  return store.notifications;
}

/** Runs a previous leader left "running": it died or lost PostgreSQL mid-run, and nothing of them was applied. */
async function failOrphanedRuns(store: Store, logger: Logger): Promise<void> {
  for (const directory of await store.listDirectories()) {
    for (const run of await store.listRuns({ directoryId: directory.id, limit: 10 })) {
      if (run.status !== 'running') continue;
      await store.updateRun(run.id, {
        status: 'failed',
        finishedAt: new Date(),
        error: 'The crowdgate node running this sync stopped before it finished; nothing of it was applied',
      });
      logger.warn('a sync left running by a previous leader was recorded failed', {
        directory: directory.name,
        runId: run.id,
      });
    }
  }
}
