import 'reflect-metadata';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { RuntimeConfiguration } from '../admin/runtime-configuration';
import type { Config } from '../config/schema';
import { openConfiguredStore } from '../store/open';
import type { Registry } from 'prom-client';
import { EngineMetrics } from '../metrics/engine-metrics';
import { processRegistry } from '../metrics/registry';
import { leaderGauge, serverMetrics, sessionsGauge } from '../metrics/server-metrics';
import { DEFAULT_SESSION_TTL_MS, type Sessions } from '../../facades/crowd/session-store';
import { startNodeCoordination, type NodeCoordination } from '../nodes/node-coordination';
import { countSharedSessions } from '../nodes/shared-sessions';
import { sharedLoginLimitsOf, type SharedLoginLimits } from '../nodes/shared-login-limits';
import { PostgresStore } from '../store/postgres/postgres-store';
import { openDirectoryProvider } from './open-provider';
import { allDirectoryAlerts, reportAlertsDaily } from './alert-report';
import { engineMetricSources } from './engine-metric-sources';
import type { Store } from '../store/store';
import { localControl, type SyncControl } from '../sync/control';
import { SyncEngine } from '../sync/engine';
import { SyncScheduler } from '../sync/scheduler';
import type { Logger } from '../logging/logger';
import { issueSetupToken } from '../admin/token-admin';
import { DirectorySupervisor } from './directory-supervisor';
import { openRuntimeConfiguration } from './open-runtime';
import { startServer, type RunningServer } from './server';
import type { TlsReload } from '../http/tls';

export interface Crowdgate {
  readonly server: RunningServer;
  readonly engine: SyncEngine;
  readonly runtime: RuntimeConfiguration;
  /** See RunningEngine.setupToken. */
  readonly setupToken: string | undefined;
  /** Re-reads the `server.tls` files (SIGHUP): RunningServer.reloadTls. */
  reloadTls(): Promise<TlsReload>;
  stop(): Promise<void>;
}

/** Where a configuration came from, for messages ("… is managed by crowdgate.yaml"). */
export interface ConfigSource {
  readonly fileLabel?: string;
}

const DEFAULT_FILE_LABEL = 'the configuration file';

export interface OpenEngine {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly runtime: RuntimeConfiguration;
  readonly supervisor: DirectorySupervisor;
  readonly scheduler: SyncScheduler;
  /** The first run of each directory opened at start, by name (none with `startRuns: false`). */
  readonly firstRuns: ReadonlyMap<string, Promise<unknown>>;
  /** Directories that had no run before this start. */
  readonly neverSynced: ReadonlySet<string>;
  /** This process's metrics registry, with the engine's metrics (EngineMetrics); absent with `metrics: false`. */
  readonly registry?: Registry;
  /**
   * Stops the schedule and the configuration's polling, abandons the runs still reading (recorded
   * as failed, nothing applied) and lets one applying finish, closes the providers and the store.
   */
  close(): Promise<void>;
}

/**
 * Opens the store, the runtime configuration (the file's directories and those made through the
 * API), their providers and the sync engine (also used by `crowdgate sync`, which does not start
 * the schedule: `firstRuns` are not started there either). The store's directory rows follow the
 * configuration's precedence order.
 */
