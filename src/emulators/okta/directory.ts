/**
 * The live Okta view of a TenantState: user and group records (see mapping.ts), the sorted
 * indexes that listings page through, group memberships, and the translation of each journal
 * change into Okta lifecycle events (which logs.ts publishes in the System Log).
 *
 * Contracts:
 *  - Every index is sorted with ties broken by id, so `after` cursors are keys (see SortedList).
 *  - Records change only through {@link OktaDirectory.apply}, called synchronously from
 *    `state.onChange`; `lastUpdated` / `lastMembershipUpdated` move only when something Okta shows
 *    changed (a user's profile, status or credentials provider; a group's name or description; a
 *    group's user members).
 *  - Okta groups are flat: the tenant's nested group links are not served and group→group
 *    membership changes produce nothing.
 *  - Group member lists (ordered by user id) are built at construction by sorting each group's
 *    member positions as an Int32Array (native numeric sort, no per-member garbage), then
 *    maintained change by change. The reverse index user → groups is built on first use
 *    (O(memberships), about a second at 1M memberships) and maintained from then on.
 */
import { TENANT_EPOCH } from '../tenant';
import type { Change, LiveGroup, LiveUser, TenantState } from '../core/tenant-state';
import { OktaIdRegistry, derivedOktaId } from './ids';
import {
  GROUP_TYPES,
  USER_STATUSES,
  appGroupIds,
  createdUserRecord,
  disabledStatus,
  enableEventType,
  everyoneGroupRecord,
  groupProfile,
  initialGroupRecord,
  initialUserRecord,
  isEnabledStatus,
  userProfile,
  type GroupRecord,
  type GroupType,
  type UserRecord,
  type UserStatus,
} from './mapping';
import { SortedList, compareStrings } from './sorted-list';

/** A user or group as a System Log target sees it at the time of the event. */
export interface EventSubject {
  readonly id: string;
  readonly alternateId: string;
  readonly displayName: string;
}

/** One Okta lifecycle event derived from a journal change (see log-events.ts for the LogEvent). */
export interface DirectoryEvent {
  readonly eventType: string;
  readonly user?: EventSubject;
  readonly group?: EventSubject;
  /** user.account.update_profile: profile attributes that changed. */
  readonly changed?: readonly string[];
}

const byId = (a: { id: string }, b: { id: string }): number => compareStrings(a.id, b.id);
const byUserLastUpdated = (a: UserRecord, b: UserRecord): number =>
  a.lastUpdated - b.lastUpdated || compareStrings(a.id, b.id);
const byGroupLastUpdated = (a: GroupRecord, b: GroupRecord): number =>
  a.lastUpdated - b.lastUpdated || compareStrings(a.id, b.id);
const byGroupLastMembership = (a: GroupRecord, b: GroupRecord): number =>
  a.lastMembershipUpdated - b.lastMembershipUpdated || compareStrings(a.id, b.id);

export interface UserIndexes {
  readonly all: SortedList<UserRecord>;
  readonly byStatus: ReadonlyMap<UserStatus, SortedList<UserRecord>>;
  readonly byLastUpdated: SortedList<UserRecord>;
}

export interface GroupIndexes {
  readonly all: SortedList<GroupRecord>;
  readonly byType: ReadonlyMap<GroupType, SortedList<GroupRecord>>;
  readonly byLastUpdated: SortedList<GroupRecord>;
  readonly byLastMembershipUpdated: SortedList<GroupRecord>;
}

function userSubject(r: UserRecord): EventSubject {
  return { id: r.id, alternateId: r.profile.login, displayName: r.profile.displayName };
}

function groupSubject(r: GroupRecord): EventSubject {
  return { id: r.id, alternateId: r.profile.name, displayName: r.profile.name };
}

export class OktaDirectory {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly userIndexes: UserIndexes;
  readonly groupIndexes: GroupIndexes;
  readonly everyone: GroupRecord;
  /** Default user type (`oty…`) and the AD app APP_GROUPs come from (`0oa…`). */
  readonly userTypeId: string;
  readonly adAppId: string;
  private readonly ids = new OktaIdRegistry();
  private readonly byTenantUser = new Map<string, UserRecord>();
  private readonly byLogin = new Map<string, UserRecord>();
  private readonly byTenantGroup = new Map<string, GroupRecord>();
  /** user → the tenant groups it is a direct member of (a few per user: arrays beat sets); lazy. */
  private userGroups: Map<UserRecord, GroupRecord[]> | null = null;

