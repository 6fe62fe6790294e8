import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldName } from '../../src/domain/names';
import type { UserFilter } from '../../src/domain/filter';
import { openSqliteStore } from '../../src/store/open';
import { PostgresStore } from '../../src/store/postgres/postgres-store';
import type { ChangeSet, DirectoryContents, Store } from '../../src/store/store';
import { groupRecord, userRecord } from '../conformance/fixtures';
import { describePostgres } from '../helpers/postgres';
import { TestDatabases } from './postgres-databases';

/**
 * The PostgreSQL store answers exactly as the SQLite store for the same writes: a bulk load and a
 * churn on top of it, and names that order differently under any collation but code points, on a
 * database whose default collation is a linguistic one (ICU en-US).
 */
jest.setTimeout(120_000);

const databases = new TestDatabases();
const roots: string[] = [];
afterAll(async () => {
  await databases.dropAll();
  roots.forEach((root) => rmSync(root, { recursive: true, force: true }));
});

interface Pair {
  readonly sqlite: Store;
  readonly postgres: Store;
  readonly dirs: { readonly sqlite: number; readonly postgres: number };
  close(): Promise<void>;
}

async function pair(postgresUrl?: string): Promise<Pair> {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-parity-'));
  roots.push(root);
  const sqlite = openSqliteStore(root);
  const postgres = await PostgresStore.open({ url: postgresUrl ?? (await databases.fresh()), poolSize: 4 });
  const definitions = [{ name: 'corp', provider: 'demo' }];
  const [s] = await sqlite.upsertDirectories(definitions);
  const [p] = await postgres.upsertDirectories(definitions);
  return {
    sqlite,
    postgres,
    dirs: { sqlite: s!.id, postgres: p!.id },
    close: async () => {
      await sqlite.close();
      await postgres.close();
    },
  };
}

/** Contents without row ids and timestamps, in a fixed order. */
function comparable(contents: DirectoryContents) {
  const byExternal = (a: { externalId: string }, b: { externalId: string }) => (a.externalId < b.externalId ? -1 : 1);
  const strip = <T extends { id: number; directoryId: number; createdAt: Date; updatedAt: Date }>(item: T) => {
    const { id: _id, directoryId: _d, createdAt: _c, updatedAt: _u, ...rest } = { ...item };
    return rest;
  };
  return {
    users: [...contents.users].sort(byExternal).map(strip),
    groups: [...contents.groups].sort(byExternal).map(strip),
    userMemberships: contents.userMemberships.map((p) => p.join(' ')).sort(),
    groupMemberships: contents.groupMemberships.map((p) => p.join(' ')).sort(),
  };
}

