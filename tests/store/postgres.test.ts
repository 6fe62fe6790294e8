import { Client } from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store';
import { appendEvents } from '../../src/store/postgres/sync-tables';
import type { Store } from '../../src/store/store';
import { describeConfigStoreConformance } from '../conformance/config-store.conformance';
import { groupRecord, userRecord } from '../conformance/fixtures';
import { describeEventLogConformance, describeStoreConformance } from '../conformance/store.conformance';
import { describePostgres } from '../helpers/postgres';
import { TestDatabases } from './postgres-databases';

const databases = new TestDatabases();
afterAll(() => databases.dropAll());

/** A store on a database of its own, created empty for it. */
const freshStore = (): Promise<Store> => databases.store();

describePostgres('PostgreSQL store', () => {
  describeStoreConformance('postgres', freshStore);
  describeEventLogConformance('postgres', freshStore);
  describeConfigStoreConformance('postgres', freshStore);

  describe('PostgreSQL specifics', () => {
    let store: PostgresStore;
    let url: string;
    let dir: number;
    beforeEach(async () => {
      url = await databases.fresh();
      store = await PostgresStore.open({ url, poolSize: 4 });
      [dir] = (await store.upsertDirectories([{ name: 'corp', provider: 'demo' }])).map((d) => d.id) as [number];
    });
    afterEach(() => store.close());

    test('text with U+0000 is refused INVALID_ARGUMENT, naming the field, and nothing is written', async () => {
      await store.apply(dir, { upsertUsers: [userRecord('u1', 'alice')] }, { cursor: 'c1' });
      const version = await store.dataVersion(dir);
      const token = await store.currentEventToken();
      const refused = [
        { upsertUsers: [userRecord('u2', 'bob'), userRecord('u3', 'x\u0000y')] },
        { upsertUsers: [userRecord('u2', 'bob', { lastName: 'a\u0000' })] },
        { upsertUsers: [userRecord('u2', 'bob', { attributes: { team: ['ok', 'n\u0000'] } })] },
        { upsertUsers: [userRecord('u2', 'bob', { attributes: { 'te\u0000am': ['ok'] } })] },
        { upsertGroups: [groupRecord('g1', 'staff', { description: '\u0000' })] },
      ];
      const fields = ['name', 'lastName', 'attribute "team"', 'an attribute name', 'description'];
      for (const [i, changes] of refused.entries()) {
        await expect(store.apply(dir, changes, { events: 'reset' })).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: expect.stringContaining(`${fields[i]} contains the character U+0000`),
        });
      }
      await expect(store.apply(dir, {}, { cursor: 'c\u0000' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((await store.loadDirectoryContents(dir)).users.map((u) => u.name)).toEqual(['alice']);
      expect(await store.dataVersion(dir)).toBe(version);
      expect(await store.currentEventToken()).toBe(token);
      expect(await store.getCursor(dir)).toBe('c1');
      // Reads with U+0000 match nothing (stored text never holds it) instead of failing.
      expect(await store.findUsersByName([dir], ['ali\u0000ce'])).toEqual([]);
      expect(await store.findUsersByExternalId(dir, ['u\u00001'])).toEqual([]);
      const search = (filter: Parameters<Store['countUsers']>[1], afterName?: string) =>
        store
          .searchUsers({ directoryIds: [dir], filter, afterName, limit: 10 })
          .then((p) => p.items.map((u) => u.name));
      expect(await search({ kind: 'string', field: 'name', match: 'equals', value: 'a\u0000' })).toEqual([]);
      expect(await search({ kind: 'string', field: 'name', match: 'contains', value: '\u0000' })).toEqual([]);
      expect(await search({ kind: 'string', field: 'name', match: 'lessThan', value: 'alice\u0000' })).toEqual([
        'alice',
      ]);
      expect(await search({ kind: 'string', field: 'name', match: 'greaterThan', value: 'alice\u0000' })).toEqual([]);
      expect(await search({ kind: 'attribute', name: 'a\u0000', match: 'equals', value: 'x' })).toEqual([]);
      expect(
        await search({ kind: 'not', filter: { kind: 'string', field: 'name', match: 'equals', value: '\u0000' } }),
      ).toEqual(['alice']);
      expect(await search({ kind: 'all' }, 'alic\u0000')).toEqual(['alice']);
      expect(await store.findAdminSession('\u0000')).toBeNull();
      await expect(
        store.changeConfiguration({
          put: [{ kind: 'directory', name: 'a\u0000', body: {}, sealedSecrets: null, enabled: true }],
        }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('its name contains') });
    });

    test('row ids PostgreSQL cannot hold name no row', async () => {
      await store.apply(dir, { upsertUsers: [userRecord('u1', 'alice')] });
      const [alice] = await store.findUsersByName([dir], ['alice']);
      expect((await store.getUsers([alice!.id, 2 ** 40, 1.5])).map((u) => u.name)).toEqual(['alice']);
      expect(await store.groupsOfUsers([2 ** 40], true)).toEqual(new Map([[2 ** 40, []]]));
      expect(await store.countUsers([dir, 2 ** 40], { kind: 'all' })).toBe(1);
    });

    test('an apply to a directory that does not exist is DIRECTORY_NOT_FOUND', async () => {
      await expect(store.apply(dir + 1000, { upsertUsers: [userRecord('u1', 'alice')] })).rejects.toMatchObject({
        code: 'DIRECTORY_NOT_FOUND',
      });
    });

    test('pg_notify: crowdgate_config with the new generation, crowdgate_data with the directory id', async () => {
      const listener = new Client({ connectionString: url });
      await listener.connect();
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
      try {
        await listener.query('LISTEN crowdgate_config');
        await listener.query('LISTEN crowdgate_data');
        const g0 = await store.configurationGeneration();
        await store.changeConfiguration({ directoryOrder: ['corp'] });
        await store.createAdminToken({
          name: 'ops',
          scope: 'ADMIN',
          digest: 'd1',
          createdAt: new Date(0),
          expiresAt: null,
          setup: false,
        });
        await store.revokeAdminToken('ops');
        await store.revokeAdminToken('ops'); // nothing revoked: no change, no notification
        await store.apply(dir, { upsertUsers: [userRecord('u1', 'alice')] });
        await expect(store.apply(dir, { addUserMemberships: [['u1', 'nope']] })).rejects.toThrow(); // rolled back: none
        await store.apply(dir, {});
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard).toEqual([
          `crowdgate_config:${g0 + 1}`,
          `crowdgate_config:${g0 + 2}`,
          `crowdgate_config:${g0 + 3}`,
          `crowdgate_data:${dir}`,
          `crowdgate_data:${dir}`,
        ]);
      } finally {
        await listener.end();
      }
    });

    test('the pool serves again after its connections were ended (a server restart), without crashing', async () => {
      const applicationName = `cg-restart-${process.pid}`;
      const idleErrors: Error[] = [];
      const restarted = await PostgresStore.open({
        url,
        poolSize: 3,
        applicationName,
        onIdleError: (error) => idleErrors.push(error),
      });
      try {
        await Promise.all([1, 2, 3].map(() => restarted.listDirectories())); // three idle connections
        const ended = await terminate(applicationName);
        expect(ended).toBeGreaterThan(0);
        for (let i = 0; i < 50 && idleErrors.length < ended; i++) await new Promise((r) => setTimeout(r, 20));
        expect(idleErrors.length).toBe(ended);
        expect((await restarted.listDirectories()).map((d) => d.name)).toEqual(['corp']);
        await restarted.apply(dir, { upsertUsers: [userRecord('u1', 'alice')] });
        expect(await restarted.countUsers([dir], { kind: 'all' })).toBe(1);
      } finally {
        await restarted.close();
      }
    });

    test('two nodes changing one entry at once: one wins, the other gets CONFLICT', async () => {
      const other = await PostgresStore.open({ url, poolSize: 2 });
      try {
        const entry = { kind: 'application' as const, name: 'jira', body: {}, sealedSecrets: null, enabled: true };
        await store.changeConfiguration({ put: [{ ...entry, expectedVersion: 0 }] });
        const results = await Promise.allSettled(
          [store, other, store, other].map((s, i) =>
            s.changeConfiguration({ put: [{ ...entry, body: { i }, expectedVersion: 1 }] }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results.filter((r) => r.status === 'rejected'))
          expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
        expect((await other.loadConfiguration()).entries[0]!.version).toBe(2);
      } finally {
        await other.close();
      }
    });

    test('event sequence numbers become visible in commit order: a token never passes an uncommitted event', async () => {
      const [, second] = (
        await store.upsertDirectories([
          { name: 'corp', provider: 'demo' },
          { name: 'second', provider: 'demo' },
        ])
      ).map((d) => d.id) as [number, number];
      const event = (name: string) =>
        ({ type: 'group', operation: 'UPDATED', group: { name, description: '', active: true } }) as const;
      const before = await store.currentEventToken();
      // Another node's apply, between taking its sequence numbers and committing.
      const slow = new Client({ connectionString: url });
      await slow.connect();
      try {
        await slow.query('BEGIN');
        await appendEvents(slow, dir, [event('first')], Date.now());
        const fast = store.apply(second, {}, { events: [event('second')] });
        await new Promise((resolve) => setTimeout(resolve, 300));
        // The fast apply waits for the slow one: a reader now must not get a token past 'first'.
        const between = await store.currentEventToken();
        expect(between).toBe(before);
        await slow.query('COMMIT');
        await fast;
        const since = await store.eventsSince(between, [dir, second]);
        expect(since.kind === 'events' && since.events.map((e) => e.event)).toEqual([event('first'), event('second')]);
      } finally {
        await slow.end();
      }
    });
  });
});

/** Ends every connection of `applicationName`, as a server restart would; answers how many. */
async function terminate(applicationName: string): Promise<number> {
  const client = new Client({ connectionString: process.env.CROWDGATE_TEST_PG_URL });
  await client.connect();
  try {
    const result = await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
