import { DEMO_USER_PASSWORD } from '../../config/demo';
import type { DemoSettings } from '../../config/schema';
import type { TenantState } from '../../emulators/core/tenant-state';
import { startEntraEmulator } from '../../emulators/entra';
import { createEntraProvider, parseEntraSettings } from '../../providers/entra';
import type {
  AccessReport,
  DeltaCapable,
  DeltaResult,
  DirectoryProvider,
  PasswordCapable,
  PasswordCheck,
  ProviderGroup,
  ProviderMember,
  ProviderUser,
} from '../../providers/provider';
import type { ProviderHandle } from '../../providers/registry';

/**
 * The `demo` directory, fed the real way: the generated tenant is served by an in-process Entra ID
 * emulator (HTTPS on loopback) and read through the Entra connector, Graph SDK and all.
 * Part of the composition root, not of the connectors: connectors know vendors, not our fakes of
 * them. It is loaded with a dynamic `import()` only when a directory says `provider: demo`, so a
 * production start never loads the emulators (see open-provider.ts).
 * DEMO ONLY: every user's password is `demo`, checked by the connector's ROPC path. `state` is the
 * emulator's live tenant, so a change to it shows up in the next sync.
 */
export class EntraDemoProvider implements DirectoryProvider, DeltaCapable, PasswordCapable {
  readonly kind = 'demo';

  private constructor(
    private readonly inner: DirectoryProvider & DeltaCapable & PasswordCapable & { close(): Promise<void> },
    readonly state: TenantState,
    private readonly stopEmulator: () => Promise<void>,
  ) {}

  static async start(directoryName: string, settings: DemoSettings): Promise<EntraDemoProvider> {
    const emulator = await startEntraEmulator({
      tenant: { seed: settings.seed, users: settings.users, groups: settings.groups },
      host: '127.0.0.1',
      port: 0,
    });
    for (const id of emulator.state.users.keys()) emulator.setUserPassword(id, DEMO_USER_PASSWORD);
    const entra = {
      ...(emulator.directoryConfig(directoryName)['entra'] as Record<string, unknown>),
      passwordAuthentication: true,
    };
    const inner = createEntraProvider(
      parseEntraSettings(entra, directoryName),
    ) as unknown as EntraDemoProvider['inner'];
    return new EntraDemoProvider(inner, emulator.state, () => emulator.close());
  }

  users(): AsyncIterable<ProviderUser> {
    return this.inner.users();
  }
  groups(): AsyncIterable<ProviderGroup> {
    return this.inner.groups();
  }
  members(group: ProviderGroup): AsyncIterable<ProviderMember> {
    return this.inner.members(group);
  }
  checkAccess(): Promise<AccessReport> {
    return this.inner.checkAccess();
  }
  deltaStart(): Promise<string> {
    return this.inner.deltaStart();
  }
  delta(cursor: string): Promise<DeltaResult> {
    return this.inner.delta(cursor);
  }
  checkPassword(login: string, password: string): Promise<PasswordCheck> {
    return this.inner.checkPassword(login, password);
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.stopEmulator();
  }
}

/** Starts the demo directory's emulator and provider, and returns them as one handle. */
export async function openDemoProvider(directoryName: string, settings: DemoSettings): Promise<ProviderHandle> {
  const provider = await EntraDemoProvider.start(directoryName, settings);
  return { provider, close: () => provider.close() };
}
