import type { ProviderChange, ProviderGroup, ProviderUser } from '../providers/provider';

/**
 * The engine's in-memory copy of the upstream picture: what the provider says, before any
 * mapping or filtering. A full run reads a new one (mirror-reader.ts); an incremental run applies the
 * provider's changes to it. Every operation is idempotent, so replayed changes are harmless.
 */
export class UpstreamMirror {
  readonly users = new Map<string, ProviderUser>();
  readonly groups = new Map<string, ProviderGroup>();
  /** Direct groups of each user. */
  readonly userGroups = new Map<string, Set<string>>();
  /** Direct parent groups of each group. */
  readonly groupParents = new Map<string, Set<string>>();

  link(map: Map<string, Set<string>>, from: string, to: string): void {
    link(map, from, to);
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
          for (const groups of this.userGroups.values()) groups.delete(change.id);
          for (const parents of this.groupParents.values()) parents.delete(change.id);
          break;
        case 'memberAdded':
          link(change.member.kind === 'user' ? this.userGroups : this.groupParents, change.member.id, change.groupId);
          break;
        case 'memberRemoved':
          (change.member.kind === 'user' ? this.userGroups : this.groupParents).get(change.member.id)?.delete(change.groupId);
          break;
      }
    }
  }
}

function link(map: Map<string, Set<string>>, from: string, to: string): void {
  let set = map.get(from);
  if (!set) map.set(from, (set = new Set()));
  set.add(to);
}
