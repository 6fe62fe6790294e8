import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/open';
import { groupRecord, userRecord } from '../conformance/fixtures';

/** SQLite-specific: a bulk load rebuilds the by-user membership index inside the transaction. */
describe('SQLite bulk membership load', () => {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-bulk-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const indexes = () => {
    const db = new Database(join(root, 'crowdgate.sqlite'), { readonly: true });
    try {
      return db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'user_groups'")
        .pluck()
        .all();
    } finally {
      db.close();
    }
  };

  test('100k memberships load with the index rebuilt; a failing bulk load keeps the index and the data', async () => {
    const store = openSqliteStore(root);
    try {
      const [dir] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
      const users = Array.from({ length: 1000 }, (_, i) => userRecord(`u${i}`, `user${i}`));
      const groups = Array.from({ length: 100 }, (_, i) => groupRecord(`g${i}`, `group${i}`));
      const memberships = users.flatMap((u) => groups.map((g) => [u.externalId, g.externalId] as const));
      const result = await store.apply(dir!.id, {
        upsertUsers: users,
        upsertGroups: groups,
        addUserMemberships: memberships,
      });
      expect(result.membershipsAdded).toBe(100_000);
      expect(indexes()).toContain('user_groups_by_user');
      const [user] = await store.findUsersByName([dir!.id], ['user7']);
      expect((await store.groupsOfUsers([user!.id], false)).get(user!.id)).toHaveLength(100);

      const more = Array.from({ length: 1000 }, (_, i) => userRecord(`v${i}`, `other${i}`));
      const bulk = more.flatMap((u) => groups.map((g) => [u.externalId, g.externalId] as const));
      // Fails after the user memberships (and the index rebuild) ran: the whole transaction rolls back.
      await expect(
        store.apply(dir!.id, { upsertUsers: more, addUserMemberships: bulk, addGroupMemberships: [['g1', 'missing']] }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(indexes()).toContain('user_groups_by_user');
      expect(await store.countUsers([dir!.id], { kind: 'all' })).toBe(1000);
    } finally {
      await store.close();
    }
  });
});
