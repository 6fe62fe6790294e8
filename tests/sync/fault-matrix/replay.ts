import type { CrowdEvent } from '../../../src/domain/events';
import { foldName } from '../../../src/domain/names';
import type { DirectoryContents } from '../../../src/store/store';

/**
 * What a Crowd client (Jira's RemoteCrowdDirectory cache, fed by `/event`) holds for one
 * directory, and how it applies `/event` entries:
 * - users are cached by name; an upsert finds the row by `key` first (a rename keeps the row and
 *   its memberships), else by name (the row with that name is overwritten); DELETED is by name;
 * - groups are cached by name (they have no key): CREATED/UPDATED upsert by name, DELETED removes
 *   the group and every membership naming it;
 * - userMembership UPDATED sets the user's complete direct group set; groupMembership UPDATED sets
 *   the group's complete parents and children.
 * A rename onto a name another row still holds cannot be applied by a client (it falls back to a
 * full sync): that is reported as a conflict, not silently resolved.
 */
interface CachedUser {
  key: string;
  name: string;
  fields: string;
  groups: Set<string>;
}

export interface CrowdView {
  /** folded name → user */
  readonly users: Map<string, CachedUser>;
  /** folded name → `name|description|active` */
  readonly groups: Map<string, string>;
  /** `child>parent`, folded names */
  readonly nesting: Set<string>;
}

const userFields = (u: { firstName: string; lastName: string; displayName: string; email: string; active: boolean }) =>
  JSON.stringify([u.firstName, u.lastName, u.displayName, u.email, u.active]);

/** The Crowd view of a stored directory. */
export function crowdView(state: DirectoryContents): CrowdView {
  const users = new Map<string, CachedUser>();
  const byExternal = new Map<string, CachedUser>();
  for (const u of state.users) {
    const cached: CachedUser = {
      key: `${u.directoryId}:${u.externalId}`,
      name: u.name,
      fields: userFields(u),
      groups: new Set(),
    };
    users.set(foldName(u.name), cached);
    byExternal.set(u.externalId, cached);
  }
  const groupName = new Map<string, string>();
  const groups = new Map<string, string>();
  for (const g of state.groups) {
    groupName.set(g.externalId, foldName(g.name));
    groups.set(foldName(g.name), `${g.name}|${g.description}|${g.active}`);
  }
  for (const [u, g] of state.userMemberships) byExternal.get(u)?.groups.add(groupName.get(g) ?? `?${g}`);
  const nesting = new Set<string>();
  for (const [c, p] of state.groupMemberships)
    nesting.add(`${groupName.get(c) ?? `?${c}`}>${groupName.get(p) ?? `?${p}`}`);
  return { users, groups, nesting };
}

export interface Conflict {
  readonly text: string;
  /** A cycle of renames (users swapping names): no order of events avoids it. */
  readonly unavoidable: boolean;
}

/** Applies events in order; returns the conflicts met (a client would fall back to a full sync). */
export function replay(view: CrowdView, events: readonly CrowdEvent[]): Conflict[] {
  const conflicts: Conflict[] = [];
  // For telling a rename cycle from a badly ordered chain: who held each name before, and the
  // name each user ends up with in this batch.
  const heldBefore = new Map([...view.users].map(([name, u]) => [name, u.key]));
  const target = new Map<string, string>();
  for (const e of events)
    if (e.type === 'user' && e.operation !== 'DELETED') target.set(e.user.key, foldName(e.user.name));
  const onCycle = (key: string, holder: string): boolean => {
    let current: string | undefined = holder;
    for (let steps = 0; current !== undefined && steps <= target.size; steps++) {
      const next = target.get(current);
      if (next === undefined) return false;
      current = heldBefore.get(next);
      if (current === key) return true;
    }
    return false;
  };
  for (const event of events) {
    switch (event.type) {
      case 'user': {
        const name = foldName(event.user.name);
        if (event.operation === 'DELETED') {
          view.users.delete(name);
          break;
        }
        const fields = userFields(event.user);
        const byKey = [...view.users.values()].find((u) => u.key === event.user.key);
        const holder = view.users.get(name);
        if (byKey) {
          if (holder && holder !== byKey) {
            conflicts.push({
              text: `user ${event.user.key} renamed to "${event.user.name}" while ${holder.key} holds it`,
              unavoidable: onCycle(event.user.key, holder.key),
            });
            break;
          }
          view.users.delete(foldName(byKey.name));
          Object.assign(byKey, { name: event.user.name, fields });
          view.users.set(name, byKey);
        } else if (holder) {
          Object.assign(holder, { key: event.user.key, name: event.user.name, fields });
        } else {
          view.users.set(name, { key: event.user.key, name: event.user.name, fields, groups: new Set() });
        }
        break;
      }
      case 'group': {
        const name = foldName(event.group.name);
        if (event.operation === 'DELETED') {
          view.groups.delete(name);
          for (const u of view.users.values()) u.groups.delete(name);
          for (const edge of [...view.nesting]) {
            const [c, p] = edge.split('>');
            if (c === name || p === name) view.nesting.delete(edge);
          }
        } else view.groups.set(name, `${event.group.name}|${event.group.description}|${event.group.active}`);
        break;
      }
      case 'userMembership': {
        const user = view.users.get(foldName(event.user));
        if (!user) {
          conflicts.push({ text: `membership event for unknown user "${event.user}"`, unavoidable: false });
          break;
        }
        user.groups = new Set(event.groups.map(foldName));
        break;
      }
      case 'groupMembership': {
        const group = foldName(event.group);
        for (const edge of [...view.nesting]) {
          const [c, p] = edge.split('>');
          if (c === group || p === group) view.nesting.delete(edge);
        }
        for (const p of event.parents) view.nesting.add(`${group}>${foldName(p)}`);
        for (const c of event.children) view.nesting.add(`${foldName(c)}>${group}`);
        break;
      }
    }
  }
  return conflicts;
}

/** Differences between what a client holds after replaying and what the store holds. */
export function diffViews(replayed: CrowdView, stored: CrowdView, limit = 6): string[] {
  const out: string[] = [];
  for (const [name, u] of stored.users) {
    const r = replayed.users.get(name);
    if (!r) out.push(`user "${u.name}" (${u.key}) missing after replay`);
    else {
      if (r.key !== u.key || r.name !== u.name || r.fields !== u.fields)
        out.push(`user "${u.name}": replay has ${r.key} "${r.name}" ${r.fields}, store ${u.key} ${u.fields}`);
      const a = [...r.groups].sort().join(',');
      const b = [...u.groups].sort().join(',');
      if (a !== b) out.push(`groups of "${u.name}": replay [${a}], store [${b}]`);
    }
  }
  for (const [name, r] of replayed.users)
    if (!stored.users.has(name)) out.push(`user "${r.name}" (${r.key}) left by replay, not in store`);
  for (const [name, g] of stored.groups) {
    const r = replayed.groups.get(name);
    if (r !== g) out.push(`group "${name}": replay ${r ?? 'missing'}, store ${g}`);
  }
  for (const [name, r] of replayed.groups)
    if (!stored.groups.has(name)) out.push(`group "${name}" left by replay (${r}), not in store`);
  for (const e of stored.nesting) if (!replayed.nesting.has(e)) out.push(`nesting ${e} missing after replay`);
  for (const e of replayed.nesting) if (!stored.nesting.has(e)) out.push(`nesting ${e} left by replay, not in store`);
  return out.slice(0, limit).concat(out.length > limit ? [`… ${out.length - limit} more`] : []);
}