describePostgres('PostgreSQL answers as SQLite', () => {
  test('a bulk load (30k users, 3k groups, 100k memberships) and a churn on it', async () => {
    const stores = await pair();
    try {
      const users = Array.from({ length: 30_000 }, (_, i) =>
        userRecord(`u${i}`, `User.${i}`, {
          active: i % 7 !== 0,
          attributes: i % 5 === 0 ? { department: [`Dept ${i % 13}`], 'cost "center"': ['Ä\\1'] } : {},
          displayName: `Ünal "${i}" \\ Ω`,
        }),
      );
      const groups = Array.from({ length: 3_000 }, (_, i) => groupRecord(`g${i}`, `Group-${i}`));
      const memberships = Array.from(
        { length: 100_000 },
        (_, i) => [`u${i % 30_000}`, `g${((i % 30_000) * 7 + Math.floor(i / 30_000) * 701) % 3_000}`] as const,
      );
      const nested = Array.from({ length: 2_000 }, (_, i) => [`g${i + 1}`, `g${Math.floor(i / 3)}`] as const);
      const load: ChangeSet = {
        upsertUsers: users,
        upsertGroups: groups,
        addUserMemberships: memberships,
        addGroupMemberships: nested,
      };
      const churn: ChangeSet = {
        // Renames, one of them a swap of two names, removals, membership moves.
        upsertUsers: [
          userRecord('u1', 'User.2'),
          userRecord('u2', 'USER.1'),
          userRecord('u3', 'renamed.3'),
          userRecord('new1', 'User.3', { attributes: { team: ['x'] } }),
          { ...users[10]!, active: false },
        ],
        removeUsers: ['u4', 'u5', 'missing'],
        removeGroups: ['g7'],
        upsertGroups: [groupRecord('g8', 'group-9'), groupRecord('g9', 'GROUP-8')],
        removeUserMemberships: memberships.slice(0, 500),
        addUserMemberships: [['new1', 'g1'], ['u1', 'g2'], ['u1', 'g2'], ...memberships.slice(1000, 1100)],
        removeGroupMemberships: nested.slice(0, 50),
        addGroupMemberships: [['g8', 'g100']],
      };
      for (const changes of [load, churn]) {
        const [s, p] = await Promise.all([
          stores.sqlite.apply(stores.dirs.sqlite, changes),
          stores.postgres.apply(stores.dirs.postgres, changes),
        ]);
        expect(p).toEqual(s);
        const [sc, pc] = await Promise.all([
          stores.sqlite.loadDirectoryContents(stores.dirs.sqlite),
          stores.postgres.loadDirectoryContents(stores.dirs.postgres),
        ]);
        expect(comparable(pc)).toEqual(comparable(sc));
        if (changes === load) expect(pc.userMemberships).toHaveLength(100_000);
        expect(await stores.postgres.directoryCounts(stores.dirs.postgres)).toEqual(
          await stores.sqlite.directoryCounts(stores.dirs.sqlite),
        );
      }
      // A refused change set (a conflict in the middle of a bulk set) is refused alike and changes nothing.
      const conflicting: ChangeSet = {
        upsertUsers: [
          ...users.slice(0, 10_000).map((u) => ({ ...u, lastName: 'changed' })),
          userRecord('x', 'user.20'),
        ],
      };
      const [se, pe] = await Promise.all([
        stores.sqlite.apply(stores.dirs.sqlite, conflicting).catch((e: unknown) => e),
        stores.postgres.apply(stores.dirs.postgres, conflicting).catch((e: unknown) => e),
      ]);
      expect(pe).toMatchObject({ code: 'CONFLICT', message: (se as Error).message });
      expect((await stores.postgres.findUsersByName([stores.dirs.postgres], ['user.20']))[0]!.lastName).toBe(
        'User.20-last',
      );
    } finally {
      await stores.close();
    }
  });

  test('names order by code point under a linguistic database collation, as in SQLite', async () => {
    const url = await databases.create(
      `cg_icu_${process.pid}`,
      "TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
    );
    const stores = await pair(url);
    try {
      // Each pair orders differently in en-US than by code point: case, accents, punctuation, ß, İ, ﬁ, emoji.
      const names = [
        'zed',
        'Zoë',
        'zoe',
        'émile',
        'Emile',
        'eve',
        'e_z',
        'e-z',
        'e.z',
        'ez',
        'E z',
        'e1',
        'ß',
        'ss',
        'st',
        'İstanbul',
        'istanbul',
        'ıx',
        'ﬁle',
        'file',
        'Ωmega',
        'omega',
        '_under',
        'under',
        '😀',
        '\u{FFFD}',
        'a\u{10000}',
        'a\u{FFFF}',
        'å',
        'a',
        'b',
        'ǅ',
        'dz',
        'ﬀ',
      ];
      const changes: ChangeSet = {
        upsertUsers: names.map((n, i) => userRecord(`u${i}`, n, { firstName: n, attributes: { nick: [n] } })),
        upsertGroups: [groupRecord('g', 'all'), ...names.map((n, i) => groupRecord(`g${i}`, `G ${n}`))],
        addUserMemberships: names.map((_, i) => [`u${i}`, 'g'] as const),
        addGroupMemberships: names.map((_, i) => [`g${i}`, 'g'] as const),
      };
      await stores.sqlite.apply(stores.dirs.sqlite, changes);
      await stores.postgres.apply(stores.dirs.postgres, changes);
      const ask = async (store: Store, dir: number) => {
        const search = async (filter: UserFilter, afterName?: string) =>
          (await store.searchUsers({ directoryIds: [dir], filter, afterName, limit: 1000 })).items.map((u) => u.name);
        const all = await search({ kind: 'all' });
        const [group] = await store.findGroupsByName([dir], ['all']);
        const [user] = await store.findUsersByName([dir], ['zed']);
        return {
          all,
          pages: await Promise.all(all.map((n) => search({ kind: 'all' }, foldName(n)))),
          lessThan: await Promise.all(
            all.map((n) => search({ kind: 'string', field: 'firstName', match: 'lessThan', value: n })),
          ),
          greaterThan: await Promise.all(
            all.map((n) => search({ kind: 'attribute', name: 'nick', match: 'greaterThan', value: n })),
          ),
          members: (await store.usersOfGroups([group!.id], true)).get(group!.id)!.map((r) => r.name),
          children: (await store.childGroupsOfGroups([group!.id], false)).get(group!.id)!.map((r) => r.name),
          groupsOfUser: (await store.groupsOfUsers([user!.id], true)).get(user!.id)!.map((r) => r.name),
          found: (await store.findUsersByName([dir], names.map(foldName))).map((u) => u.name).sort(),
        };
      };
      const sqlite = await ask(stores.sqlite, stores.dirs.sqlite);
      const postgres = await ask(stores.postgres, stores.dirs.postgres);
      expect(postgres).toEqual(sqlite);
      expect(postgres.all).toEqual([...names].sort((a, b) => codePointCompare(foldName(a), foldName(b))));
    } finally {
      await stores.close();
    }
  });
});

function codePointCompare(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
