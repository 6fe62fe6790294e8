import 'reflect-metadata';
import { execute, parse } from 'graphql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../resolvers/context';
import { DirectoryScope } from '../../resolvers/directory-scope';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { groupRecord, userRecord } from '../conformance/fixtures';

/** Wraps a store so every call is counted by method name. */
function counting(store: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

describe('DataLoader batching', () => {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-batch-'));
  const store = openSqliteStore(root);
  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('200 users with their groups and each group’s parents cost a bounded number of store calls', async () => {
    const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
    const users = Array.from({ length: 250 }, (_, i) => userRecord(`u${i}`, `user${String(i).padStart(3, '0')}`));
    const groups = Array.from({ length: 20 }, (_, i) => groupRecord(`g${i}`, `group${String(i).padStart(2, '0')}`));
    await store.apply(directory!.id, {
      upsertUsers: users,
      upsertGroups: groups,
      addUserMemberships: users.flatMap((u, i) => [
        [u.externalId, `g${i % 20}`] as const,
        [u.externalId, `g${(i * 7) % 20}`] as const,
      ]),
      addGroupMemberships: [['g1', 'g0']],
    });
    const schema = await buildCrowdgateSchema();
    const { store: counted, calls } = counting(store);
    const result = await execute({
      schema,
      document: parse(
        '{ users(first: 200) { nodes { name groups { nodes { name parentGroups { nodes { name } } } } } } }',
      ),
      contextValue: createContext(counted, new DirectoryScope([directory!]), 'test'),
    });
    expect(result.errors).toBeUndefined();
    const nodes = (
      result.data as { users: { nodes: Array<{ name: string; groups: { nodes: Array<{ name: string }> } }> } }
    ).users.nodes;
    expect(nodes).toHaveLength(200);
    // user007 (i = 7) is in group07 and group09 ((7 * 7) % 20 = 9), ordered by name.
    expect(nodes.find((n) => n.name === 'user007')!.groups.nodes.map((g) => g.name)).toEqual(['group07', 'group09']);
    // One search, one batch of memberships, one batch of groups, one batch of parents — not one per
    // user. The parent group (group00) is already in the request's group cache: no second getGroups.
    expect(Object.fromEntries(calls)).toEqual({
      searchUsers: 1,
      groupsOfUsers: 1,
      getGroups: 1,
      parentGroupsOfGroups: 1,
    });
  });
});
