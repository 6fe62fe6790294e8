import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../src/config/sync-schema';
import type { DirectoryProvider } from '../../src/providers/provider';
import { silentLogger } from '../../src/logging/logger';
import { openSqliteStore } from '../../src/store/open';
import type { DirectoryState, Store } from '../../src/store/store';
import type { SyncRun } from '../../src/store/sync-records';
import { SyncEngine } from '../../src/sync/engine';

/**
 * Test plumbing shared by the connector suites: the REAL sync engine over a fresh SQLite store,
 * with one directory `corp` read by the given connector (built by the caller exactly as the
 * registry builds it), and the comparison of what the store holds with what the tenant holds.
 */
export interface Harness<P extends DirectoryProvider> {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly provider: P;
  readonly directoryId: number;
  full(): Promise<SyncRun>;
  incremental(): Promise<SyncRun>;
  state(): Promise<DirectoryState>;
  /** Closes the connector and the store, and removes the store's files. */
  close(): Promise<void>;
}

/** Removal safety off (tests delete freely); no local groups; `sync` overrides the rest. */
export async function connectorHarness<P extends DirectoryProvider & { close(): Promise<void> }>(
  kind: 'entra' | 'google' | 'okta',
  provider: P,
  sync: Partial<SyncSettings> = {},
): Promise<Harness<P>> {
  const root = mkdtempSync(join(tmpdir(), `crowdgate-${kind}-connector-`));
  const store = openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: kind }]);
  const settings = { ...DEFAULT_SYNC_SETTINGS, localGroups: [], safety: { maxRemovalShare: 1, maxRemovals: 1e9 }, ...sync };
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

/** A comparable picture: users, groups and direct memberships (`member>group`) keyed by the provider's immutable ids. */
export interface Picture {
  readonly users: Map<string, { name: string; email: string; firstName: string; lastName: string; displayName: string; active: boolean; attributes: Record<string, string> }>;
  readonly groups: Map<string, { name: string; description: string }>;
  readonly userMemberships: Set<string>;
  readonly groupMemberships: Set<string>;
}

/** The store's side of a Picture (multi-valued attributes joined with `|`). */
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

/** Asserts the store shows exactly `expected` (sorted arrays give readable diffs). */
export async function expectStorePicture(h: Harness<DirectoryProvider>, expected: Picture): Promise<void> {
  const actual = storePicture(await h.state());
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