  constructor(
    private readonly state: TenantState,
    private readonly seed: string,
    readonly domain: string,
  ) {
    this.userTypeId = derivedOktaId('oty', `user-type:${seed}`);
    this.adAppId = derivedOktaId('0oa', `active-directory:${seed}`);
    let newestUser = 0;
    for (const live of state.users.values()) {
      const record = initialUserRecord(this.ids.issue('00u', live.id), live, seed);
      this.addUserMaps(record);
      newestUser = Math.max(newestUser, record.created);
    }
    const users = [...this.users.values()].sort(byId); // sorted once; partitions keep the order
    const byStatus = new Map<UserStatus, SortedList<UserRecord>>();
    for (const status of USER_STATUSES)
      byStatus.set(
        status,
        SortedList.fromSorted(
          byId,
          users.filter((u) => u.status === status),
        ),
      );
    this.userIndexes = {
      all: SortedList.fromSorted(byId, users),
      byStatus,
      byLastUpdated: new SortedList(byUserLastUpdated, users),
    };

    const orgCreated = TENANT_EPOCH - 6 * 365 * 86_400_000;
    this.everyone = everyoneGroupRecord(
      this.ids.issue('00g', `everyone:${seed}`),
      orgCreated,
      Math.max(orgCreated, newestUser),
    );
    this.groups.set(this.everyone.id, this.everyone);
    const appGroups = appGroupIds(state.groups.values(), seed);
    for (const live of state.groups.values()) {
      const type: GroupType = appGroups.has(live.id) ? 'APP_GROUP' : 'OKTA_GROUP';
      const record = initialGroupRecord(this.ids.issue('00g', live.id), live, type, seed, domain);
      this.groups.set(record.id, record);
      this.byTenantGroup.set(live.id, record);
    }
    this.buildMemberships();
    const groups = [...this.groups.values()].sort(byId);
    const byType = new Map<GroupType, SortedList<GroupRecord>>();
    for (const type of GROUP_TYPES)
      byType.set(
        type,
        SortedList.fromSorted(
          byId,
          groups.filter((g) => g.type === type),
        ),
      );
    this.groupIndexes = {
      all: SortedList.fromSorted(byId, groups),
      byType,
      byLastUpdated: new SortedList(byGroupLastUpdated, groups),
      byLastMembershipUpdated: new SortedList(byGroupLastMembership, groups),
    };
  }

  /** By Okta id, else by login (case-insensitive), as `GET /api/v1/users/{idOrLogin}` resolves. */
  userByIdOrLogin(key: string): UserRecord | undefined {
    return this.users.get(key) ?? this.byLogin.get(key.toLowerCase());
  }

  /** By Okta id or by tenant id (the emulator's test hooks accept either). */
  userByAnyId(key: string): UserRecord | undefined {
    return this.users.get(key) ?? this.byTenantUser.get(key);
  }

  userByLogin(login: string): UserRecord | undefined {
    return this.byLogin.get(login.toLowerCase());
  }

  /** Okta id of a tenant user / group (tests compare listings with the tenant through these). */
  oktaUserId(tenantId: string): string | undefined {
    return this.byTenantUser.get(tenantId)?.id;
  }

  oktaGroupId(tenantId: string): string | undefined {
    return this.byTenantGroup.get(tenantId)?.id;
  }

  /** Direct user members ordered by id; Everyone → every user. */
  groupMembers(group: GroupRecord): SortedList<UserRecord> {
    return group === this.everyone ? this.userIndexes.all : (group.members as SortedList<UserRecord>);
  }

  usersCount(group: GroupRecord): number {
    return this.groupMembers(group).length;
  }

  /** Groups that have the user as a direct member, Everyone included, ordered by id. */
  groupsOfUser(user: UserRecord): GroupRecord[] {
    if (this.userGroups === null) {
      const index = new Map<UserRecord, GroupRecord[]>();
      for (const group of this.byTenantGroup.values()) {
        for (const member of group.members?.toArray() ?? []) {
          const groups = index.get(member);
          if (groups === undefined) index.set(member, [group]);
          else groups.push(group);
        }
      }
      this.userGroups = index;
    }
    return [this.everyone, ...(this.userGroups.get(user) ?? [])].sort(byId);
  }

