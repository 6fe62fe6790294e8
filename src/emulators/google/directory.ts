import type { TenantState } from '../core/tenant-state';
import { DirectoryIndex } from './directory-index';
import { Lru } from './lru';
import { SortedList } from './paging';
import type { GroupRecord, MemberEntry, UserRecord } from './records';

/**
 * The sorted arrays the list methods page through, built on the DirectoryIndex. They are rebuilt
 * lazily, once after a burst of changes, never per page:
 *  - people order (users and externals by email): O(n log n) after a user is created, deleted or
 *    renamed; gives every person a rank that member lists sort by (typed-array sort per group);
 *  - group order (by email): after a group is created, deleted or renamed;
 *  - a group's direct member list: O(m log m) after its members or the people/group orders change;
 *  - derived (nested) member lists: after any membership change, 64 kept.
 */

export type UserOrderBy = 'email' | 'givenName' | 'familyName';

interface Built<T> {
  readonly stamp: string;
  readonly value: T;
}

export class GoogleDirectory extends DirectoryIndex {
  private peopleOrder: Built<UserRecord[]> | null = null;
  private groupOrder: Built<GroupRecord[]> | null = null;
  private readonly userLists = new Map<string, Built<SortedList<UserRecord>>>();
  private readonly derivedLists = new Lru<Built<SortedList<MemberEntry>>>(64);
  private readonly directLists = new Map<string, Built<SortedList<MemberEntry>>>();

  constructor(state: TenantState, domain: string, customerId: string) {
    super(state, domain, customerId);
    state.onChange((change) => {
      if (change.kind === 'group.deleted') this.directLists.delete(change.id);
    });
  }

  /** Builds the sorted arrays now (O(n log n)) so that the first page of a sync does not pay for them. */
  warm(): void {
    this.userList('email', false);
    this.groupsSorted();
  }

  /** Fingerprint of everything member lists depend on; cached derived lists are valid while it holds. */
  get memberStamp(): string {
    return `${this.membershipVersion}/${this.userOrderVersion}/${this.groupOrderVersion}`;
  }

  /** Fingerprint of everything groups.list filters depend on. */
  get groupStamp(): string {
    return `${this.groupContentVersion}/${this.memberStamp}`;
  }

  /** Fingerprint of everything users.list filters depend on. */
  get userStamp(): string {
    return `${this.userContentVersion}/${this.userOrderVersion}`;
  }

  /** Domain users (not externals), sorted; ties broken by id so keys are unique. */
  userList(orderBy: UserOrderBy, descending: boolean): SortedList<UserRecord> {
    const name = `${orderBy}/${descending}`;
    const stamp = String(this.userOrderVersion);
    const cached = this.userLists.get(name);
    if (cached !== undefined && cached.stamp === stamp) return cached.value;
    let list: SortedList<UserRecord>;
    if (orderBy === 'email') {
      // The people order is by email; domain users keep that order.
      const items = this.people().filter((r) => !r.external);
      if (descending) items.reverse();
      list = new SortedList(items, (i) => (items[i] as UserRecord).sortKey, descending);
    } else {
      const items = this.people().filter((r) => !r.external);
      const field = (r: UserRecord) => (orderBy === 'givenName' ? r.live.givenName : r.live.surname).toLowerCase();
      const keyed = items.map((r) => ({ r, k: `${field(r)}\u0000${r.sortKey}` }));
      keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
      if (descending) keyed.reverse();
      list = new SortedList(
        keyed.map((e) => e.r),
        (i) => (keyed[i] as { k: string }).k,
        descending,
      );
    }
    this.userLists.set(name, { stamp, value: list });
    return list;
  }

  /** Users deleted since the emulator started, by email (users.list?showDeleted=true). */
  deletedUserList(): SortedList<UserRecord> {
    const items = [...this.deletedUsers].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    return new SortedList(items, (i) => (items[i] as UserRecord).sortKey);
  }

  /** All groups by email. */
  groupList(descending: boolean): SortedList<GroupRecord> {
    const base = this.groupsSorted();
    const items = descending ? [...base].reverse() : base;
    return new SortedList(items, (i) => (items[i] as GroupRecord).sortKey, descending);
  }

