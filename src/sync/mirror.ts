import type { ProviderChange, ProviderGroup, ProviderUser } from '../providers/provider';

/**
 * The engine's in-memory copy of the upstream directory: what the provider says, before any
 * mapping or filtering. A full run reads a new one (mirror-reader.ts); an incremental run applies the
 * provider's changes to it. Every operation is idempotent, so replayed changes are harmless.
 */
export class UpstreamMirror {
  readonly users = new Map<string, ProviderUser>();
  readonly groups = new Map<string, ProviderGroup>();
  /**
   * Direct groups of each user, without duplicates. Arrays, not Sets: a million memberships cost
   * ~15 MB as arrays and ~38 MB as Sets, and the mirror lives as long as the process.
   */
  readonly userGroups = new Map<string, string[]>();
  /** Direct parent groups of each group, without duplicates. */
  readonly groupParents = new Map<string, string[]>();

  /**
   * Bulk loading (a full read): `append` links without the duplicate check, which costs O(groups
   * of the user) per link; `finishAppending` then sorts every list and drops duplicates once.
   */
  append(map: Map<string, string[]>, from: string, to: string): void {
    const list = map.get(from);
    if (list) list.push(to);
    else map.set(from, [to]);
  }

  finishAppending(): void {
    for (const map of [this.userGroups, this.groupParents])
      for (const list of map.values()) if (list.length > 1) sortUnique(list);
  }

  apply(changes: readonly ProviderChange[]): void {
    for (const change of changes) {
      switch (change.kind) {
        case 'userUpserted':
          this.users.set(change.user.id, change.user);
          break;
        case 'userDeleted':
          this.users.delete(change.id);
          this.userGroups.delete(change.id);
          break;
        case 'groupUpserted':
          this.groups.set(change.group.id, change.group);
          break;
        case 'groupDeleted':
          this.groups.delete(change.id);
          this.groupParents.delete(change.id);
          for (const groups of this.userGroups.values()) unlink(groups, change.id);
          for (const parents of this.groupParents.values()) unlink(parents, change.id);
          break;
        case 'memberAdded':
          link(change.member.kind === 'user' ? this.userGroups : this.groupParents, change.member.id, change.groupId);
          break;
        case 'memberRemoved':
          unlink(
            (change.member.kind === 'user' ? this.userGroups : this.groupParents).get(change.member.id),
            change.groupId,
          );
          break;
      }
    }
  }
}

/** Adds `to` once; a provider that lists a member twice (across pages, replays) is harmless. */
function link(map: Map<string, string[]>, from: string, to: string): void {
  const list = map.get(from);
  if (!list) map.set(from, [to]);
  else if (!list.includes(to)) list.push(to);
}

function sortUnique(list: string[]): void {
  list.sort();
  let kept = 1;
  for (let i = 1; i < list.length; i++) if (list[i] !== list[kept - 1]) list[kept++] = list[i]!;
  list.length = kept;
}

function unlink(list: string[] | undefined, id: string): void {
  const at = list?.indexOf(id) ?? -1;
  if (at >= 0) list!.splice(at, 1);
}
