import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../src/config/sync-schema';
import type { CrowdEvent } from '../../src/domain/events';
import { silentLogger } from '../../src/logging/logger';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { SyncEngine } from '../../src/sync/engine';
import { asProvider, FakeUpstream, person } from './fake-provider';

export interface Harness {
  store: Store;
  upstream: FakeUpstream;
  engine: SyncEngine;
  directoryId: number;
  /** Users in the store as `name:active`, sorted. */
  users(): Promise<string[]>;
  /** Direct memberships in the store as `member>group` (by name), sorted. */
  memberships(): Promise<string[]>;
  groups(): Promise<string[]>;
  /** Events appended since the last call (the first call starts the window). */
  eventsSinceMark(): Promise<CrowdEvent[]>;
  close(): Promise<void>;
}

export type SettingsOverride = Partial<Omit<SyncSettings, 'username' | 'filters' | 'deprovisioning' | 'safety'>> & {
  username?: Partial<SyncSettings['username']>;
  filters?: Partial<SyncSettings['filters']>;
  deprovisioning?: Partial<SyncSettings['deprovisioning']>;
  safety?: Partial<SyncSettings['safety']>;
  localGroups?: string[];
};

/**
 * The standard upstream: Engineering ⊃ {ada, bob} with child group Platform ⊃ {cy}; Sales ⊃ {dee};
 * eve (disabled) in Sales; gus (guest) in no group; Empty has no members.
 */
export function standardUpstream(): FakeUpstream {
  const up = new FakeUpstream();
  up.putUser(person('u-ada', 'ada@corp.example'));
  up.putUser(person('u-bob', 'bob@corp.example'));
  up.putUser(person('u-cy', 'cy@corp.example', { attributes: { department: 'Platform' } }));
  up.putUser(person('u-dee', 'dee@corp.example', { attributes: { department: 'Sales' } }));
  up.putUser(person('u-eve', 'eve@corp.example', { enabled: false, attributes: { department: 'Sales' } }));
  up.putUser(
    person('u-gus', 'gus_partner.example#EXT#@corp.example', {
      guest: true,
      email: 'gus@partner.example',
      attributes: {},
    }),
  );
  up.putGroup({ id: 'g-eng', name: 'Engineering', description: 'Builders' });
  up.putGroup({ id: 'g-plat', name: 'Platform', description: '' });
  up.putGroup({ id: 'g-sales', name: 'Sales', description: '' });
  up.putGroup({ id: 'g-empty', name: 'Empty', description: '' });
  up.addMember('g-eng', { kind: 'user', id: 'u-ada' });
  up.addMember('g-eng', { kind: 'user', id: 'u-bob' });
  up.addMember('g-eng', { kind: 'group', id: 'g-plat' });
  up.addMember('g-plat', { kind: 'user', id: 'u-cy' });
  up.addMember('g-sales', { kind: 'user', id: 'u-dee' });
  up.addMember('g-sales', { kind: 'user', id: 'u-eve' });
  return up;
}

export async function harness(
  upstream: FakeUpstream,
  override: SettingsOverride = {},
  existing?: { store: Store; root: string },
): Promise<Harness & { root: string }> {
  const root = existing?.root ?? mkdtempSync(join(tmpdir(), 'crowdgate-engine-'));
  const store = existing?.store ?? openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'fake' }]);
  const d = DEFAULT_SYNC_SETTINGS;
  const settings = {
    ...d,
    ...override,
    username: { ...d.username, stripDomain: true, ...override.username },
    filters: { ...d.filters, ...override.filters },
    deprovisioning: { ...d.deprovisioning, ...override.deprovisioning },
    safety: { ...d.safety, maxRemovalShare: 1, maxRemovals: 100_000, ...override.safety },
    localGroups: override.localGroups ?? [],
  };
  const engine = new SyncEngine(
    store,
    [{ directory: directory!, provider: asProvider(upstream), settings }],
    silentLogger,
  );
  let mark = await store.currentEventToken();
  const state = () => store.loadDirectoryContents(directory!.id);
  return {
    root,
    store,
    upstream,
    engine,
    directoryId: directory!.id,
    users: async () => (await state()).users.map((u) => `${u.name}:${u.active}`).sort(),
    groups: async () => (await state()).groups.map((g) => g.name).sort(),
    memberships: async () => {
      const s = await state();
      const users = new Map(s.users.map((u) => [u.externalId, u.name]));
      const groups = new Map(s.groups.map((g) => [g.externalId, g.name]));
      return [
        ...s.userMemberships.map(([u, g]) => `${users.get(u)}>${groups.get(g)}`),
        ...s.groupMemberships.map(([c, p]) => `[${groups.get(c)}]>${groups.get(p)}`),
      ].sort();
    },
    eventsSinceMark: async () => {
      const result = await store.eventsSince(mark, [directory!.id]);
      if (result.kind === 'expired') throw new Error('token expired');
      mark = result.token;
      return result.events.map((e) => e.event);
    },
    close: async () => {
      await store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
