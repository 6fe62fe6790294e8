import type { ConfiguredDirectory, EffectiveConfiguration } from '../admin/runtime-configuration';
import type { DirectoryConfig } from '../config/schema';
import { foldName } from '../domain/names';
import { describeError, type Logger } from '../logging/logger';
import type { ProviderHandle } from '../providers/registry';
import type { Store } from '../store/store';
import type { RunTrigger } from '../store/sync-records';
import type { DirectoryHealth } from '../sync/control';
import type { SyncDirectory, SyncEngine } from '../sync/engine';
import type { SyncScheduler } from '../sync/scheduler';
import { openDirectoryProvider } from './open-provider';

interface Running {
  readonly directory: ConfiguredDirectory;
  readonly entry: SyncDirectory;
  readonly handle: ProviderHandle;
  /** The newest background connection test. */
  access: DirectoryHealth['access'];
  readonly timer?: NodeJS.Timeout;
}

/**
 * How often each running directory's connection test is repeated in the background: a few times a
 * day catches a revoked permission or an expiring secret (Entra warns 30 days ahead) long before a
 * sync fails, at the cost of a handful of provider requests.
 */
const HEALTH_CHECK_INTERVAL_MS = 6 * 60 * 60_000;

/**
 * Keeps the sync engine's directories equal to the enabled directories of the runtime
 * configuration: a new (or re-enabled) directory's provider opens, it joins the engine and the
 * schedule and is synchronised at once; a changed one (new version) is closed and opened again
 * with its new settings; a deleted or disabled one leaves the schedule and the engine (after its
 * run in progress) and its provider closes. Changes are applied one after another, in order.
 * A provider that fails to open is logged and reported by `health` (the directory's status); each
 * running directory's connection test runs in the background when it opens and every few hours
 * (its warnings: a missing permission, a secret that expires soon).
 *
 * With several nodes on one PostgreSQL store only the leader schedules and runs syncs
 * (src/nodes/): a follower's directories join its engine (for connection tests and password
 * checks) without a schedule or a first run, until `lead` starts both; `follow` stops them again.
 */
export class DirectorySupervisor {
  private readonly running = new Map<string, Running>();
  private readonly failures = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();
  private readonly pendingChecks = new Set<Promise<void>>();

  constructor(
    private readonly engine: SyncEngine,
    private readonly scheduler: SyncScheduler,
    private readonly store: Store,
    private readonly logger: Logger,
    /** False for `crowdgate sync`: directories join the engine only, without a schedule or a first run. */
    private readonly autoRun = true,
    private readonly open: (directory: DirectoryConfig) => Promise<ProviderHandle> = openDirectoryProvider,
    /** False on a node that does not lead (yet): see `lead`. */
    private leading = true,
  ) {}

  /**
   * This node now runs the syncs: every running directory joins the schedule and is synchronised
   * once now (`trigger`), as at a start; directories opened later are too.
   */
  lead(trigger: RunTrigger): Promise<Map<string, Promise<unknown>>> {
    return this.enqueue(async () => {
      this.leading = true;
      const firstRuns = new Map<string, Promise<unknown>>();
      if (!this.autoRun) return firstRuns;
      for (const running of this.running.values())
        firstRuns.set(running.entry.directory.name, this.schedule(running.entry, trigger));
      return firstRuns;
    });
  }

  /** This node stops running syncs: the schedule stops, runs still reading are abandoned (one applying finishes). */
  follow(): Promise<void> {
    return this.enqueue(async () => {
      this.leading = false;
      for (const running of this.running.values()) this.scheduler.remove(running.entry.directory.name);
      await this.engine.abandonRuns();
    });
  }

  /** Why the directory's provider could not open, and its newest background connection test. */
  health(name: string): DirectoryHealth {
    const key = foldName(name);
    return { openFailure: this.failures.get(key) ?? null, access: this.running.get(key)?.access ?? null };
  }

