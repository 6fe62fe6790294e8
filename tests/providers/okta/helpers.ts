import type { SyncSettings } from '../../../src/config/sync-schema';
import { isEnabledStatus, startOktaEmulator, type OktaEmulatorOptions, type RunningOktaEmulator } from '../../../src/emulators/okta';
import type { TenantSpec } from '../../../src/emulators/tenant';
import { createOktaProvider, parseOktaSettings, type OktaProvider, type OktaProviderOptions } from '../../../src/providers/okta';
import type { DirectoryState } from '../../../src/store/store';
import { scrubOktaEnvironment } from '../../emulators/okta/helpers';
import { connectorHarness, sorted, type Harness as ConnectorHarness } from '../connector-harness';

export { newUser, sorted } from '../connector-harness';

/**
 * Test plumbing for the Okta connector: an emulator per test file, and the REAL sync engine over
 * a fresh SQLite store with the connector built exactly as the registry builds it
 * (`createOktaProvider(parseOktaSettings(directory.okta, directory.name))`). The SDK's
 * configuration sources (OKTA_* variables, okta.yaml, https_proxy) are scrubbed first.
 */
export const SMALL_TENANT: TenantSpec = { seed: 'okta-connector', users: 300, groups: 40, domain: 'example.test' };

export function startEmulator(extra: Partial<OktaEmulatorOptions> = {}): Promise<RunningOktaEmulator> {
  scrubOktaEnvironment();
  return startOktaEmulator({ tenant: SMALL_TENANT, ...extra });
}

/** Fast retries so fault tests finish quickly. */
export const FAST_RETRY: OktaProviderOptions['retry'] = { baseDelayMs: 20, maxDelayMs: 200, requestTimeoutMs: 5_000 };

export type Harness = ConnectorHarness<OktaProvider>;

export interface HarnessOptions {
  readonly auth?: 'ssws' | 'oauth';
  readonly okta?: Record<string, unknown>;
  readonly provider?: OktaProviderOptions;
  readonly sync?: Partial<SyncSettings>;
}

export function oktaConfig(emu: RunningOktaEmulator, auth: 'ssws' | 'oauth' = 'ssws'): Record<string, unknown> {
  return (emu.directoryConfig('corp', auth) as { okta: Record<string, unknown> }).okta;
}

export function harness(emu: RunningOktaEmulator, options: HarnessOptions = {}): Promise<Harness> {
  const provider = createOktaProvider(parseOktaSettings({ ...oktaConfig(emu, options.auth), ...options.okta }, 'corp'), { retry: FAST_RETRY, ...options.provider });
  return connectorHarness('okta', provider, options.sync);
}

export interface Picture {
  readonly users: Map<string, { name: string; email: string; firstName: string; lastName: string; displayName: string; active: boolean; department: string | undefined; userType: string | undefined }>;
  readonly groups: Map<string, { name: string; description: string }>;
  readonly userMemberships: Set<string>;
}

/**
 * What the org should look like in the store after a full sync with default settings, from the
 * emulator's Okta view of the tenant: every user of every status (active ⇔ ACTIVE,
 * PASSWORD_EXPIRED or RECOVERY), every group of every type, every direct membership.
 */
export function orgPicture(emu: RunningOktaEmulator, keepGroup: (type: string) => boolean = () => true): Picture {
  const users: Picture['users'] = new Map();
  for (const u of emu.directory.users.values()) {
    const p = u.profile;
    users.set(u.id, { name: p.login, email: p.email, firstName: p.firstName, lastName: p.lastName, displayName: p.displayName, active: isEnabledStatus(u.status), department: p.department, userType: p.userType });
  }
  const groups: Picture['groups'] = new Map();
  const userMemberships = new Set<string>();
  for (const g of emu.directory.groups.values()) {
    if (!keepGroup(g.type)) continue;
    groups.set(g.id, { name: g.profile.name, description: g.profile.description ?? '' });
    for (const u of emu.directory.groupMembers(g).toArray()) userMemberships.add(`${u.id}>${g.id}`);
  }
  return { users, groups, userMemberships };
}

export function storePicture(state: DirectoryState): Picture {
  const users: Picture['users'] = new Map();
  for (const u of state.users) {
    users.set(u.externalId, {
      name: u.name,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      displayName: u.displayName,
      active: u.active,
      department: u.attributes['department']?.join('|'),
      userType: u.attributes['userType']?.join('|'),
    });
  }
  const groups: Picture['groups'] = new Map();
  for (const g of state.groups) groups.set(g.externalId, { name: g.name, description: g.description });
  return { users, groups, userMemberships: new Set(state.userMemberships.map(([u, g]) => `${u}>${g}`)) };
}

export async function expectStoreEqualsOrg(h: Harness, emu: RunningOktaEmulator): Promise<void> {
  const actual = storePicture(await h.state());
  const expected = orgPicture(emu);
  expect(actual.users.size).toBe(expected.users.size);
  expect(sorted(actual.users)).toEqual(sorted(expected.users));
  expect(sorted(actual.groups)).toEqual(sorted(expected.groups));
  expect([...actual.userMemberships].sort()).toEqual([...expected.userMemberships].sort());
}
