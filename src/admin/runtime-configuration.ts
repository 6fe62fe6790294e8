import { DirectoryError } from '../domain/errors';
import { foldName } from '../domain/names';
import type { Logger } from '../logging/logger';
import {
  applicationEntrySchema,
  directoryEntrySchema,
  type ApplicationConfig,
  type Config,
  type DirectoryConfig,
} from '../config/schema';
import type { AdminTokenRecord, ConfigKind, StoredConfigEntry, StoredConfiguration } from '../store/config-records';
import type { Store } from '../store/store';
import type { SecretVault } from './secret-vault';

export type ManagedBy = 'FILE' | 'API';

interface Managed {
  readonly managedBy: ManagedBy;
  /** FILE entries are always at version 1 (they change only with the file and a restart). */
  readonly version: number;
  readonly enabled: boolean;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
}

/** A directory as the engine, the facade and the API see it: the file's entries and the store's, secrets included. */
export interface ConfiguredDirectory extends Managed {
  readonly config: DirectoryConfig;
}

export interface ConfiguredApplication extends Managed {
  readonly config: ApplicationConfig;
}

/** The configuration in effect: one immutable value per generation. */
export interface EffectiveConfiguration {
  readonly generation: number;
  /** Precedence order. */
  readonly directories: readonly ConfiguredDirectory[];
  readonly applications: readonly ConfiguredApplication[];
  /** Tokens made through the API (the file's are in `file.adminTokens`). */
  readonly adminTokens: readonly AdminTokenRecord[];
  /** The store's rows this was built from. */
  readonly stored: StoredConfiguration;
}

/** How often each process looks for changes made by another (the API promises ≤ 1 s). */
export const CONFIGURATION_POLL_MS = 250;

/**
 * The runtime configuration of one process: the configuration file (or the demo's, or nothing on
 * a first start) merged with the directories, applications and tokens made through the
 * administration API and kept in the store. Every process sharing the store (serving workers,
 * `crowdgate sync`) polls the store's generation and reloads when it moved, so a change made by
 * one is in effect in all within CONFIGURATION_POLL_MS plus a reload.
 *
 * Rules: an API entry may not reuse a file entry's name (a start-up error naming both places);
 * an API entry that no longer validates (a newer crowdgate's setting, a damaged row) is left out
 * with an error in the log, never half-applied.
 */
