import { DirectoryScope } from '../../resolvers/directory-scope';
import type { ApplicationsByName } from '../../facades/crowd/application-auth';
import type { CrowdApplication } from '../../facades/crowd/application-auth';
import type { RuntimeConfiguration } from '../admin/runtime-configuration';
import type { Directory } from '../domain/directory';
import { foldName } from '../domain/names';
import { describeError, type Logger } from '../logging/logger';
import type { Store } from '../store/store';
import { AdminTokens, type AdminTokenCandidate } from './admin-auth';

/**
 * What the serving side reads on every request, rebuilt from the runtime configuration when it
 * changes: the directories GraphQL sees by default (enabled ones, in precedence order, with their
 * store ids), the Crowd applications by name (enabled ones, each seeing only enabled directories)
 * and the administrator tokens that may authenticate.
 */
export class ConfigurationViews {
  scope: DirectoryScope = new DirectoryScope([]);
  applications: ApplicationsByName = new Map();
  tokens: readonly AdminTokenCandidate[] = [];
  private rebuilding: Promise<void> = Promise.resolve();

  private constructor(
    private readonly runtime: RuntimeConfiguration,
    private readonly store: Store,
  ) {}

  static async open(runtime: RuntimeConfiguration, store: Store, logger: Logger): Promise<ConfigurationViews> {
    const views = new ConfigurationViews(runtime, store);
    await views.rebuild();
    runtime.onChange(() => {
      // A failed rebuild (the store closing under it) keeps the previous views and never blocks the next.
      views.rebuilding = views.rebuilding
        .then(() => views.rebuild())
        .catch((error: unknown) => logger.warn('configuration views not rebuilt', describeError(error)));
    });
    return views;
  }

  /** Resolves when the views reflect the latest configuration this process knows. */
  settled(): Promise<void> {
    return this.rebuilding;
  }

  private async rebuild(): Promise<void> {
    const effective = this.runtime.current();
    const rows = new Map((await this.store.listDirectories()).map((d) => [foldName(d.name), d]));
    const enabled: Directory[] = [];
    for (const d of effective.directories) {
      const row = rows.get(foldName(d.config.name));
      if (d.enabled && row) enabled.push({ ...row, position: enabled.length });
    }
    const served = new Set(enabled.map((d) => foldName(d.name)));
    const applications = new Map<string, CrowdApplication>();
    for (const a of effective.applications) {
      // A disabled application stays known, so Crowd clients get Crowd's 403 for an inactive one.
      if (!a.enabled) {
        applications.set(foldName(a.config.name), { ...a.config, directories: [], active: false });
        continue;
      }
      const directories = a.config.directories.filter((name) => served.has(foldName(name)));
      applications.set(foldName(a.config.name), { ...a.config, directories });
    }
    const now = Date.now();
    this.tokens = [
      ...AdminTokens.fromConfig(this.runtime.file.adminTokens),
      ...effective.adminTokens
        .filter((t) => t.expiresAt === null || t.expiresAt.getTime() > now)
        .map((t) => ({
          name: t.name,
          digest: Buffer.from(t.digest, 'hex'),
          scope: t.setup ? ('SETUP' as const) : t.scope,
          ...(t.expiresAt ? { expiresAt: t.expiresAt.getTime() } : {}),
        })),
    ];
    this.scope = new DirectoryScope(enabled, [...rows.values()]);
    this.applications = applications;
  }
}
