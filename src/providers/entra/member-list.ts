import type { ProviderMember } from '../provider';
import { isRemoved, type GraphObject } from './mapper';

/**
 * A group's direct members in compact form, held between fetching and the engine taking them.
 *
 * A tenant's memberships outnumber its users tenfold; as `{kind, id}` objects with their own id
 * strings parsed from JSON they would cost ~90 bytes each. Here a membership is one array slot
 * pointing at an interned id string (the instance the users or groups listing already holds), so
 * member lists of a whole tenant can wait for the engine without growing the heap much.
 */
export interface MemberList {
  readonly users: string[];
  readonly groups: string[];
}

export const emptyMembers = (): MemberList => ({ users: [], groups: [] });

/** One instance per id for the length of a listing (ids are repeated in every group they are in). */
export class Interner {
  private readonly ids = new Map<string, string>();

  intern(id: string): string {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    this.ids.set(id, id);
    return id;
  }

  /** The listing is over: ids handed out stay valid, the table goes. */
  clear(): void {
    this.ids.clear();
  }
}

/** User and group members of a Graph member object; contacts, devices, service principals: null. */
export function memberKind(o: GraphObject): 'user' | 'group' | null {
  const type = o['@odata.type'];
  return type === '#microsoft.graph.user' ? 'user' : type === '#microsoft.graph.group' ? 'group' : null;
}

/** Appends the user and group members of a listing page to `list`. */
export function appendMembers(values: readonly GraphObject[], list: MemberList, ids: Interner): void {
  for (const value of values) {
    const kind = memberKind(value);
    if (kind === null) continue;
    (kind === 'user' ? list.users : list.groups).push(ids.intern(value['id'] as string));
  }
}

/** Applies `members@delta` entries (added, or `@removed`) to a per-group member map. */
export function applyMemberDelta(entries: unknown, members: Map<string, 'user' | 'group'>, ids: Interner): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { id?: unknown }).id !== 'string') continue;
    const o = entry as GraphObject;
    const kind = memberKind(o);
    if (kind === null) continue;
    const id = ids.intern(o['id'] as string);
    if (isRemoved(o)) members.delete(id);
    else members.set(id, kind);
  }
}

export function toMemberList(members: ReadonlyMap<string, 'user' | 'group'>): MemberList {
  const list = emptyMembers();
  for (const [id, kind] of members) (kind === 'user' ? list.users : list.groups).push(id);
  return list;
}

/** The provider-neutral records the engine reads, made one at a time. */
export function* memberRecords(list: MemberList): Generator<ProviderMember> {
  for (const id of list.users) yield { kind: 'user', id };
  for (const id of list.groups) yield { kind: 'group', id };
}
