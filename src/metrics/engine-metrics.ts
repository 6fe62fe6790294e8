import { statSync } from 'node:fs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Directory } from '../domain/directory';
import type { ProviderStats } from '../providers/provider';
import type { Store } from '../store/store';
import type { DirectoryRunSummary, OperationalSummary } from '../store/sync-records';
import type { DirectoryAlert } from '../sync/directory-alerts';
import type { DirectoryHealth } from '../sync/control';
import type { SyncObserver } from '../sync/engine';
import { PREFIX } from './registry';

/** What the engine's process knows, read at scrape time. */
export interface EngineMetricSources {
  readonly store: Pick<Store, 'operationalSummary' | 'directoryCounts' | 'dataVersion' | 'listDirectories'>;
  /** The directories the engine runs now, with their provider's request statistics where it keeps them. */
  running(): ReadonlyArray<{ readonly directory: Directory; readonly stats?: ProviderStats }>;
  health(directoryName: string): DirectoryHealth;
  /** The alerts of every enabled directory (src/sync/directory-alerts.ts), by directory name. */
  alerts(summary: OperationalSummary): Promise<ReadonlyMap<string, readonly DirectoryAlert[]>>;
  /** The store's files (database and write-ahead log), for their size. */
  readonly databaseFiles: readonly string[];
}

const RUN_SECONDS_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

type ProviderCounter = keyof ProviderStats;

/**
 * The metrics of the process that runs the sync engine (the only process with `server.workers`
 * 1, the primary with more): sync runs as they end (a SyncObserver), and at scrape time the
 * store's contents, the providers' request statistics, credentials and alerts.
 *
 * Store counts are recounted only for a directory whose data version moved since the last scrape
 * (a count over a million memberships is not free, and SQLite reads block the event loop).
 */
export class EngineMetrics implements SyncObserver {
  private readonly runs: Counter<'directory' | 'mode' | 'outcome'>;
  private readonly runSeconds: Histogram<'directory' | 'mode'>;
  private readonly changes: Counter<'directory' | 'object' | 'change'>;
  private snapshot?: Promise<OperationalSummary>;
  private readonly counted = new Map<number, { version: number; counts: Record<string, number> }>();

  constructor(
    registry: Registry,
    private readonly sources: EngineMetricSources,
  ) {
    const registers = [registry];
    this.runs = new Counter({
      name: `${PREFIX}sync_runs_total`,
      help: 'Sync runs ended, by directory, mode (full, incremental) and outcome (succeeded, failed, awaiting-approval, dry-run)',
      labelNames: ['directory', 'mode', 'outcome'],
      registers,
    });
    this.runSeconds = new Histogram({
      name: `${PREFIX}sync_run_duration_seconds`,
      help: 'Duration of sync runs from start to end (read, plan, apply), by directory and mode',
      labelNames: ['directory', 'mode'],
      buckets: RUN_SECONDS_BUCKETS,
      registers,
    });
    this.changes = new Counter({
      name: `${PREFIX}sync_changes_total`,
      help: 'Changes applied by sync runs, by directory, object (users, groups, memberships) and change (added, updated, renamed, deactivated, removed)',
      labelNames: ['directory', 'object', 'change'],
      registers,
    });
    this.storeGauges(registers);
    this.providerCounters(registers);
    this.healthGauges(registers);
  }

  runEnded: SyncObserver['runEnded'] = (run) => {
    this.runs.inc({ directory: run.directory, mode: run.mode, outcome: run.status });
    // An approval applies a plan made earlier: its run's time was observed when it was held.
    if (run.seconds > 0) this.runSeconds.observe({ directory: run.directory, mode: run.mode }, run.seconds);
    if (!run.applied) return;
    const applied = run.applied;
    const add = (object: string, change: string, value: number) =>
      this.changes.inc({ directory: run.directory, object, change }, value);
    add('users', 'added', applied.usersAdded);
    add('users', 'updated', applied.usersUpdated);
    add('users', 'renamed', applied.usersRenamed);
    add('users', 'deactivated', applied.usersDeactivated);
    add('users', 'removed', applied.usersRemoved);
    add('groups', 'added', applied.groupsAdded);
    add('groups', 'updated', applied.groupsUpdated);
    add('groups', 'removed', applied.groupsRemoved);
    add('memberships', 'added', applied.membershipsAdded);
    add('memberships', 'removed', applied.membershipsRemoved);
  };

  /** The readers the collect functions use (they run with `this` bound to their metric). */
  private reader() {
    return {
      sources: this.sources,
      summary: () => this.summary(),
      directoryNames: () => this.directoryNames(),
      countsOf: (directoryId: number) => this.countsOf(directoryId),
    };
  }

  /**
   * A scrape reads the store once, however many metrics use it: prom-client starts every collect
   * function in one turn of the event loop, so the read is shared until the next turn. Not longer:
   * a scrape right after a run must see it (a time-based cache answered the previous state).
   */
  private summary(): Promise<OperationalSummary> {
    if (!this.snapshot) {
      this.snapshot = this.sources.store.operationalSummary();
      setImmediate(() => (this.snapshot = undefined));
    }
    return this.snapshot;
  }

  private async directoryNames(): Promise<Map<number, string>> {
    return new Map((await this.sources.store.listDirectories()).map((d) => [d.id, d.name]));
  }

