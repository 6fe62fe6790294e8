import type { ConfigEntryWrite } from '../../src/store/config-records';
import type { Store } from '../../src/store/store';
import { groupRecord, userRecord } from './fixtures';

/**
 * The runtime-configuration part of the store contract (src/store/config-records.ts): every
 * backend runs it unchanged. `open` must return a fresh, empty store.
 */
export function describeConfigStoreConformance(label: string, open: () => Promise<Store>): void {
  describe(`Configuration store conformance: ${label}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => store.close());

    const entry = (name: string, extra: Partial<ConfigEntryWrite> = {}): ConfigEntryWrite => ({
      kind: 'directory',
      name,
      body: { name, provider: 'okta', okta: { orgUrl: 'https://corp.okta.com' } },
      sealedSecrets: 'v1.sealed',
      enabled: true,
      ...extra,
    });

    test('entries are created at version 1, changed with version checks, and every change bumps the generation', async () => {
      const empty = await store.loadConfiguration();
      expect(empty.entries).toEqual([]);
      const created = await store.changeConfiguration({ put: [entry('Corp', { expectedVersion: 0 })] });
      expect(created.generation).toBe(empty.generation + 1);
      expect(await store.configurationGeneration()).toBe(created.generation);
      expect(created.entries).toMatchObject([
        { kind: 'directory', name: 'Corp', version: 1, enabled: true, sealedSecrets: 'v1.sealed' },
      ]);
      expect(created.entries[0]!.body).toEqual({
        name: 'Corp',
        provider: 'okta',
        okta: { orgUrl: 'https://corp.okta.com' },
      });

      const updated = await store.changeConfiguration({ put: [entry('corp', { enabled: false, expectedVersion: 1 })] });
      expect(updated.entries).toMatchObject([{ name: 'corp', version: 2, enabled: false }]);

      await expect(store.changeConfiguration({ put: [entry('CORP', { expectedVersion: 1 })] })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('version 2, not 1'),
      });
      await expect(store.changeConfiguration({ put: [entry('corp', { expectedVersion: 0 })] })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('already exists'),
      });
      expect(await store.configurationGeneration()).toBe(updated.generation);
    });

    test('a refused change writes nothing, not even its valid parts', async () => {
      await store.changeConfiguration({ put: [entry('a', { expectedVersion: 0 })] });
      const before = await store.loadConfiguration();
      await expect(
        store.changeConfiguration({
          put: [entry('b', { expectedVersion: 0 }), entry('a', { expectedVersion: 7 })],
          directoryOrder: ['b', 'a'],
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await store.loadConfiguration()).toEqual(before);
    });

    test('directories and applications are separate name spaces; removal checks the version', async () => {
      await store.changeConfiguration({
        put: [entry('shared', { expectedVersion: 0 }), entry('shared', { kind: 'application', expectedVersion: 0 })],
      });
      await expect(
        store.changeConfiguration({ remove: [{ kind: 'application', name: 'SHARED', expectedVersion: 3 }] }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      const after = await store.changeConfiguration({ remove: [{ kind: 'application', name: 'SHARED' }] });
      expect(after.entries.map((e) => [e.kind, e.name])).toEqual([['directory', 'shared']]);
    });

    test('directory order and rows: created in order, dropped with their data and a reset event', async () => {
      const ordered = await store.changeConfiguration({
        directoryOrder: ['b', 'a'],
        directories: [
          { name: 'b', provider: 'okta' },
          { name: 'a', provider: 'entra' },
        ],
      });
      expect(ordered.directoryOrder).toEqual(['b', 'a']);
      const rows = await store.listDirectories();
      expect(rows.map((d) => [d.name, d.position])).toEqual([
        ['b', 0],
        ['a', 1],
      ]);
      const a = rows.find((d) => d.name === 'a')!;
      await store.apply(a.id, {
        upsertUsers: [userRecord('u1', 'ada'), { ...userRecord('u2', 'bob'), active: false }],
        upsertGroups: [groupRecord('g1', 'staff'), groupRecord('g2', 'all')],
        addUserMemberships: [
          ['u1', 'g1'],
          ['u2', 'g1'],
        ],
        addGroupMemberships: [['g1', 'g2']],
      });
      expect(await store.directoryCounts(a.id)).toEqual({ users: 2, activeUsers: 1, groups: 2, memberships: 3 });
      const token = await store.currentEventToken();
      await store.changeConfiguration({ dropDirectories: ['A'], directories: [{ name: 'b', provider: 'okta' }] });
      expect((await store.listDirectories()).map((d) => d.name)).toEqual(['b']);
      expect(await store.findUsersByName([a.id], ['ada'])).toEqual([]);
      expect(await store.directoryCounts(a.id)).toEqual({ users: 0, activeUsers: 0, groups: 0, memberships: 0 });
      const events = await store.eventsSince(token, [a.id]);
      expect(events.kind).toBe('expired');
    });

    test('administrator tokens: unique names, a real token retires the setup token, revocation and use', async () => {
      const base = { scope: 'ADMIN' as const, createdAt: new Date(1_000), expiresAt: null };
      const g0 = await store.configurationGeneration();
      await store.createAdminToken({ ...base, name: 'setup', digest: 'd0', setup: true });
      await store.createAdminToken({ ...base, name: 'ops', digest: 'd1', setup: false, scope: 'READ' });
      expect((await store.listAdminTokens()).map((t) => [t.name, t.scope, t.setup])).toEqual([['ops', 'READ', false]]);
      await expect(store.createAdminToken({ ...base, name: 'OPS', digest: 'd2', setup: false })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await store.recordAdminTokenUse('ops', new Date(500_000));
      expect((await store.listAdminTokens())[0]!.lastUsedAt).toEqual(new Date(500_000));
      await store.recordAdminTokenUse('ops', new Date(510_000)); // within the minute: kept
      expect((await store.listAdminTokens())[0]!.lastUsedAt).toEqual(new Date(500_000));
      expect(await store.revokeAdminToken('OPS')).toBe(true);
      expect(await store.revokeAdminToken('ops')).toBe(false);
      expect(await store.listAdminTokens()).toEqual([]);
      expect(await store.configurationGeneration()).toBe(g0 + 3);
    });

    test('the wrapped data key is set once, then replaced only from the value read', async () => {
      expect(await store.wrappedDataKey()).toBeNull();
      expect(await store.replaceWrappedDataKey(null, 'k1')).toBe(true);
      expect(await store.replaceWrappedDataKey(null, 'k2')).toBe(false);
      expect(await store.replaceWrappedDataKey('k1', 'k2')).toBe(true);
      expect(await store.wrappedDataKey()).toBe('k2');
    });

    test('console sessions: found by digest until deleted; creating one drops the expired', async () => {
      const session = (digest: string, expiresAt: number) => ({
        digest,
        tokenName: 'ops',
        csrfDigest: `csrf-${digest}`,
        createdAt: new Date(1_000),
        expiresAt: new Date(expiresAt),
      });
      await store.createAdminSession(session('old', 2_000)); // long expired
      await store.createAdminSession(session('s1', Date.now() + 60_000));
      expect(await store.findAdminSession('old')).toBeNull();
      expect(await store.findAdminSession('s1')).toEqual(
        session('s1', (await store.findAdminSession('s1'))!.expiresAt.getTime()),
      );
      expect(await store.findAdminSession('nope')).toBeNull();
      expect(await store.deleteAdminSession('s1')).toBe(true);
      expect(await store.deleteAdminSession('s1')).toBe(false);
      expect(await store.findAdminSession('s1')).toBeNull();
    });

    test('the audit log pages newest first', async () => {
      for (let i = 0; i < 5; i++) {
        await store.appendAudit({
          at: new Date(i * 1000),
          principal: 'ops',
          source: '127.0.0.1',
          operation: `op${i}`,
          arguments: { name: `n${i}`, password: '[redacted]' },
          outcome: i === 3 ? 'ERROR' : 'OK',
          error: i === 3 ? 'CONFLICT: stale' : null,
        });
      }
      const first = await store.listAudit({ limit: 2 });
      expect(first.map((r) => r.operation)).toEqual(['op4', 'op3']);
      expect(first[1]).toMatchObject({ outcome: 'ERROR', error: 'CONFLICT: stale', arguments: { name: 'n3' } });
      const next = await store.listAudit({ limit: 10, beforeId: first[1]!.id });
      expect(next.map((r) => r.operation)).toEqual(['op2', 'op1', 'op0']);
    });
  });
}
