import type { ConfiguredDirectory, EffectiveConfiguration } from '../admin/runtime-configuration';
import { foldName } from '../domain/names';
import { describeError, type Logger } from '../logging/logger';
import type { ProviderHandle } from '../providers/registry';
import type { Store } from '../store/store';
import type { RunTrigger } from '../store/sync-records';
import type { SyncEngine } from '../sync/engine';
import type { SyncScheduler } from '../sync/scheduler';
import { openDirectoryProvider } from './open-provider';

interface Running {
  readonly directory: ConfiguredDirectory;
  readonly handle: ProviderHandle;
}

/**
 * Keeps the sync engine's directories equal to the enabled directories of the runtime
 * configuration: a new (or re-enabled) directory's provider opens, it joins the engine and the
 * schedule and is synchronised at once; a changed one (new version) is closed and opened again
 * with its new settings; a deleted or disabled one leaves the schedule and the engine (after its
 * run in progress) and its provider closes. Changes are applied one after another, in order.
 * A provider that fails to open is logged and reported by `openFailure` (the directory's status).
 */
export class DirectorySupervisor {
  private readonly running = new Map<string, Running>();
  private readonly failures = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: SyncEngine,
    private readonly scheduler: SyncScheduler,
    private readonly store: Store,
    private readonly logger: Logger,
    /** False for `crowdgate sync`: directories join the engine only, without a schedule or a first run. */
    private readonly autoRun = true,
  ) {}

  /** Why the directory's provider could not open, if it could not. */
  openFailure(name: string): string | undefined {
    return this.failures.get(foldName(name));
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
    const step = this.chain.then(() => this.applyNow(effective, options));
    this.chain = step.then(
      () => undefined,
      () => undefined,
    );
    return step;
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
        handle = await openDirectoryProvider(directory.config);
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
      this.running.set(key, { directory, handle });
      if (!this.autoRun) continue;
      this.scheduler.add(entry);
      firstRuns.set(
        row.name,
        this.engine.sync(row.name, { mode: 'full', trigger }).catch(() => undefined),
      );
    }
    return firstRuns;
  }

  private async stop(key: string): Promise<void> {
    const running = this.running.get(key);
    if (!running) return;
    this.running.delete(key);
    this.scheduler.remove(running.directory.config.name);
    await this.engine.removeDirectory(running.directory.config.name);
    await running.handle.close();
  }
}
