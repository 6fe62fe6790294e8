import DataLoader from 'dataloader';
import type { Group } from '../src/domain/group';
import { foldName } from '../src/domain/names';
import { parseUserKey, type User } from '../src/domain/user';
import { MAX_BATCH, type NamedRef, type Store } from '../src/store/store';

/**
 * Per-request DataLoaders: every field resolver reads through these, so a query for N users and
 * their groups costs a bounded number of store calls (one per batch of up to MAX_BATCH keys), not
 * N. Created fresh in the context factory for each request: nothing is cached across requests.
 */
export interface Loaders {
  userById: DataLoader<number, User | null>;
  groupById: DataLoader<number, Group | null>;
  /** By Crowd user key `{directoryId}:{externalId}`. */
  userByKey: DataLoader<string, User | null>;
  /** By folded name within a directory precedence list (first directory that has the name wins). */
  userByName(directoryIds: readonly number[]): DataLoader<string, User | null>;
  groupByName(directoryIds: readonly number[]): DataLoader<string, Group | null>;
  groupsOfUser: MembershipLoaders;
  usersOfGroup: MembershipLoaders;
  childGroups: MembershipLoaders;
  parentGroups: MembershipLoaders;
}

export interface MembershipLoaders {
  direct: DataLoader<number, NamedRef[]>;
  nested: DataLoader<number, NamedRef[]>;
}

const OPTIONS = { maxBatchSize: MAX_BATCH } as const;

export function createLoaders(store: Store): Loaders {
  const userById = new DataLoader<number, User | null>(async (ids) => byKey(ids, await store.getUsers(ids), (u) => u.id), OPTIONS);
  const groupById = new DataLoader<number, Group | null>(async (ids) => byKey(ids, await store.getGroups(ids), (g) => g.id), OPTIONS);

  const userByKey = new DataLoader<string, User | null>(async (keys) => {
    const wanted = new Map<number, string[]>();
    for (const key of keys) {
      const parsed = parseUserKey(key);
      if (parsed) wanted.set(parsed.directoryId, [...(wanted.get(parsed.directoryId) ?? []), parsed.externalId]);
    }
    const found = (
      await Promise.all([...wanted].map(([directoryId, externalIds]) => store.findUsersByExternalId(directoryId, externalIds)))
    ).flat();
    return byKey(keys, found, (u) => `${u.directoryId}:${u.externalId}`);
  }, OPTIONS);

  const byName = <T extends { name: string; directoryId: number }>(
    find: (directoryIds: readonly number[], names: readonly string[]) => Promise<T[]>,
  ) => {
    const perScope = new Map<string, DataLoader<string, T | null>>();
    return (directoryIds: readonly number[]) => {
      const scope = directoryIds.join(',');
      let loader = perScope.get(scope);
      if (!loader) {
        loader = new DataLoader<string, T | null>(async (names) => {
          const rank = new Map(directoryIds.map((id, index) => [id, index]));
          const best = new Map<string, T>();
          for (const entity of await find(directoryIds, names)) {
            const folded = foldName(entity.name);
            const current = best.get(folded);
            if (!current || rank.get(entity.directoryId)! < rank.get(current.directoryId)!) best.set(folded, entity);
          }
          return names.map((name) => best.get(name) ?? null);
        }, OPTIONS);
        perScope.set(scope, loader);
      }
      return loader;
    };
  };

  const membership = (load: (ids: readonly number[], nested: boolean) => Promise<Map<number, NamedRef[]>>): MembershipLoaders => {
    const loader = (nested: boolean) =>
      new DataLoader<number, NamedRef[]>(async (ids) => {
        const result = await load(ids, nested);
        return ids.map((id) => result.get(id) ?? []);
      }, OPTIONS);
    // Made on first use: most requests (a Crowd `GET /user`) never read a membership.
    let direct: DataLoader<number, NamedRef[]> | undefined;
    let nested: DataLoader<number, NamedRef[]> | undefined;
    return {
      get direct() {
        return (direct ??= loader(false));
      },
      get nested() {
        return (nested ??= loader(true));
      },
    };
  };

  return {
    userById,
    groupById,
    userByKey,
    userByName: byName((ids, names) => store.findUsersByName(ids, names)),
    groupByName: byName((ids, names) => store.findGroupsByName(ids, names)),
    groupsOfUser: membership((ids, nested) => store.groupsOfUsers(ids, nested)),
    usersOfGroup: membership((ids, nested) => store.usersOfGroups(ids, nested)),
    childGroups: membership((ids, nested) => store.childGroupsOfGroups(ids, nested)),
    parentGroups: membership((ids, nested) => store.parentGroupsOfGroups(ids, nested)),
  };
}

function byKey<K, T>(keys: readonly K[], found: readonly T[], keyOf: (value: T) => K): Array<T | null> {
  const map = new Map(found.map((value) => [keyOf(value), value]));
  return keys.map((key) => map.get(key) ?? null);
}
