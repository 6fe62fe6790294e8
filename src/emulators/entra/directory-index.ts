import type { Change, LiveGroup, TenantState } from '../core/tenant-state';
import type { ExtraMembers } from './extras';
import { insertSorted, removeSorted } from './paging';

export type MemberType = 'user' | 'group' | 'orgContact' | 'device';

/**
 * Read indexes over the live tenant, kept current through `state.onChange`:
 * - users and groups as id-sorted arrays (key-set paging, O(log n) per page; an insert or delete
 *   is one binary search plus a memmove);
 * - each group's direct members (users, child groups, contacts, devices) as an id-sorted snapshot,
 *   rebuilt lazily after that group's membership changes; snapshots are never mutated, so a delta
 *   round or a page can hold one safely;
 * - transitive members per group, rebuilt lazily after any membership change anywhere;
 * - users by login (lower case), for ROPC;
 * - whether each group is a Microsoft 365 group, remembered after deletion (delta `@removed` reason).
 */
export class DirectoryIndex {
  private readonly users: string[];
  private readonly groups: string[];
  private readonly memberVersion = new Map<string, number>();
  private readonly members = new Map<string, { readonly version: number; readonly ids: readonly string[] }>();
  private membershipEpoch = 0;
  private readonly transitive = new Map<string, { readonly epoch: number; readonly ids: readonly string[] }>();
  private readonly loginToId = new Map<string, string>();
  private readonly idToLogin = new Map<string, string>();
  private readonly unified = new Map<string, boolean>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly state: TenantState,
    private readonly extras: ExtraMembers,
  ) {
    this.users = [...state.users.keys()].sort();
    this.groups = [...state.groups.keys()].sort();
    for (const u of state.users.values()) this.setLogin(u.id, u.login);
    for (const g of state.groups.values()) this.unified.set(g.id, g.unified);
    this.unsubscribe = state.onChange((c) => this.apply(c));
  }

  close(): void {
    this.unsubscribe();
  }

  sortedUserIds(): readonly string[] {
    return this.users;
  }

  sortedGroupIds(): readonly string[] {
    return this.groups;
  }

  /** Direct members of a live group, sorted by id (immutable snapshot). */
  memberIds(group: LiveGroup): readonly string[] {
    const version = this.memberVersion.get(group.id) ?? 0;
    const cached = this.members.get(group.id);
    if (cached && cached.version === version) return cached.ids;
    const ids = [...group.userIds, ...group.groupIds, ...this.extras.of(group.id)].sort();
    this.members.set(group.id, { version, ids });
    return ids;
  }

  /** Users, groups, contacts and devices reachable through nested groups, deduplicated, sorted. */
  transitiveMemberIds(group: LiveGroup): readonly string[] {
    const cached = this.transitive.get(group.id);
    if (cached && cached.epoch === this.membershipEpoch) return cached.ids;
    const seen = new Set<string>();
    const visited = new Set<string>([group.id]);
    const stack: LiveGroup[] = [group];
    while (stack.length > 0) {
      const g = stack.pop()!;
      for (const id of g.userIds) seen.add(id);
      for (const id of this.extras.of(g.id)) seen.add(id);
      for (const child of g.groupIds) {
        seen.add(child);
        const live = this.state.groups.get(child);
        if (live && !visited.has(child)) {
          visited.add(child);
          stack.push(live);
        }
      }
    }
    const ids = [...seen].sort();
    this.transitive.set(group.id, { epoch: this.membershipEpoch, ids });
    return ids;
  }

  memberType(id: string): MemberType | null {
    if (this.state.users.has(id)) return 'user';
    if (this.state.groups.has(id)) return 'group';
    return this.extras.kindOf(id);
  }

  userIdByLogin(login: string): string | undefined {
    return this.loginToId.get(login.toLowerCase());
  }

  /** Microsoft 365 flag of a group, also for deleted ones (undefined if never seen). */
  wasUnified(groupId: string): boolean | undefined {
    return this.unified.get(groupId);
  }

  private setLogin(id: string, login: string): void {
    const old = this.idToLogin.get(id);
    if (old !== undefined) this.loginToId.delete(old);
    this.idToLogin.set(id, login.toLowerCase());
    this.loginToId.set(login.toLowerCase(), id);
  }

  private bumpMembers(groupId: string): void {
    this.memberVersion.set(groupId, (this.memberVersion.get(groupId) ?? 0) + 1);
    this.membershipEpoch++;
  }

  private apply(c: Change): void {
    switch (c.kind) {
      case 'user.created':
        insertSorted(this.users, c.id);
        this.setLogin(c.id, this.state.requireUser(c.id).login);
        return;
      case 'user.updated':
        if (c.fields?.includes('login')) this.setLogin(c.id, this.state.requireUser(c.id).login);
        return;
      case 'user.deleted': {
        removeSorted(this.users, c.id);
        const login = this.idToLogin.get(c.id);
        if (login !== undefined) this.loginToId.delete(login);
        this.idToLogin.delete(c.id);
        return;
      }
      case 'group.created':
        insertSorted(this.groups, c.id);
        this.unified.set(c.id, this.state.requireGroup(c.id).unified);
        return;
      case 'group.updated':
        this.unified.set(c.id, this.state.requireGroup(c.id).unified);
        return;
      case 'group.deleted':
        removeSorted(this.groups, c.id);
        this.extras.dropGroup(c.id);
        this.members.delete(c.id);
        this.transitive.delete(c.id);
        this.bumpMembers(c.id);
        return;
      case 'member.added':
      case 'member.removed':
        this.bumpMembers(c.id);
        return;
    }
  }
}
