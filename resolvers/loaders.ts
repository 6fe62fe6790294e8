import DataLoader from 'dataloader';
import type { Group } from '../src/domain/group';
import { foldName } from '../src/domain/names';
import { parseUserKey, type User } from '../src/domain/user';
import { MAX_BATCH, type NamedRef, type Store } from '../src/store/store';
import { Turns } from './turns';

/**
 * Per-request DataLoaders: every field resolver reads through these, so a query for N users and
 * their groups costs a bounded number of store calls (one per batch of up to MAX_BATCH keys), not
 * N. Created fresh in the context factory for each request: nothing is cached across requests.
 *
 * The batches of lists (memberships, entities by id) wait for the request's next turn of the
 * event loop before they read (turns.ts), so a large document leaves room for other clients. The
 * single lookups by name and key do not: they are the Crowd facade's hot path (`GET /user`), one
 * small read each.
 */
export interface Loaders {
  readonly userById: DataLoader<number, User | null>;
  readonly groupById: DataLoader<number, Group | null>;
  /** By Crowd user key `{directoryId}:{externalId}`. */
  readonly userByKey: DataLoader<string, User | null>;
  /** By folded name within a directory precedence list (first directory that has the name wins). */
  userByName(directoryIds: readonly number[]): DataLoader<string, User | null>;
  groupByName(directoryIds: readonly number[]): DataLoader<string, Group | null>;
  readonly groupsOfUser: MembershipLoaders;
  readonly usersOfGroup: MembershipLoaders;
  readonly childGroups: MembershipLoaders;
  readonly parentGroups: MembershipLoaders;
  /** Waits for this request's next turn of the event loop; top-level searches call it before they read. */
  turn(): Promise<void>;
}

interface MembershipLoaders {
  readonly direct: DataLoader<number, NamedRef[]>;
  readonly nested: DataLoader<number, NamedRef[]>;
}

const OPTIONS = { maxBatchSize: MAX_BATCH } as const;

/**
 * Made per request, and each loader on first use: a Crowd `GET /user` reads one loader of the
 * nine; building all of them (a DataLoader, its cache Map and closures each) made the
 * `CrowdUserByName` operation 5–12% dearer (in-process A/B, 3 runs).
 */
export function createLoaders(store: Store): Loaders {
  return new RequestLoaders(store);
}

class RequestLoaders implements Loaders {
  private byId?: { users: DataLoader<number, User | null>; groups: DataLoader<number, Group | null> };
  private byKey?: DataLoader<string, User | null>;
  private turns?: Turns;
  private readonly usersByName = new ScopedByName((ids, names) => this.store.findUsersByName(ids, names));
  private readonly groupsByName = new ScopedByName((ids, names) => this.store.findGroupsByName(ids, names));
  readonly groupsOfUser = new LazyMembership((ids, nested) =>
    this.afterTurn(() => this.store.groupsOfUsers(ids, nested)),
  );
  readonly usersOfGroup = new LazyMembership((ids, nested) =>
    this.afterTurn(() => this.store.usersOfGroups(ids, nested)),
  );
  readonly childGroups = new LazyMembership((ids, nested) =>
    this.afterTurn(() => this.store.childGroupsOfGroups(ids, nested)),
  );
  readonly parentGroups = new LazyMembership((ids, nested) =>
    this.afterTurn(() => this.store.parentGroupsOfGroups(ids, nested)),
  );

  constructor(private readonly store: Store) {}

  turn(): Promise<void> {
    return (this.turns ??= new Turns()).next();
  }

  private async afterTurn<T>(read: () => Promise<T>): Promise<T> {
    await this.turn();
    return read();
  }

  get userById(): DataLoader<number, User | null> {
    return this.idLoaders().users;
  }

  get groupById(): DataLoader<number, Group | null> {
    return this.idLoaders().groups;
  }

  get userByKey(): DataLoader<string, User | null> {
    return (this.byKey ??= new DataLoader<string, User | null>(async (keys) => {
      const wanted = new Map<number, string[]>();
      for (const key of keys) {
        const parsed = parseUserKey(key);
        if (parsed) wanted.set(parsed.directoryId, [...(wanted.get(parsed.directoryId) ?? []), parsed.externalId]);
      }
      const found = (
        await Promise.all(
          [...wanted].map(([directoryId, externalIds]) => this.store.findUsersByExternalId(directoryId, externalIds)),
        )
      ).flat();
      return byKey(keys, found, (u) => `${u.directoryId}:${u.externalId}`);
    }, OPTIONS));
  }

  userByName(directoryIds: readonly number[]): DataLoader<string, User | null> {
    return this.usersByName.in(directoryIds);
  }

  groupByName(directoryIds: readonly number[]): DataLoader<string, Group | null> {
    return this.groupsByName.in(directoryIds);
  }

  private idLoaders() {
    return (this.byId ??= {
      users: new DataLoader<number, User | null>(
        async (ids) => byKey(ids, await this.afterTurn(() => this.store.getUsers(ids)), (u) => u.id),
        OPTIONS,
      ),
      groups: new DataLoader<number, Group | null>(
        async (ids) => byKey(ids, await this.afterTurn(() => this.store.getGroups(ids)), (g) => g.id),
        OPTIONS,
      ),
    });
  }
}

/** One name loader per directory precedence list: the first directory that has the name wins. */
class ScopedByName<T extends { name: string; directoryId: number }> {
  private perScope?: Map<string, DataLoader<string, T | null>>;

  constructor(private readonly find: (directoryIds: readonly number[], names: readonly string[]) => Promise<T[]>) {}

  in(directoryIds: readonly number[]): DataLoader<string, T | null> {
    const scope = directoryIds.join(',');
    this.perScope ??= new Map();
    let loader = this.perScope.get(scope);
    if (!loader) {
      loader = new DataLoader<string, T | null>(async (names) => {
        const rank = new Map(directoryIds.map((id, index) => [id, index]));
        const best = new Map<string, T>();
        for (const entity of await this.find(directoryIds, names)) {
          const folded = foldName(entity.name);
          const current = best.get(folded);
          if (!current || rank.get(entity.directoryId)! < rank.get(current.directoryId)!) best.set(folded, entity);
        }
        return names.map((name) => best.get(name) ?? null);
      }, OPTIONS);
      this.perScope.set(scope, loader);
    }
    return loader;
  }
}

/** Direct and nested membership loaders of one relation, each made on first use. */
class LazyMembership implements MembershipLoaders {
  private directLoader?: DataLoader<number, NamedRef[]>;
  private nestedLoader?: DataLoader<number, NamedRef[]>;

  constructor(private readonly load: (ids: readonly number[], nested: boolean) => Promise<Map<number, NamedRef[]>>) {}

  get direct(): DataLoader<number, NamedRef[]> {
    return (this.directLoader ??= this.loader(false));
  }

  get nested(): DataLoader<number, NamedRef[]> {
    return (this.nestedLoader ??= this.loader(true));
  }

  private loader(nested: boolean): DataLoader<number, NamedRef[]> {
    return new DataLoader<number, NamedRef[]>(async (ids) => {
      const result = await this.load(ids, nested);
      return ids.map((id) => result.get(id) ?? []);
    }, OPTIONS);
  }
}

function byKey<K, T>(keys: readonly K[], found: readonly T[], keyOf: (value: T) => K): Array<T | null> {
  const map = new Map(found.map((value) => [keyOf(value), value]));
  return keys.map((key) => map.get(key) ?? null);
}
