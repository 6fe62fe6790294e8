import type { Change, TenantState } from '../core/tenant-state';
import type { DirectoryIndex } from './directory-index';
import { GROUP_FIELD_PROPERTIES, USER_FIELD_PROPERTIES } from './mapping';

/**
 * Collapses the change journal between two positions into what one incremental delta round
 * reports (delta-query-overview, user-delta, group-delta):
 * - a user or group created, updated (in a tracked property) or deleted appears once; deleted ones
 *   as `@removed` — users with reason `changed` (soft-deleted, restorable for 30 days), Microsoft
 *   365 groups `changed` (also soft-deleted), security and distribution groups `deleted` (Entra
 *   deletes those permanently);
 * - membership changes of a group collapse per member to its final state (added, or removed with
 *   reason `deleted`, which covers removal and deletion of the member).
 * The result is sorted by id for key-set paging, and fixed for the round: it is computed once per
 * (from, to, options) and cached, while object properties are read live when pages are rendered
 * (a change made after the round began may therefore show early and again next round: a replay).
 */
export interface UserRoundEntry {
  readonly id: string;
  readonly removed: 'changed' | 'deleted' | null;
  readonly created: boolean;
  /** Graph properties changed (for Prefer: return=minimal). */
  readonly changed: ReadonlySet<string>;
}

export interface GroupRoundEntry {
  readonly id: string;
  readonly removed: 'changed' | 'deleted' | null;
  readonly created: boolean;
  readonly changed: ReadonlySet<string>;
  /** Member entries of this round, sorted: all current members for a new group, else the changed ones. */
  readonly memberIds: readonly string[];
  /** Members in `memberIds` that are removals, with their type. */
  readonly removedMembers: ReadonlyMap<string, 'user' | 'group'>;
}

export interface Round<E> {
  readonly ids: readonly string[];
  readonly entries: ReadonlyMap<string, E>;
}

interface Touch {
  created: boolean;
  deleted: boolean;
  readonly fields: Set<string>;
  readonly members: Map<string, 'user' | 'group'>;
}

function collect(changes: readonly Change[], to: number, prefix: 'user' | 'group'): Map<string, Touch> {
  const touched = new Map<string, Touch>();
  for (const c of changes) {
    if (c.seq > to) break;
    const isMember = c.kind === 'member.added' || c.kind === 'member.removed';
    if (!c.kind.startsWith(`${prefix}.`) && !(prefix === 'group' && isMember)) continue;
    let t = touched.get(c.id);
    if (!t) {
      t = { created: false, deleted: false, fields: new Set(), members: new Map() };
      touched.set(c.id, t);
    }
    if (c.kind.endsWith('.created')) t.created = true;
    else if (c.kind.endsWith('.deleted')) t.deleted = true;
    else if (c.kind.endsWith('.updated')) for (const f of c.fields ?? []) t.fields.add(f);
    else if (isMember && c.memberId !== undefined) t.members.set(c.memberId, c.memberKind ?? 'user');
  }
  return touched;
}

function propertiesOf(fields: ReadonlySet<string>, map: Readonly<Record<string, readonly string[]>>): Set<string> {
  const out = new Set<string>();
  for (const f of fields) for (const p of map[f] ?? []) out.add(p);
  return out;
}

const tracks = (select: readonly string[] | null, changed: ReadonlySet<string>): boolean =>
  select === null ? changed.size > 0 : select.some((p) => changed.has(p));

export function userRound(
  state: TenantState,
  from: number,
  to: number,
  select: readonly string[] | null,
  onlyIds: ReadonlySet<string> | null,
): Round<UserRoundEntry> {
  const entries = new Map<string, UserRoundEntry>();
  for (const [id, t] of collect(state.changesSince(from), to, 'user')) {
    if (onlyIds && !onlyIds.has(id)) continue;
    const exists = state.users.has(id);
    const changed = propertiesOf(t.fields, USER_FIELD_PROPERTIES);
    if (exists && !t.created && !tracks(select, changed)) continue;
    entries.set(id, { id, removed: exists ? null : 'changed', created: t.created, changed });
  }
  return { ids: [...entries.keys()].sort(), entries };
}

export function groupRound(
  state: TenantState,
  index: DirectoryIndex,
  from: number,
  to: number,
  select: readonly string[] | null,
  onlyIds: ReadonlySet<string> | null,
): Round<GroupRoundEntry> {
  const trackMembers = select === null || select.includes('members');
  const entries = new Map<string, GroupRoundEntry>();
  for (const [id, t] of collect(state.changesSince(from), to, 'group')) {
    if (onlyIds && !onlyIds.has(id)) continue;
    const group = state.groups.get(id);
    const changed = propertiesOf(t.fields, GROUP_FIELD_PROPERTIES);
    if (!group) {
      const reason = index.wasUnified(id) ? 'changed' : 'deleted';
      entries.set(id, { id, removed: reason, created: t.created, changed, memberIds: [], removedMembers: new Map() });
      continue;
    }
    if (t.created) {
      entries.set(id, {
        id,
        removed: null,
        created: true,
        changed,
        memberIds: trackMembers ? index.memberIds(group) : [],
        removedMembers: new Map(),
      });
      continue;
    }
    const removedMembers = new Map<string, 'user' | 'group'>();
    const memberIds: string[] = [];
    if (trackMembers) {
      for (const [memberId, kind] of t.members) {
        memberIds.push(memberId);
        if (!group.userIds.has(memberId) && !group.groupIds.has(memberId)) removedMembers.set(memberId, kind);
      }
      memberIds.sort();
    }
    const propsSelect = select === null ? null : select.filter((p) => p !== 'members');
    if (memberIds.length === 0 && !tracks(propsSelect, changed)) continue;
    entries.set(id, { id, removed: null, created: false, changed, memberIds, removedMembers });
  }
  return { ids: [...entries.keys()].sort(), entries };
}