export async function openEngine(
  config: Config,
  logger: Logger,
  source: ConfigSource = {},
  options: { startRuns?: boolean; metrics?: boolean; leading?: boolean } = {},
): Promise<OpenEngine> {
  // A SQLite store is held: `crowdgate restore` refuses while it is held (and a start is refused
  // during a restore), so the store is never swapped under an open connection.
  const store = await openConfiguredStore(config, { hold: true, logger });
  let runtime: RuntimeConfiguration | undefined;
  try {
    runtime = await openRuntimeConfiguration({
      config,
      fileLabel: source.fileLabel ?? DEFAULT_FILE_LABEL,
      store,
      logger,
    });
    const effective = runtime.current();
    const rows = await store.upsertDirectories(
      effective.directories.map((d) => ({ name: d.config.name, provider: d.config.provider })),
    );
    const neverSynced = new Set<string>();
    for (const row of rows)
      if ((await store.listRuns({ directoryId: row.id, limit: 1 })).length === 0) neverSynced.add(row.name);
    // The engine tells the metrics of each run's end; they are made once the supervisor exists.
    let engineMetrics: EngineMetrics | undefined;
    const engine = new SyncEngine(store, [], logger, { runEnded: (run) => engineMetrics?.runEnded(run) });
    const scheduler = new SyncScheduler(engine);
    const supervisor = new DirectorySupervisor(
      engine,
      scheduler,
      store,
      logger,
      options.startRuns ?? true,
      openDirectoryProvider,
      options.leading ?? true,
    );
    const registry = options.metrics ? processRegistry() : undefined;
    if (registry) {
      const opened = { store, runtime, engine: () => engine, supervisor: () => supervisor, config };
      engineMetrics = new EngineMetrics(registry, engineMetricSources(opened));
    }
    const opened = runtime;
    const close = async () => {
      opened.stop();
      scheduler.stop();
      // A run still reading ends without applying anything; one applying finishes (one transaction).
      await engine.abandonRuns();
      await supervisor.close();
      await store.close();
    };
    try {
      const firstRuns = await supervisor.apply(effective, { strict: true, trigger: 'startup' });
      return {
        store,
        engine,
        runtime,
        supervisor,
        scheduler,
        firstRuns,
        neverSynced,
        ...(registry ? { registry } : {}),
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  } catch (error) {
    runtime?.stop();
    await store.close().catch(() => undefined);
    throw error;
  }
}

/** The engine side of a running crowdgate: opened, first runs done or under way, on schedule, following configuration changes. */
export interface RunningEngine extends OpenEngine {
  /** The one-time setup token of a first start (no administrator token anywhere), to print; else undefined. */
  readonly setupToken: string | undefined;
  /** What GraphQL asks of the engine: this process's, or, on a PostgreSQL store, the leader's (src/nodes/). */
  readonly control: SyncControl;
  /** Crowd SSO sessions shared by every node of a PostgreSQL store; undefined: each process keeps its own. */
  readonly sessions?: Sessions;
  /** Live SSO sessions of `sessions`, for the metrics. */
  readonly sessionCount?: () => Promise<number>;
}

/**
 * Opens the engine and starts it: a directory that has never been synchronised is synchronised
 * before this resolves (so the demo is ready when its URL is printed); the others are refreshed
 * in the background: Jira is served from the store, never live, and must not wait for a slow
 * provider. From then on, configuration changes (made here or by another process) open, change
 * and close directories as they happen.
 */
export async function startEngine(config: Config, logger: Logger, source: ConfigSource = {}): Promise<RunningEngine> {
  const shared = config.store?.kind === 'postgres' ? config.store : undefined;
  // On a shared store every node starts as a follower; the election decides (src/nodes/).
  const opened = await openEngine(config, logger, source, {
    metrics: config.metrics?.enabled !== false,
    leading: shared === undefined,
  });
  const { runtime, supervisor, store, engine } = opened;
  const local = localControl(engine, (name) => supervisor.health(name));
  let setupToken: string | undefined;
  let coordination: NodeCoordination | undefined;
  try {
    if (shared && store instanceof PostgresStore) {
      coordination = await startNodeCoordination({
        url: shared.url,
        store,
        runtime,
        local,
        logger,
        sessionTtlMs: DEFAULT_SESSION_TTL_MS,
        duties: {
          lead: async () => void (await supervisor.lead('startup')),
          follow: () => supervisor.follow(),
        },
      });
      if (opened.registry) leaderGauge(opened.registry, coordination.leading);
    }
    setupToken = await issueSetupToken(store, config.adminTokens.length);
    if (setupToken) runtime.adopt(await store.loadConfiguration(), await store.listAdminTokens());
    for (const [name, run] of opened.firstRuns) if (opened.neverSynced.has(name)) await run;
    runtime.onChange((next) => void supervisor.apply(next));
    // A change made between the first read and the listener above is picked up now.
    void supervisor.apply(runtime.current());
  } catch (error) {
    await coordination?.close();
    await opened.close();
    throw error;
  }
  // Alerts in the log once the first runs and connection tests are in, then daily.
  const stopReports = reportAlertsDaily(
    () => allDirectoryAlerts(store, runtime, (name) => supervisor.health(name)),
    logger,
    Promise.allSettled([...opened.firstRuns.values(), supervisor.firstChecks()]),
  );
  const pool = store instanceof PostgresStore ? store.pool : undefined;
  return {
    ...opened,
    setupToken,
    control: coordination?.control ?? local,
    ...(coordination ? { sessions: coordination.sessions } : {}),
    ...(pool ? { sessionCount: () => countSharedSessions(pool) } : {}),
    close: async () => {
      stopReports();
      // Leadership first: another node takes the schedule over while this one drains.
      await coordination?.close();
      await opened.close();
    },
  };
}

/** Starts crowdgate in one process: the engine (startEngine) and the HTTP server. */
export async function startCrowdgate(config: Config, logger: Logger, source: ConfigSource = {}): Promise<Crowdgate> {
  const running = await startEngine(config, logger, source);
  const { store, engine, runtime } = running;
  let shared: SharedLoginLimits | undefined;
  try {
    const schema = await buildCrowdgateSchema();
    const metrics = running.registry ? serverMetrics(running.registry) : undefined;
    if (metrics && running.sessionCount) sessionsGauge(metrics.registry, running.sessionCount);
    shared = await sharedLoginLimitsOf(config, store, logger);
    const server = await startServer({
      config,
      store,
      schema,
      runtime,
      engine: running.control,
      logger,
      ...(running.sessions ? { sessions: running.sessions } : {}),
      ...(shared ? { loginLimits: shared.limits } : {}),
      ...(metrics ? { metrics } : {}),
    });
    return {
      server,
      engine,
      runtime,
      setupToken: running.setupToken,
      reloadTls: () => server.reloadTls(),
      stop: async () => {
        // Beside the drain, not after it: a run still reading ends now, so a syncDirectory request
        // waiting for it is answered within the grace period and nothing read after SIGTERM is applied.
        const abandoned = engine.abandonRuns();
        await server.close();
        await abandoned;
        await shared?.close();
        await running.close();
      },
    };
  } catch (error) {
    await shared?.close();
    await running.close();
    throw error;
  }
}
