import type { DirectoryContents, Store } from '../../../src/store/store';

/**
 * One directory as the store holds it, keyed by the provider's immutable ids, with every field a
 * sync writes (row ids and timestamps left out): what "the store equals exactly the previous or
 * the new picture" compares.
 */
export interface StorePicture {
  readonly users: Map<string, string>;
  readonly groups: Map<string, string>;
  readonly userMemberships: Set<string>;
  readonly groupMemberships: Set<string>;
  /** The raw state (names and fields, for event replay). */
  readonly state: DirectoryContents;
}

export async function readPicture(store: Store, directoryId: number): Promise<StorePicture> {
  return pictureOf(await store.loadDirectoryContents(directoryId));
}

export function pictureOf(state: DirectoryContents): StorePicture {
  const users = new Map<string, string>();
  for (const u of state.users) {
    const attributes = Object.keys(u.attributes)
      .sort()
      .map((k) => [k, [...(u.attributes[k] ?? [])]]);
    users.set(
      u.externalId,
      JSON.stringify([u.name, u.firstName, u.lastName, u.displayName, u.email, u.active, attributes]),
    );
  }
  const groups = new Map<string, string>();
  for (const g of state.groups) {
    const attributes = Object.keys(g.attributes)
      .sort()
      .map((k) => [k, [...(g.attributes[k] ?? [])]]);
    groups.set(g.externalId, JSON.stringify([g.name, g.description, g.active, g.local, attributes]));
  }
  return {
    users,
    groups,
    userMemberships: new Set(state.userMemberships.map(([u, g]) => `${u}>${g}`)),
    groupMemberships: new Set(state.groupMemberships.map(([c, p]) => `${c}>${p}`)),
    state,
  };
}

/** The first few differences between two pictures (empty when they are equal). */
export function diffPictures(actual: StorePicture, expected: StorePicture, limit = 6): string[] {
  const out: string[] = [];
  const maps = (what: string, a: Map<string, string>, e: Map<string, string>) => {
    for (const [id, value] of e) {
      const got = a.get(id);
      if (got === undefined) out.push(`${what} ${id} missing (expected ${value})`);
      else if (got !== value) out.push(`${what} ${id} is ${got}, expected ${value}`);
    }
    for (const [id, value] of a) if (!e.has(id)) out.push(`${what} ${id} unexpected (${value})`);
  };
  const sets = (what: string, a: Set<string>, e: Set<string>) => {
    for (const x of e) if (!a.has(x)) out.push(`${what} ${x} missing`);
    for (const x of a) if (!e.has(x)) out.push(`${what} ${x} unexpected`);
  };
  maps('user', actual.users, expected.users);
  maps('group', actual.groups, expected.groups);
  sets('membership', actual.userMemberships, expected.userMemberships);
  sets('nesting', actual.groupMemberships, expected.groupMemberships);
  return out.slice(0, limit).concat(out.length > limit ? [`… ${out.length - limit} more`] : []);
}

export function samePicture(a: StorePicture, b: StorePicture): boolean {
  return diffPictures(a, b, 1).length === 0;
}