  /** Groups the member (user, external or group) is a direct member of, by email. */
  parentGroupList(memberTenantId: string, descending: boolean): SortedList<GroupRecord> {
    this.groupsSorted(); // ranks current
    const ids = this.parentIndex().get(memberTenantId);
    const items: GroupRecord[] = [];
    for (const id of ids ?? []) {
      const group = this.groups.get(id);
      if (group !== undefined) items.push(group);
    }
    items.sort((a, b) => (descending ? b.rank - a.rank : a.rank - b.rank));
    return new SortedList(items, (i) => (items[i] as GroupRecord).sortKey, descending);
  }

  /**
   * Direct members of a group: the CUSTOMER member, then child groups, then people, each by
   * email. Cached per group until its members (or the people or group order) change; built with
   * a numeric sort of ranks, O(m log m).
   */
  directMembers(group: GroupRecord): SortedList<MemberEntry> {
    const people = this.people();
    const groups = this.groupsSorted();
    const stamp = `${group.memberVersion}/${this.userOrderVersion}/${this.groupOrderVersion}`;
    const cached = this.directLists.get(group.tenantId);
    if (cached !== undefined && cached.stamp === stamp) return cached.value;
    const items: MemberEntry[] = [];
    if (group.customerMember) items.push(this.customer);
    for (const rank of this.ranksOf(group.live.groupIds, this.groups)) items.push(groups[rank] as GroupRecord);
    for (const rank of this.ranksOf(group.live.userIds, this.users)) items.push(people[rank] as UserRecord);
    const list = new SortedList<MemberEntry>(items, (i) => (items[i] as MemberEntry).memberKey);
    this.directLists.set(group.tenantId, { stamp, value: list });
    return list;
  }

  /**
   * Members with includeDerivedMembership=true: nested groups flattened to the people in them
   * (direct and indirect, each once), plus the CUSTOMER member when the group or any descendant
   * has one. Child-group entries themselves are not listed.
   */
  derivedMembers(group: GroupRecord): SortedList<MemberEntry> {
    const stamp = this.memberStamp;
    const cached = this.derivedLists.get(group.tenantId);
    if (cached !== undefined && cached.stamp === stamp) return cached.value;
    const people = this.people();
    const closure = [group, ...this.descendants(group)];
    const ranks: number[] = [];
    let customer = false;
    for (const g of closure) {
      customer ||= g.customerMember;
      for (const id of g.live.userIds) {
        const record = this.users.get(id);
        if (record !== undefined) ranks.push(record.rank);
      }
    }
    const sorted = Int32Array.from(ranks).sort();
    const items: MemberEntry[] = customer ? [this.customer] : [];
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) continue;
      items.push(people[sorted[i] as number] as UserRecord);
    }
    const list = new SortedList<MemberEntry>(items, (i) => (items[i] as MemberEntry).memberKey);
    this.derivedLists.set(group.tenantId, { stamp, value: list });
    return list;
  }

  // ---- order building ----

  private people(): UserRecord[] {
    const stamp = String(this.userOrderVersion);
    if (this.peopleOrder !== null && this.peopleOrder.stamp === stamp) return this.peopleOrder.value;
    const list = [...this.users.values()].sort((a, b) =>
      a.memberKey < b.memberKey ? -1 : a.memberKey > b.memberKey ? 1 : 0,
    );
    for (let i = 0; i < list.length; i++) (list[i] as UserRecord).rank = i;
    this.peopleOrder = { stamp, value: list };
    return list;
  }

  private groupsSorted(): GroupRecord[] {
    const stamp = String(this.groupOrderVersion);
    if (this.groupOrder !== null && this.groupOrder.stamp === stamp) return this.groupOrder.value;
    const list = [...this.groups.values()].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (let i = 0; i < list.length; i++) (list[i] as GroupRecord).rank = i;
    this.groupOrder = { stamp, value: list };
    return list;
  }

  private ranksOf(ids: ReadonlySet<string>, records: ReadonlyMap<string, UserRecord | GroupRecord>): Int32Array {
    const ranks = new Int32Array(ids.size);
    let n = 0;
    for (const id of ids) {
      const record = records.get(id);
      if (record !== undefined) ranks[n++] = record.rank;
    }
    return ranks.subarray(0, n).sort();
  }
}
