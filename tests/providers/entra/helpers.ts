import type { SyncSettings } from '../../../src/config/sync-schema';
import { startEntraEmulator, type EntraEmulatorOptions, type RunningEntraEmulator } from '../../../src/emulators/entra';
import type { TenantSpec } from '../../../src/emulators/tenant';
import { createEntraProvider, parseEntraSettings, type EntraProvider, type EntraProviderOptions } from '../../../src/providers/entra';
import { connectorHarness, expectStorePicture, type Harness as ConnectorHarness, type Picture } from '../connector-harness';

export { newUser, sorted, storePicture, type Picture } from '../connector-harness';

/**
 * Test plumbing for the Entra connector: an emulator per test file, and the REAL sync engine over
 * a fresh SQLite store with the connector built exactly as the registry will build it
 * (`createEntraProvider(parseEntraSettings(directory.entra, directory.name))`).
 */
export const SMALL_TENANT: TenantSpec = { seed: 'entra-connector', users: 300, groups: 40, domain: 'contoso.test' };

export function startEmulator(extra: Partial<EntraEmulatorOptions> = {}): Promise<RunningEntraEmulator> {
  return startEntraEmulator({ tenant: SMALL_TENANT, ...extra });
}

/** Fast retries so fault tests finish quickly. */
export const FAST_RETRY: EntraProviderOptions['retry'] = { baseDelayMs: 20, maxDelayMs: 200, requestTimeoutMs: 5_000 };

export type Harness = ConnectorHarness<EntraProvider>;

export interface HarnessOptions {
  readonly entra?: Record<string, unknown>;
  readonly provider?: EntraProviderOptions;
  readonly sync?: Partial<SyncSettings>;
}

export function harness(emu: RunningEntraEmulator, options: HarnessOptions = {}): Promise<Harness> {
  const config = emu.directoryConfig('corp');
  const provider = createEntraProvider(parseEntraSettings({ ...config.entra, ...options.entra }, config.name), { retry: FAST_RETRY, ...options.provider });
  return connectorHarness('entra', provider, options.sync);
}

/** What the tenant should look like in the store after a sync with default settings. */
export function tenantPicture(emu: RunningEntraEmulator, only?: (group: { securityEnabled: boolean; unified: boolean }) => boolean): Picture {
  const users: Picture['users'] = new Map();
  for (const u of emu.state.users.values()) {
    const attributes: Record<string, string> = {};
    const put = (key: string, value: string | null) => {
      if (value) attributes[key] = value;
    };
    put('department', u.department);
    put('jobTitle', u.jobTitle);
    put('employeeId', u.employeeId);
    put('mailNickname', u.mailNickname);
    put('samAccountName', u.samAccountName);
    put('onPremisesUserPrincipalName', u.samAccountName !== null ? u.login : null);
    put('userType', u.guest ? 'Guest' : 'Member');
    put('login', u.login); // the engine keeps the provider login for password checks
    users.set(u.id, { name: u.login, email: u.mail || u.login, firstName: u.givenName, lastName: u.surname, displayName: u.displayName, active: u.enabled, attributes });
  }
  const groups: Picture['groups'] = new Map();
  const userMemberships = new Set<string>();
  const groupMemberships = new Set<string>();
  const kept = [...emu.state.groups.values()].filter((g) => !only || only(g));
  const keptIds = new Set(kept.map((g) => g.id));
  for (const g of kept) {
    groups.set(g.id, { name: g.name, description: g.description });
    for (const u of g.userIds) userMemberships.add(`${u}>${g.id}`);
    for (const c of g.groupIds) if (keptIds.has(c)) groupMemberships.add(`${c}>${g.id}`);
  }
  return { users, groups, userMemberships, groupMemberships };
}

/** Asserts the store shows exactly the tenant. */
export function expectStoreEqualsTenant(h: Harness, emu: RunningEntraEmulator): Promise<void> {
  return expectStorePicture(h, tenantPicture(emu));
}