export class RuntimeConfiguration {
  private value: EffectiveConfiguration;
  private readonly listeners: ((value: EffectiveConfiguration, previous: EffectiveConfiguration) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;

  private constructor(
    readonly file: Config,
    /** Where the file's entries come from, for messages: `crowdgate.yaml`, `the built-in demo`. */
    readonly fileLabel: string,
    private readonly store: Store,
    readonly vault: SecretVault,
    private readonly logger: Logger,
    stored: StoredConfiguration,
    tokens: readonly AdminTokenRecord[],
  ) {
    this.value = this.effective(stored, tokens, true);
  }

  static async open(options: {
    file: Config;
    fileLabel: string;
    store: Store;
    vault: SecretVault;
    logger: Logger;
  }): Promise<RuntimeConfiguration> {
    const { file, fileLabel, store, vault, logger } = options;
    return new RuntimeConfiguration(
      file,
      fileLabel,
      store,
      vault,
      logger,
      await store.loadConfiguration(),
      await store.listAdminTokens(),
    );
  }

  current(): EffectiveConfiguration {
    return this.value;
  }

  /** The sealed secrets of an API entry, as stored. */
  sealedSecrets(kind: ConfigKind, name: string): string | null {
    const folded = foldName(name);
    return this.value.stored.entries.find((e) => e.kind === kind && foldName(e.name) === folded)?.sealedSecrets ?? null;
  }

  /** Called after every change with the new and the previous configuration. */
  onChange(listener: (value: EffectiveConfiguration, previous: EffectiveConfiguration) => void): void {
    this.listeners.push(listener);
  }

  /** Starts polling the store's generation (the timer does not keep the process alive). */
  watch(intervalMs = CONFIGURATION_POLL_MS): void {
    this.timer ??= setInterval(() => void this.refresh().catch((e: unknown) => this.logReloadError(e)), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reloads when the store's generation moved; concurrent calls share one reload. */
  refresh(): Promise<void> {
    this.reloading ??= this.reload().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** Takes a configuration just written by this process (no need to wait for the poll). */
  adopt(stored: StoredConfiguration, tokens: readonly AdminTokenRecord[]): void {
    if (stored.generation < this.value.generation) return;
    this.publish(this.effective(stored, tokens, false));
  }

  private async reload(): Promise<void> {
    if ((await this.store.configurationGeneration()) === this.value.generation) return;
    const [stored, tokens] = [await this.store.loadConfiguration(), await this.store.listAdminTokens()];
    if (stored.generation > this.value.generation) this.publish(this.effective(stored, tokens, false));
  }

  private publish(next: EffectiveConfiguration): void {
    const previous = this.value;
    this.value = next;
    for (const listener of this.listeners) {
      try {
        listener(next, previous);
      } catch (error) {
        this.logReloadError(error);
      }
    }
  }

  private logReloadError(error: unknown): void {
    this.logger.error('configuration reload failed', { error: error instanceof Error ? error.message : String(error) });
  }

  private effective(
    stored: StoredConfiguration,
    adminTokens: readonly AdminTokenRecord[],
    starting: boolean,
  ): EffectiveConfiguration {
    const fileDirectories = new Map(this.file.directories.map((d) => [foldName(d.name), d]));
    const fileApplications = new Map(this.file.applications.map((a) => [foldName(a.name), a]));
    const fileTokens = new Set(this.file.adminTokens.map((t) => foldName(t.name)));
    const directories: ConfiguredDirectory[] = this.file.directories.map((config) => ({ config, ...FILE_ENTRY }));
    const applications: ConfiguredApplication[] = this.file.applications.map((config) => ({ config, ...FILE_ENTRY }));
    for (const entry of stored.entries) {
      const shadowed = (entry.kind === 'directory' ? fileDirectories : fileApplications).has(foldName(entry.name));
      if (shadowed) {
        const problem = `${entry.kind} "${entry.name}" is defined in ${this.fileLabel} and through the administration API (in the store); delete one of them`;
        if (starting) throw new DirectoryError('CONFIGURATION', problem);
        this.logger.error('configuration entry ignored', { problem });
        continue;
      }
      const managed = apiEntry(entry);
      try {
        if (entry.kind === 'directory') directories.push({ config: this.directoryOf(entry), ...managed });
        else applications.push({ config: applicationEntrySchema.parse(entry.body), ...managed });
      } catch (error) {
        this.logger.error('configuration entry ignored', {
          entry: `${entry.kind} ${entry.name}`,
          problem: error instanceof Error ? error.message : String(error),
        });
      }
    }
    for (const token of adminTokens) {
      if (fileTokens.has(foldName(token.name)) && starting)
        throw new DirectoryError(
          'CONFIGURATION',
          `administrator token "${token.name}" is defined in ${this.fileLabel} and through the administration API (in the store); revoke one of them`,
        );
    }
    return {
      generation: stored.generation,
      directories: ordered(directories, stored.directoryOrder),
      applications,
      adminTokens,
      stored,
    };
  }

  /** The stored body with its secrets put back into the provider block, validated as a file entry. */
  private directoryOf(entry: StoredConfigEntry): DirectoryConfig {
    const secrets = this.vault.open('directory', entry.name, entry.sealedSecrets);
    const body: Record<string, unknown> = { ...entry.body };
    const kind = typeof body.provider === 'string' ? body.provider : '';
    if (Object.keys(secrets).length > 0) {
      const block = body[kind];
      body[kind] = { ...(typeof block === 'object' && block !== null ? block : {}), ...secrets };
    }
    return directoryEntrySchema.parse(body);
  }
}

const FILE_ENTRY: Managed = { managedBy: 'FILE', version: 1, enabled: true, createdAt: null, updatedAt: null };

function apiEntry(entry: StoredConfigEntry): Managed {
  return {
    managedBy: 'API',
    version: entry.version,
    enabled: entry.enabled,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

/** `order` first (names it has that exist), then the others as they come (file order, then creation). */
function ordered(directories: readonly ConfiguredDirectory[], order: readonly string[]): ConfiguredDirectory[] {
  const rank = new Map(order.map((name, index) => [foldName(name), index]));
  const indexed = directories.map((d, index) => ({
    d,
    key: rank.get(foldName(d.config.name)) ?? order.length + index,
  }));
  return indexed.sort((a, b) => a.key - b.key).map(({ d }) => d);
}
