import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../../src/config/sync-schema';
import { startGoogleEmulator, type GoogleEmulatorOptions, type RunningGoogleEmulator } from '../../../src/emulators/google';
import { orgUnitPath } from '../../../src/emulators/google/mapping';
import type { TenantSpec } from '../../../src/emulators/tenant';
import { createGoogleProvider, parseGoogleSettings, type GoogleProvider, type GoogleProviderOptions } from '../../../src/providers/google';
import { silentLogger } from '../../../src/server/logger';
import { openSqliteStore } from '../../../src/store/open';
import type { DirectoryState, Store } from '../../../src/store/store';
import type { SyncRun } from '../../../src/store/sync-records';
import { SyncEngine } from '../../../src/sync/engine';

/**
 * Test plumbing for the Google connector: an emulator per test file, and the REAL sync engine over
 * a fresh SQLite store with the connector built exactly as the registry builds it
 * (`createGoogleProvider(parseGoogleSettings(directory.google, directory.name))`).
 * The connector reaches the emulator with googleapis unmodified: only `tokenUrl` and `rootUrl`.
 */
export const SMALL_TENANT: TenantSpec = { seed: 'google-connector', users: 300, groups: 40, domain: 'example.test' };

export function startEmulator(extra: Partial<GoogleEmulatorOptions> = {}): Promise<RunningGoogleEmulator> {
  return startGoogleEmulator({ tenant: SMALL_TENANT, ...extra });
}

/** Fast retries so fault tests finish quickly. */
export const FAST_RETRY: GoogleProviderOptions['retry'] = { baseDelayMs: 20, maxDelayMs: 200, requestTimeoutMs: 5_000 };

export interface Harness {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly provider: GoogleProvider;
  readonly directoryId: number;
  full(): Promise<SyncRun>;
  incremental(): Promise<SyncRun>;
  state(): Promise<DirectoryState>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly google?: Record<string, unknown>;
  readonly provider?: GoogleProviderOptions;
  readonly sync?: Partial<SyncSettings>;
}

export function provider(emu: RunningGoogleEmulator, google: Record<string, unknown> = {}, options: GoogleProviderOptions = {}): GoogleProvider {
  const config = emu.directoryConfig('corp');
  return createGoogleProvider(parseGoogleSettings({ ...config.google, ...google }, config.name), { retry: FAST_RETRY, ...options });
}

export async function harness(emu: RunningGoogleEmulator, options: HarnessOptions = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-google-connector-'));
  const store = openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'google' }]);
  const p = provider(emu, options.google, options.provider);
  const settings = { ...DEFAULT_SYNC_SETTINGS, localGroups: [], safety: { maxRemovalShare: 1, maxRemovals: 1e9 }, ...options.sync };
  const engine = new SyncEngine(store, [{ directory: directory!, provider: p, settings }], silentLogger);
  return {
    store,
    engine,
    provider: p,
    directoryId: directory!.id,
    full: () => engine.sync('corp', { mode: 'full', trigger: 'manual' }),
    incremental: () => engine.sync('corp', { mode: 'incremental', trigger: 'manual' }),
    state: () => store.loadDirectoryState(directory!.id),
    close: async () => {
      await p.close();
      await store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A comparable picture: users, groups and direct memberships keyed by immutable (Google) id. */
export interface Picture {
  readonly users: Map<string, { name: string; email: string; firstName: string; lastName: string; displayName: string; active: boolean; attributes: Record<string, string> }>;
  readonly groups: Map<string, { name: string; description: string }>;
  readonly userMemberships: Set<string>;
  readonly groupMemberships: Set<string>;
}

/**
 * What the emulated tenant should look like in the store after a sync with default settings:
 * users of the domain (guests are only outside addresses in Google, not users), every group,
 * direct memberships by Google id, the CUSTOMER member of "All Staff" expanded to every user.
 */
export function tenantPicture(emu: RunningGoogleEmulator): Picture {
  const dir = emu.directory;
  const users: Picture['users'] = new Map();
  const domainUsers: string[] = [];
  for (const r of dir.users.values()) {
    if (r.external || r.deletedAt !== null) continue;
    const u = r.live;
    const attributes: Record<string, string> = {};
    const put = (key: string, value: string | null | undefined) => {
      if (value) attributes[key] = value;
    };
    put('alias', r.aliases[0]);
    put('aliases', r.aliases.join(','));
    put('orgUnitPath', orgUnitPath(u.department));
    if (u.department !== '' || u.jobTitle !== '') {
      put('department', u.department);
      put('jobTitle', u.jobTitle);
    }
    put('employeeId', u.employeeId);
    put('customSchemas.OnPremises.samAccountName', u.samAccountName);
    put('status', r.archived ? 'archived' : r.suspended ? 'suspended' : 'active');
    put('login', r.email);
    users.set(r.googleId, { name: r.email, email: r.email, firstName: u.givenName, lastName: u.surname, displayName: u.displayName, active: !r.suspended && !r.archived, attributes });
    domainUsers.push(r.googleId);
  }
  const groups: Picture['groups'] = new Map();
  const userMemberships = new Set<string>();
  const groupMemberships = new Set<string>();
  for (const g of dir.groups.values()) {
    groups.set(g.googleId, { name: g.live.name, description: g.live.description });
    for (const id of g.live.userIds) {
      const r = dir.users.get(id);
      if (r && users.has(r.googleId)) userMemberships.add(`${r.googleId}>${g.googleId}`);
    }
    if (g.customerMember) for (const id of domainUsers) userMemberships.add(`${id}>${g.googleId}`);
    for (const id of g.live.groupIds) {
      const child = dir.groups.get(id);
      if (child) groupMemberships.add(`${child.googleId}>${g.googleId}`);
    }
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
export async function expectStoreEqualsTenant(h: Harness, emu: RunningGoogleEmulator): Promise<void> {
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

/** Google id of a tenant user or group. */
export function gid(emu: RunningGoogleEmulator, tenantId: string): string {
  const record = emu.directory.users.get(tenantId) ?? emu.directory.groups.get(tenantId);
  if (!record) throw new Error(`no Google record for ${tenantId}`);
  return record.googleId;
}

/** A new tenant user in the shape TenantState.createUser takes. */
export function newUser(id: string, login: string, extra: Partial<{ enabled: boolean; department: string }> = {}) {
  return {
    id,
    givenName: 'Nova',
    surname: 'Tester',
    displayName: 'Nova Tester',
    login,
    mail: login,
    mailNickname: login.split('@')[0]!,
    samAccountName: null,
    department: extra.department ?? 'Research',
    jobTitle: 'Engineer',
    employeeId: '99990001',
    enabled: extra.enabled ?? true,
    guest: false,
  };
}
