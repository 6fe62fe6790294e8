import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../../src/config/sync-schema';
import { startEntraEmulator, type EntraEmulatorOptions, type RunningEntraEmulator } from '../../../src/emulators/entra';
import type { TenantSpec } from '../../../src/emulators/tenant';
import { createEntraProvider, parseEntraSettings, type EntraProvider, type EntraProviderOptions } from '../../../src/providers/entra';
import { silentLogger } from '../../../src/server/logger';
import { openSqliteStore } from '../../../src/store/open';
import type { DirectoryState, Store } from '../../../src/store/store';
import type { SyncRun } from '../../../src/store/sync-records';
import { SyncEngine } from '../../../src/sync/engine';

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

export interface Harness {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly provider: EntraProvider;
  readonly directoryId: number;
  full(): Promise<SyncRun>;
  incremental(): Promise<SyncRun>;
  state(): Promise<DirectoryState>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly entra?: Record<string, unknown>;
  readonly provider?: EntraProviderOptions;
  readonly sync?: Partial<SyncSettings>;
}

export async function harness(emu: RunningEntraEmulator, options: HarnessOptions = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-entra-connector-'));
  const store = openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'entra' }]);
  const config = emu.directoryConfig('corp');
  const provider = createEntraProvider(parseEntraSettings({ ...config.entra, ...options.entra }, config.name), { retry: FAST_RETRY, ...options.provider });
  const settings = { ...DEFAULT_SYNC_SETTINGS, localGroups: [], safety: { maxRemovalShare: 1, maxRemovals: 1e9 }, ...options.sync };
  const engine = new SyncEngine(store, [{ directory: directory!, provider, settings }], silentLogger);
  return {
    store,
    engine,
    provider,
    directoryId: directory!.id,
    full: () => engine.sync('corp', { mode: 'full', trigger: 'manual' }),
    incremental: () => engine.sync('corp', { mode: 'incremental', trigger: 'manual' }),
    state: () => store.loadDirectoryState(directory!.id),
    close: async () => {
      await provider.close();
      await store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A comparable picture: users, groups and direct memberships keyed by immutable id. */
export interface Picture {
  readonly users: Map<string, { name: string; email: string; firstName: string; lastName: string; displayName: string; active: boolean; attributes: Record<string, string> }>;
  readonly groups: Map<string, { name: string; description: string }>;
  readonly userMemberships: Set<string>;
  readonly groupMemberships: Set<string>;
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

export function storePicture(state: DirectoryState): Picture {
  const users: Picture['users'] = new Map();
  for (const u of state.users) {
    const attributes: Record<string, string> = {};
    for (const [key, values] of Object.entries(u.attributes)) attributes[key] = values.join('|');
    users.set(u.externalId, { name: u.name, email: u.email, firstName: u.firstName, lastName: u.lastName, displayName: u.displayName, active: u.active, attributes });
  }
  const groups: Picture['groups'] = new Map();
  for (const g of state.groups) groups.set(g.externalId, { name: g.name, description: g.description });
  return {
    users,
    groups,
    userMemberships: new Set(state.userMemberships.map(([u, g]) => `${u}>${g}`)),
    groupMemberships: new Set(state.groupMemberships.map(([c, p]) => `${c}>${p}`)),
  };
}

/** Asserts the store shows exactly the tenant (sorted arrays give readable diffs). */
export async function expectStoreEqualsTenant(h: Harness, emu: RunningEntraEmulator): Promise<void> {
  const actual = storePicture(await h.state());
  const expected = tenantPicture(emu);
  expect(actual.users.size).toBe(expected.users.size);
  expect(sorted(actual.users)).toEqual(sorted(expected.users));
  expect(sorted(actual.groups)).toEqual(sorted(expected.groups));
  expect([...actual.userMemberships].sort()).toEqual([...expected.userMemberships].sort());
  expect([...actual.groupMemberships].sort()).toEqual([...expected.groupMemberships].sort());
}

export function sorted<V>(map: Map<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A new tenant user in the shape TenantState.createUser takes. */
export function newUser(id: string, login: string, extra: Partial<{ enabled: boolean; guest: boolean; mail: string; department: string }> = {}) {
  return {
    id,
    givenName: 'Nova',
    surname: 'Tester',
    displayName: 'Nova Tester',
    login,
    mail: extra.mail ?? login,
    mailNickname: login.split('@')[0]!,
    samAccountName: null,
    department: extra.department ?? 'Research',
    jobTitle: 'Engineer',
    employeeId: '99990001',
    enabled: extra.enabled ?? true,
    guest: extra.guest ?? false,
  };
}