  /**
   * Brings the engine to `effective`. `strict` (at start): a provider that fails to open is an
   * error (as before runtime configuration); otherwise it is logged and the others go on.
   * Resolves with the first run of each directory it opened, by name (not awaited here).
   */
  apply(
    effective: EffectiveConfiguration,
    options: { strict?: boolean; trigger?: RunTrigger } = {},
  ): Promise<Map<string, Promise<unknown>>> {
    return this.enqueue(() => this.applyNow(effective, options));
  }

  /** Runs `step` after every change queued before it. */
  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step);
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** Joins the schedule and starts the directory's first run on this node. */
  private schedule(entry: SyncDirectory, trigger: RunTrigger): Promise<unknown> {
    this.scheduler.add(entry);
    return this.engine.sync(entry.directory.name, { mode: 'full', trigger }).catch(() => undefined);
  }

  /** Settles when the connection tests started so far (each directory's first, when it opened) have ended. */
  async firstChecks(): Promise<void> {
    await this.chain;
    await Promise.all([...this.pendingChecks]);
  }

  /** Stops every directory and closes its provider. */
  async close(): Promise<void> {
    await this.chain;
    await Promise.all([...this.running.keys()].map((key) => this.stop(key)));
  }

  private async applyNow(
    effective: EffectiveConfiguration,
    { strict = false, trigger = 'configuration' }: { strict?: boolean; trigger?: RunTrigger },
  ): Promise<Map<string, Promise<unknown>>> {
    const wanted = new Map(effective.directories.filter((d) => d.enabled).map((d) => [foldName(d.config.name), d]));
    for (const [key, running] of [...this.running]) {
      const next = wanted.get(key);
      if (!next || next.version !== running.directory.version || next.managedBy !== running.directory.managedBy)
        await this.stop(key);
    }
    for (const key of this.failures.keys()) if (!wanted.has(key)) this.failures.delete(key);
    const opening = [...wanted].filter(([key]) => !this.running.has(key));
    if (opening.length === 0) return new Map();
    const rows = new Map((await this.store.listDirectories()).map((d) => [foldName(d.name), d]));
    const firstRuns = new Map<string, Promise<unknown>>();
    for (const [key, directory] of opening) {
      const row = rows.get(key);
      if (!row) continue; // deleted again meanwhile: a later apply has it
      let handle: ProviderHandle;
      try {
        handle = await this.open(directory.config);
      } catch (error) {
        if (strict) throw error;
        this.failures.set(key, error instanceof Error ? error.message : String(error));
        this.logger.error('directory provider could not open', {
          directory: directory.config.name,
          ...describeError(error),
        });
        continue;
      }
      this.failures.delete(key);
      const entry = { directory: row, provider: handle.provider, settings: directory.config };
      this.engine.addDirectory(entry);
      if (!this.autoRun) {
        this.running.set(key, { directory, entry, handle, access: null });
        continue;
      }
      const running: Running = {
        directory,
        entry,
        handle,
        access: null,
        timer: setInterval(() => void check(), HEALTH_CHECK_INTERVAL_MS),
      };
      running.timer!.unref();
      const check = async () => {
        try {
          running.access = { at: new Date(), report: await handle.provider.checkAccess() };
        } catch (error) {
          this.logger.warn('background connection test failed', {
            directory: directory.config.name,
            ...describeError(error),
          });
        }
      };
      const first = check().finally(() => this.pendingChecks.delete(first));
      this.pendingChecks.add(first);
      this.running.set(key, running);
      if (this.leading) firstRuns.set(row.name, this.schedule(entry, trigger));
    }
    return firstRuns;
  }

  private async stop(key: string): Promise<void> {
    const running = this.running.get(key);
    if (!running) return;
    this.running.delete(key);
    if (running.timer) clearInterval(running.timer);
    this.scheduler.remove(running.directory.config.name);
    await this.engine.removeDirectory(running.directory.config.name);
    await running.handle.close();
  }
}
