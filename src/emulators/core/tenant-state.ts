import type { Tenant, TenantGroup, TenantUser } from '../tenant';

/**
 * The live, mutable tenant behind every emulator: starts from a generated Tenant and records
 * every change in a journal with a monotonic sequence number. Each emulator shows the journal as
 * its vendor would: Entra delta queries, the Okta System Log, Google listings and timestamps.
 *
 * Group membership lives in two sets per group (users and child groups); `memberUserIds` /
 * `memberGroupIds` of the generated groups are copied at construction and not used afterwards.
 */
export type ChangeKind =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'group.created'
  | 'group.updated'
  | 'group.deleted'
  | 'member.added'
  | 'member.removed';

export interface Change {
  readonly seq: number;
  readonly at: Date;
  readonly kind: ChangeKind;
  /** The user or group changed; for member.* the group. */
  readonly id: string;
  /** For member.*: the member's id and kind. */
  readonly memberId?: string;
  readonly memberKind?: 'user' | 'group';
  /** For user.updated / group.updated: the fields that changed. */
  readonly fields?: readonly string[];
}

export interface LiveUser extends TenantUser {
  updatedAt: Date;
}

export interface LiveGroup extends Omit<TenantGroup, 'memberUserIds' | 'memberGroupIds'> {
  updatedAt: Date;
  /** Last time a member was added or removed (Okta lastMembershipUpdated). */
  membershipUpdatedAt: Date;
  readonly userIds: Set<string>;
  readonly groupIds: Set<string>;
}

export type UserPatch = Partial<Omit<TenantUser, 'id' | 'createdAt'>>;
export type GroupPatch = Partial<
  Pick<TenantGroup, 'name' | 'description' | 'mailNickname' | 'securityEnabled' | 'mailEnabled' | 'unified'>
>;

export class TenantState {
  readonly users = new Map<string, LiveUser>();
  readonly groups = new Map<string, LiveGroup>();
  private readonly changes: Change[] = [];
  private seq = 0;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(
    tenant: Tenant,
    private readonly clock: () => Date = () => new Date(),
  ) {
    for (const u of tenant.users) this.users.set(u.id, { ...u, updatedAt: u.createdAt });
    for (const g of tenant.groups) {
      const { memberUserIds, memberGroupIds, ...rest } = g;
      this.groups.set(g.id, {
        ...rest,
        updatedAt: g.createdAt,
        membershipUpdatedAt: g.createdAt,
        userIds: new Set(memberUserIds),
        groupIds: new Set(memberGroupIds),
      });
    }
  }

  /** Sequence number of the newest change (0 before any). */
  get latestSeq(): number {
    return this.seq;
  }

  /** Changes with `seq > after`, oldest first. */
  changesSince(after: number): readonly Change[] {
    // seq n is at index n-1: the journal is append-only.
    return this.changes.slice(Math.max(0, after));
  }

  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  createUser(user: Omit<TenantUser, 'createdAt'> & { createdAt?: Date }): LiveUser {
    if (this.users.has(user.id)) throw new Error(`user ${user.id} exists`);
    const now = this.clock();
    const live: LiveUser = { ...user, createdAt: user.createdAt ?? now, updatedAt: now };
    this.users.set(live.id, live);
    this.record({ kind: 'user.created', id: live.id });
    return live;
  }

  updateUser(id: string, patch: UserPatch): LiveUser {
    const user = this.requireUser(id);
    const fields = Object.keys(patch).filter(
      (k) => (patch as Record<string, unknown>)[k] !== (user as unknown as Record<string, unknown>)[k],
    );
    Object.assign(user, patch, { updatedAt: this.clock() });
    if (fields.length > 0) this.record({ kind: 'user.updated', id, fields });
    return user;
  }

  /** Deletes a user and removes it from every group (recorded as member.removed first, as vendors do). */
  deleteUser(id: string): void {
    this.requireUser(id);
    for (const group of this.groups.values()) if (group.userIds.has(id)) this.removeMember(group.id, id);
    this.users.delete(id);
    this.record({ kind: 'user.deleted', id });
  }

  createGroup(
    group: Omit<TenantGroup, 'createdAt' | 'memberUserIds' | 'memberGroupIds'> & { createdAt?: Date },
  ): LiveGroup {
    if (this.groups.has(group.id)) throw new Error(`group ${group.id} exists`);
    const now = this.clock();
    const live: LiveGroup = {
      ...group,
      createdAt: group.createdAt ?? now,
      updatedAt: now,
      membershipUpdatedAt: now,
      userIds: new Set(),
      groupIds: new Set(),
    };
    this.groups.set(live.id, live);
    this.record({ kind: 'group.created', id: live.id });
    return live;
  }

  updateGroup(id: string, patch: GroupPatch): LiveGroup {
    const group = this.requireGroup(id);
    const fields = Object.keys(patch).filter(
      (k) => (patch as Record<string, unknown>)[k] !== (group as unknown as Record<string, unknown>)[k],
    );
    Object.assign(group, patch, { updatedAt: this.clock() });
    if (fields.length > 0) this.record({ kind: 'group.updated', id, fields });
    return group;
  }

  deleteGroup(id: string): void {
    this.requireGroup(id);
    for (const parent of this.groups.values()) if (parent.groupIds.has(id)) this.removeMember(parent.id, id);
    this.groups.delete(id);
    this.record({ kind: 'group.deleted', id });
  }

  addMember(groupId: string, memberId: string): void {
    const group = this.requireGroup(groupId);
    const kind = this.memberKind(memberId);
    const set = kind === 'user' ? group.userIds : group.groupIds;
    if (set.has(memberId)) return;
    if (kind === 'group' && (memberId === groupId || this.reaches(memberId, groupId))) {
      throw new Error(`adding group ${memberId} to ${groupId} would create a cycle`);
    }
    set.add(memberId);
    group.membershipUpdatedAt = this.clock();
    this.record({ kind: 'member.added', id: groupId, memberId, memberKind: kind });
  }

  removeMember(groupId: string, memberId: string): void {
    const group = this.requireGroup(groupId);
    const kind: 'user' | 'group' = group.userIds.has(memberId) ? 'user' : 'group';
    const set = kind === 'user' ? group.userIds : group.groupIds;
    if (!set.delete(memberId)) return;
    group.membershipUpdatedAt = this.clock();
    this.record({ kind: 'member.removed', id: groupId, memberId, memberKind: kind });
  }

  /** Groups that have the user as a direct member. */
  groupsOfUser(userId: string): LiveGroup[] {
    return [...this.groups.values()].filter((g) => g.userIds.has(userId));
  }

  requireUser(id: string): LiveUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  requireGroup(id: string): LiveGroup {
    const group = this.groups.get(id);
    if (!group) throw new Error(`no group ${id}`);
    return group;
  }

  private memberKind(id: string): 'user' | 'group' {
    if (this.users.has(id)) return 'user';
    if (this.groups.has(id)) return 'group';
    throw new Error(`no user or group ${id}`);
  }

  /** True when `to` is reachable from `from` through child groups. */
  private reaches(from: string, to: string): boolean {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const child of this.groups.get(id)?.groupIds ?? []) stack.push(child);
    }
    return false;
  }

  private record(change: Omit<Change, 'seq' | 'at'>): void {
    const full: Change = { ...change, seq: ++this.seq, at: this.clock() };
    this.changes.push(full);
    for (const listener of this.listeners) listener(full);
  }
}