  /** Fills every tenant group's member list, ordered by user id (see the file comment). */
  private buildMemberships(): void {
    const all = this.userIndexes.all;
    const position = new Map<string, number>();
    for (let i = 0; i < all.length; i++) position.set((all.at(i) as UserRecord).tenantId, i);
    for (const group of this.byTenantGroup.values()) {
      const userIds = this.state.requireGroup(group.tenantId as string).userIds;
      const positions = new Int32Array(userIds.size);
      let n = 0;
      for (const tenantId of userIds) {
        const at = position.get(tenantId);
        if (at !== undefined) positions[n++] = at;
      }
      const sorted = positions.subarray(0, n).sort();
      const members = new Array<UserRecord>(n);
      for (let k = 0; k < n; k++) members[k] = all.at(sorted[k] as number) as UserRecord;
      group.members = SortedList.fromSorted(byId, members);
    }
  }

  /** Applies one journal change to the records and indexes; returns the Okta events it means. */
  apply(change: Change): DirectoryEvent[] {
    const now = change.at.getTime();
    switch (change.kind) {
      case 'user.created':
        return this.userCreated(this.state.requireUser(change.id), now);
      case 'user.updated':
        return this.userUpdated(this.state.requireUser(change.id), now);
      case 'user.deleted':
        return this.userDeleted(change.id, now);
      case 'group.created':
        return this.groupCreated(this.state.requireGroup(change.id), now);
      case 'group.updated':
        return this.groupUpdated(this.state.requireGroup(change.id), now);
      case 'group.deleted':
        return this.groupDeleted(change.id);
      case 'member.added':
      case 'member.removed':
        return this.membershipChanged(change, now);
    }
  }

  private removeUserGroup(user: UserRecord, group: GroupRecord): void {
    const groups = this.userGroups?.get(user);
    const at = groups?.indexOf(group) ?? -1;
    if (at >= 0) groups?.splice(at, 1);
  }

  private addUserMaps(record: UserRecord): void {
    this.users.set(record.id, record);
    this.byTenantUser.set(record.tenantId, record);
    this.byLogin.set(record.profile.login.toLowerCase(), record);
  }

  /** Runs `mutate` on a user with its index positions kept right. */
  private reindexUser(record: UserRecord, mutate: () => void): void {
    const { byStatus, byLastUpdated } = this.userIndexes;
    byStatus.get(record.status)?.remove(record);
    byLastUpdated.remove(record);
    mutate();
    record.json = null;
    byStatus.get(record.status)?.insert(record);
    byLastUpdated.insert(record);
  }

  private reindexGroup(record: GroupRecord, mutate: () => void): void {
    const { byLastUpdated, byLastMembershipUpdated } = this.groupIndexes;
    byLastUpdated.remove(record);
    byLastMembershipUpdated.remove(record);
    mutate();
    record.json = null;
    byLastUpdated.insert(record);
    byLastMembershipUpdated.insert(record);
  }

  private touchEveryone(now: number): void {
    this.reindexGroup(this.everyone, () => {
      this.everyone.lastMembershipUpdated = now;
    });
  }

  private userCreated(live: LiveUser, now: number): DirectoryEvent[] {
    const record = createdUserRecord(this.ids.issue('00u', live.id), live, now);
    this.addUserMaps(record);
    this.userIndexes.all.insert(record);
    this.userIndexes.byStatus.get(record.status)?.insert(record);
    this.userIndexes.byLastUpdated.insert(record);
    this.touchEveryone(now);
    const events: DirectoryEvent[] = [{ eventType: 'user.lifecycle.create', user: userSubject(record) }];
    if (record.status === 'ACTIVE') events.push({ eventType: 'user.lifecycle.activate', user: userSubject(record) });
    return events;
  }

  private userUpdated(live: LiveUser, now: number): DirectoryEvent[] {
    const record = this.byTenantUser.get(live.id);
    if (record === undefined) return [];
    const profile = userProfile(live);
    const changed = (Object.keys({ ...profile, ...record.profile }) as (keyof typeof profile)[]).filter(
      (k) => profile[k] !== record.profile[k],
    );
    const adMastered = live.samAccountName !== null;
    let statusEvent: string | null = null;
    let status = record.status;
    if (live.enabled && !isEnabledStatus(record.status)) {
      statusEvent = enableEventType(record.status);
      status = 'ACTIVE';
    } else if (!live.enabled && isEnabledStatus(record.status)) {
      status = disabledStatus(record, this.seed);
      statusEvent = status === 'SUSPENDED' ? 'user.lifecycle.suspend' : 'user.lifecycle.deactivate';
    }
    if (changed.length === 0 && statusEvent === null && adMastered === record.adMastered) return [];
    if (changed.includes('login')) {
      this.byLogin.delete(record.profile.login.toLowerCase());
      this.byLogin.set(profile.login.toLowerCase(), record);
    }
    this.reindexUser(record, () => {
      record.profile = profile;
      record.adMastered = adMastered;
      record.lastUpdated = now;
      if (statusEvent !== null) {
        if (statusEvent === 'user.lifecycle.activate') {
          record.activated = now;
          record.passwordChanged ??= now;
        }
        record.status = status;
        record.statusChanged = now;
      }
    });
    const events: DirectoryEvent[] = [];
    if (statusEvent !== null) events.push({ eventType: statusEvent, user: userSubject(record) });
    if (changed.length > 0)
      events.push({ eventType: 'user.account.update_profile', user: userSubject(record), changed });
    return events;
  }