  private storeGauges(registers: Registry[]): void {
    const metrics = this.reader();
    new Gauge({
      name: `${PREFIX}store_objects`,
      help: 'What the store holds per directory: users, active_users, groups, memberships (direct user and group memberships)',
      labelNames: ['directory', 'object'],
      registers,
      async collect() {
        this.reset();
        for (const [id, name] of await metrics.directoryNames()) {
          const counts = await metrics.countsOf(id);
          for (const [object, value] of Object.entries(counts)) this.set({ directory: name, object }, value);
        }
      },
    });
    new Gauge({
      name: `${PREFIX}store_event_log_entries`,
      help: 'Entries in the Crowd event log (incremental sync for Jira; bounded by its retention)',
      registers,
      async collect() {
        this.set((await metrics.summary()).eventLogLength);
      },
    });
    new Gauge({
      name: `${PREFIX}store_database_bytes`,
      help: 'Size of the store on disk (database file and write-ahead log)',
      registers,
      collect() {
        let bytes = 0;
        for (const file of metrics.sources.databaseFiles) {
          try {
            bytes += statSync(file).size;
          } catch {
            // no write-ahead log right now
          }
        }
        this.set(bytes);
      },
    });
    const perDirectory = (name: string, help: string, value: (d: DirectoryRunSummary) => number | undefined) =>
      new Gauge({
        name: `${PREFIX}${name}`,
        help,
        labelNames: ['directory'],
        registers,
        async collect() {
          this.reset();
          const names = await metrics.directoryNames();
          for (const d of (await metrics.summary()).directories) {
            const directory = names.get(d.directoryId);
            const measured = value(d);
            if (directory !== undefined && measured !== undefined) this.set({ directory }, measured);
          }
        },
      });
    perDirectory(
      'sync_last_success_age_seconds',
      'Seconds since the last successful sync run of each directory ended (absent: never)',
      (d) => (d.lastSuccessAt ? (Date.now() - d.lastSuccessAt.getTime()) / 1000 : undefined),
    );
    perDirectory(
      'sync_runs_awaiting_approval',
      "1 when the directory's newest run is a plan waiting for an administrator's approval",
      (d) => (d.latestStatus === 'awaiting-approval' ? 1 : 0),
    );
  }

  private async countsOf(directoryId: number): Promise<Record<string, number>> {
    const version = await this.sources.store.dataVersion(directoryId);
    const cached = this.counted.get(directoryId);
    if (cached && cached.version === version) return cached.counts;
    const { users, activeUsers, groups, memberships } = await this.sources.store.directoryCounts(directoryId);
    const counts = { users, active_users: activeUsers, groups, memberships };
    this.counted.set(directoryId, { version, counts });
    return counts;
  }

  private providerCounters(registers: Registry[]): void {
    const metrics = this.reader();
    const counter = (field: ProviderCounter, name: string, help: string) =>
      new Counter({
        name: `${PREFIX}${name}`,
        help,
        labelNames: ['provider', 'directory'],
        registers,
        collect() {
          this.reset();
          for (const { directory, stats } of metrics.sources.running())
            if (stats) this.inc({ provider: directory.provider, directory: directory.name }, stats[field]);
        },
      });
    counter(
      'requests',
      'provider_requests_total',
      'HTTP requests sent to the identity provider (API and token endpoint), each try counted',
    );
    counter(
      'retries',
      'provider_retries_total',
      'Requests tried again after throttling, a transient failure or a refused token',
    );
    counter(
      'throttled',
      'provider_throttled_total',
      'Answers refusing for rate limits (429; Google 403 quota answers; Entra $batch items)',
    );
    counter('errors', 'provider_errors_total', 'Provider calls that failed after their retries');
    counter(
      'rateLimitWaitSeconds',
      'provider_rate_limit_wait_seconds_total',
      "Seconds spent waiting for the provider's rate limits (pacing and Retry-After)",
    );
  }

  private healthGauges(registers: Registry[]): void {
    const metrics = this.reader();
    new Gauge({
      name: `${PREFIX}credential_expiry_seconds`,
      help: "Seconds until the directory's provider credential expires, where the provider tells (Entra client secret with Application.Read.All, Entra certificate)",
      labelNames: ['directory', 'provider'],
      registers,
      collect() {
        this.reset();
        for (const { directory } of metrics.sources.running()) {
          const findings = metrics.sources.health(directory.name).access?.report.findings ?? [];
          const expiry = findings.find((f) => f.code === 'SECRET_EXPIRY' && f.expiresAt)?.expiresAt;
          if (expiry)
            this.set(
              { directory: directory.name, provider: directory.provider },
              (expiry.getTime() - Date.now()) / 1000,
            );
        }
      },
    });
    new Gauge({
      name: `${PREFIX}directory_alerts`,
      help: 'Alerts on each enabled directory (1 per alert; the same list as the GraphQL Directory.warnings): PROVIDER_NOT_OPEN, LAST_RUN_FAILED, AWAITING_APPROVAL, SYNC_STALE, THROTTLED_REPEATEDLY, CREDENTIAL_EXPIRING, CONNECTION_TEST_FAILING, CONNECTION_TEST_WARNS',
      labelNames: ['directory', 'alert'],
      registers,
      async collect() {
        this.reset();
        for (const [directory, alerts] of await metrics.sources.alerts(await metrics.summary()))
          for (const alert of alerts) this.inc({ directory, alert: alert.code });
      },
    });
  }
}