  private userDeleted(tenantId: string, now: number): DirectoryEvent[] {
    const record = this.byTenantUser.get(tenantId);
    if (record === undefined) return [];
    const events: DirectoryEvent[] = [];
    // Okta deletes only deactivated users: a delete of a live user is deactivate + delete.
    if (record.status !== 'DEPROVISIONED')
      events.push({ eventType: 'user.lifecycle.deactivate', user: userSubject(record) });
    events.push({ eventType: 'user.lifecycle.delete.initiated', user: userSubject(record) });
    this.users.delete(record.id);
    this.byTenantUser.delete(tenantId);
    if (this.byLogin.get(record.profile.login.toLowerCase()) === record)
      this.byLogin.delete(record.profile.login.toLowerCase());
    this.userIndexes.all.remove(record);
    this.userIndexes.byStatus.get(record.status)?.remove(record);
    this.userIndexes.byLastUpdated.remove(record);
    this.userGroups?.delete(record);
    this.touchEveryone(now);
    return events;
  }

  private groupCreated(live: LiveGroup, now: number): DirectoryEvent[] {
    const id = this.ids.issue('00g', live.id);
    const record: GroupRecord = {
      id,
      tenantId: live.id,
      type: 'OKTA_GROUP',
      created: live.createdAt.getTime(),
      lastUpdated: now,
      lastMembershipUpdated: now,
      profile: groupProfile(live, 'OKTA_GROUP', this.domain),
      members: new SortedList<UserRecord>(byId),
      json: null,
    };
    this.groups.set(id, record);
    this.byTenantGroup.set(live.id, record);
    const { all, byType, byLastUpdated, byLastMembershipUpdated } = this.groupIndexes;
    all.insert(record);
    byType.get(record.type)?.insert(record);
    byLastUpdated.insert(record);
    byLastMembershipUpdated.insert(record);
    return [{ eventType: 'group.lifecycle.create', group: groupSubject(record) }];
  }

  private groupUpdated(live: LiveGroup, now: number): DirectoryEvent[] {
    const record = this.byTenantGroup.get(live.id);
    if (record === undefined) return [];
    const profile = groupProfile(live, record.type, this.domain);
    if (JSON.stringify(profile) === JSON.stringify(record.profile)) return [];
    this.reindexGroup(record, () => {
      record.profile = profile;
      record.lastUpdated = now;
    });
    return [{ eventType: 'group.profile.update', group: groupSubject(record) }];
  }

  private groupDeleted(tenantId: string): DirectoryEvent[] {
    const record = this.byTenantGroup.get(tenantId);
    if (record === undefined) return [];
    this.groups.delete(record.id);
    this.byTenantGroup.delete(tenantId);
    const { all, byType, byLastUpdated, byLastMembershipUpdated } = this.groupIndexes;
    all.remove(record);
    byType.get(record.type)?.remove(record);
    byLastUpdated.remove(record);
    byLastMembershipUpdated.remove(record);
    if (this.userGroups !== null)
      for (const member of record.members?.toArray() ?? []) this.removeUserGroup(member, record);
    return [{ eventType: 'group.lifecycle.delete', group: groupSubject(record) }];
  }

  private membershipChanged(change: Change, now: number): DirectoryEvent[] {
    if (change.memberKind !== 'user' || change.memberId === undefined) return []; // Okta groups are flat
    const group = this.byTenantGroup.get(change.id);
    const user = this.byTenantUser.get(change.memberId);
    if (group === undefined || user === undefined) return [];
    const added = change.kind === 'member.added';
    if (added) {
      group.members?.insert(user);
      const groups = this.userGroups?.get(user);
      if (groups !== undefined) groups.push(group);
      else this.userGroups?.set(user, [group]);
    } else {
      group.members?.remove(user);
      this.removeUserGroup(user, group);
    }
    this.reindexGroup(group, () => {
      group.lastMembershipUpdated = now;
    });
    return [
      {
        eventType: added ? 'group.user_membership.add' : 'group.user_membership.remove',
        user: userSubject(user),
        group: groupSubject(group),
      },
    ];
  }
}
