import type { Change, LiveGroup, LiveUser, TenantState } from '../core/tenant-state';
import { fnv1a, googleGroupId, googleUserId, shareOf } from './ids';
import { accountState, type MappingContext } from './mapping';
import type { CustomerEntry, GroupRecord, MemberEntry, UserRecord } from './records';

/**
 * The Google projection of a live tenant: a record per user and group (Google ids, addresses,
 * aliases, account state), O(1) lookups by email, alias or id, and version counters, kept in step
 * with TenantState through its change listener (O(1) work per change, membership changes
 * included). The sorted lists built on top of it are in `directory.ts`.
 */

/** Share of users with an extra alias (an address kept from a former name). */
const FORMER_ALIAS_SHARE = 0.04;
/** Name fields whose change reorders users.list. */
const USER_ORDER_FIELDS = new Set(['login', 'mail', 'guest', 'givenName', 'surname']);

export class DirectoryIndex implements MappingContext {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly customer: CustomerEntry;

  private readonly admins = new Set<string>();
  private readonly userByEmail = new Map<string, UserRecord>();
  private readonly externalByEmail = new Map<string, UserRecord>();
  private readonly userByGoogleId = new Map<string, UserRecord>();
  private readonly groupByEmail = new Map<string, GroupRecord>();
  private readonly groupByGoogleId = new Map<string, GroupRecord>();
  protected readonly deletedUsers: UserRecord[] = [];

  /** Users created, deleted, renamed or re-addressed. */
  protected userOrderVersion = 0;
  /** Any change to any user (filters over user fields depend on it). */
  protected userContentVersion = 0;
  /** Groups created, deleted or re-addressed. */
  protected groupOrderVersion = 0;
  /** Any membership change in any group. */
  protected membershipVersion = 0;
  /** Any change of any group's own fields. */
  protected groupContentVersion = 0;

  /** member tenant id → tenant ids of the groups it is a direct member of; built on first use. */
  private parents: Map<string, Set<string>> | null = null;

  constructor(
    protected readonly state: TenantState,
    readonly domain: string,
    readonly customerId: string,
  ) {
    this.customer = { kind: 'customer', customerId, hash: fnv1a(customerId), memberKey: `0\u0000${customerId}` };
    for (const live of state.users.values()) this.addUser(live, false);
    for (const record of this.users.values()) if (!record.external) this.assignAliases(record);
    for (const live of state.groups.values()) this.addGroup(live);
    state.onChange((change) => this.apply(change));
  }

  // ---- MappingContext ----

  isAdmin(tenantId: string): boolean {
    return this.admins.has(tenantId);
  }

  /** Makes a domain user a super administrator (isAdmin: true) or not. */
  setAdmin(tenantId: string, admin: boolean): void {
    const record = this.users.get(tenantId);
    if (record === undefined || record.external) throw new Error(`no domain user ${tenantId}`);
    if (admin) this.admins.add(tenantId);
    else this.admins.delete(tenantId);
    this.touchUser(record);
  }

  /** Adds or removes the CUSTOMER member ("all users of the domain") of a group. */
  setCustomerMember(groupTenantId: string, present: boolean): void {
    const group = this.groups.get(groupTenantId);
    if (group === undefined) throw new Error(`no group ${groupTenantId}`);
    if (group.customerMember === present) return;
    group.customerMember = present;
    this.touchMembers(group);
  }

  // ---- lookups (O(1)) ----

  /** A domain user by primary email, alias (case-insensitive) or Google id. */
  findUser(key: string): UserRecord | undefined {
    const record = key.includes('@') ? this.userByEmail.get(key.toLowerCase()) : this.userByGoogleId.get(key);
    return record !== undefined && !record.external ? record : undefined;
  }

  findGroup(key: string): GroupRecord | undefined {
    return key.includes('@') ? this.groupByEmail.get(key.toLowerCase()) : this.groupByGoogleId.get(key);
  }

  /** Anything that can be a member: domain user, external, group, or the customer (by its id). */
  findMember(key: string): MemberEntry | undefined {
    if (key === this.customerId) return this.customer;
    if (key.includes('@')) {
      const email = key.toLowerCase();
      return this.userByEmail.get(email) ?? this.groupByEmail.get(email) ?? this.externalByEmail.get(email);
    }
    return this.userByGoogleId.get(key) ?? this.groupByGoogleId.get(key);
  }

  /** Tenant id of an active (neither suspended nor archived) domain user with this address; null otherwise. */
  activeUserId(email: string): string | null {
    const record = this.findUser(email);
    if (record === undefined) return null;
    return record.suspended || record.archived ? null : record.tenantId;
  }

  /** Is the member in the group directly, or through child groups (or the CUSTOMER member for domain users)? */
  isMemberOf(group: GroupRecord, entry: MemberEntry, derived: boolean): boolean {
    if (this.isDirectMember(group, entry)) return true;
    if (!derived) return false;
    for (const child of this.descendants(group)) {
      if (this.isDirectMember(child, entry)) return true;
      if (child.customerMember && entry.kind === 'user' && !entry.external) return true;
    }
    return group.customerMember && entry.kind === 'user' && !entry.external;
  }

  isDirectMember(group: GroupRecord, entry: MemberEntry): boolean {
    if (entry.kind === 'customer') return group.customerMember;
    return entry.kind === 'user' ? group.live.userIds.has(entry.tenantId) : group.live.groupIds.has(entry.tenantId);
  }

  /** Groups reachable through child groups (each once; the tenant's nesting is acyclic). */
  descendants(group: GroupRecord): GroupRecord[] {
    const seen = new Set<string>([group.tenantId]);
    const out: GroupRecord[] = [];
    const stack = [...group.live.groupIds];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const child = this.groups.get(id);
      if (child === undefined) continue;
      out.push(child);
      stack.push(...child.live.groupIds);
    }
    return out;
  }

  /** member tenant id → tenant ids of the groups it is a direct member of (built on first use, then maintained). */
  protected parentIndex(): Map<string, Set<string>> {
    if (this.parents !== null) return this.parents;
    const parents = new Map<string, Set<string>>();
    for (const group of this.groups.values()) {
      for (const id of group.live.userIds) addTo(parents, id, group.tenantId);
      for (const id of group.live.groupIds) addTo(parents, id, group.tenantId);
    }
    this.parents = parents;
    return parents;
  }

  // ---- records ----

  private addUser(live: LiveUser, withAliases: boolean): UserRecord {
    let attempt = 0;
    let googleId = googleUserId(live.id);
    while (this.userByGoogleId.has(googleId)) googleId = googleUserId(live.id, ++attempt);
    const record: UserRecord = {
      kind: 'user',
      tenantId: live.id,
      googleId,
      live,
      external: live.guest,
      email: '',
      hash: fnv1a(live.id),
      emailHash: 0,
      emailJson: '""',
      suspended: false,
      archived: false,
      aliases: [],
      sortKey: '',
      memberKey: '',
      rank: -1,
      version: 0,
      cache: null,
      deletedAt: null,
    };
    this.users.set(live.id, record);
    this.userByGoogleId.set(googleId, record);
    this.indexUserAddress(record);
    if (withAliases && !record.external) this.assignAliases(record);
    return record;
  }

  /** Sets email and keys from the live user and registers the primary address. */
  private indexUserAddress(record: UserRecord): void {
    record.external = record.live.guest;
    record.email = (record.external ? record.live.mail : record.live.login).toLowerCase();
    record.emailHash = fnv1a(record.email);
    record.emailJson = JSON.stringify(record.email);
    refreshState(record);
    record.sortKey = `${record.email}\u0000${record.googleId}`;
    record.memberKey = `2\u0000${record.sortKey}`;
    const index = record.external ? this.externalByEmail : this.userByEmail;
    if (!index.has(record.email)) index.set(record.email, record);
  }

  /**
   * Editable aliases: the tenant mail address when it differs from the login and is free (the
   * planted case-twins "JSmith" / "jsmith" collide and get none), and for a deterministic 4% an
   * address kept from a former name. An alias never shadows another user's address.
   */
  private assignAliases(record: UserRecord): void {
    const candidates: string[] = [];
    const mail = record.live.mail.toLowerCase();
    if (mail !== record.email) candidates.push(mail);
    if (shareOf(record.tenantId, 'former-alias') < FORMER_ALIAS_SHARE) {
      const at = record.email.lastIndexOf('@');
      candidates.push(`${record.email.slice(0, at)}.former${record.email.slice(at)}`);
    }
    record.aliases = [];
    for (const alias of candidates) {
      if (this.userByEmail.has(alias)) continue;
      this.userByEmail.set(alias, record);
      record.aliases.push(alias);
    }
  }

  private unindexUserAddresses(record: UserRecord): void {
    const index = record.external ? this.externalByEmail : this.userByEmail;
    if (index.get(record.email) === record) index.delete(record.email);
    for (const alias of record.aliases) if (this.userByEmail.get(alias) === record) this.userByEmail.delete(alias);
    record.aliases = [];
  }

  private addGroup(live: LiveGroup): GroupRecord {
    let attempt = 0;
    let googleId = googleGroupId(live.id);
    while (this.groupByGoogleId.has(googleId)) googleId = googleGroupId(live.id, ++attempt);
    const record: GroupRecord = {
      kind: 'group',
      tenantId: live.id,
      googleId,
      live,
      email: '',
      hash: fnv1a(live.id),
      emailHash: 0,
      emailJson: '""',
      sortKey: '',
      memberKey: '',
      rank: -1,
      customerMember: false,
      version: 0,
      memberVersion: 0,
      cache: null,
    };
    this.groups.set(live.id, record);
    this.groupByGoogleId.set(googleId, record);
    this.indexGroupAddress(record);
    return record;
  }

  private indexGroupAddress(record: GroupRecord): void {
    record.email = `${record.live.mailNickname}@${this.domain}`.toLowerCase();
    record.emailHash = fnv1a(record.email);
    record.emailJson = JSON.stringify(record.email);
    record.sortKey = `${record.email}\u0000${record.googleId}`;
    record.memberKey = `1\u0000${record.sortKey}`;
    if (!this.groupByEmail.has(record.email)) this.groupByEmail.set(record.email, record);
  }

  // ---- change journal ----

  private apply(change: Change): void {
    switch (change.kind) {
      case 'user.created': {
        const live = this.state.users.get(change.id);
        if (live !== undefined) this.addUser(live, true);
        this.userOrderVersion++;
        this.userContentVersion++;
        return;
      }
      case 'user.updated': {
        const record = this.users.get(change.id);
        if (record === undefined) return;
        if ((change.fields ?? []).some((f) => USER_ORDER_FIELDS.has(f))) {
          this.unindexUserAddresses(record);
          this.indexUserAddress(record);
          if (!record.external) this.assignAliases(record);
          this.userOrderVersion++;
        }
        this.touchUser(record);
        return;
      }
      case 'user.deleted': {
        const record = this.users.get(change.id);
        if (record === undefined) return;
        this.unindexUserAddresses(record);
        this.users.delete(change.id);
        this.userByGoogleId.delete(record.googleId);
        this.parents?.delete(change.id);
        if (!record.external) {
          record.deletedAt = change.at;
          this.deletedUsers.push(record);
        }
        this.userOrderVersion++;
        this.touchUser(record);
        return;
      }
      case 'group.created': {
        const live = this.state.groups.get(change.id);
        if (live !== undefined) this.addGroup(live);
        this.groupOrderVersion++;
        return;
      }
      case 'group.updated': {
        const record = this.groups.get(change.id);
        if (record === undefined) return;
        if ((change.fields ?? []).includes('mailNickname')) {
          if (this.groupByEmail.get(record.email) === record) this.groupByEmail.delete(record.email);
          this.indexGroupAddress(record);
          this.groupOrderVersion++;
        }
        record.version++;
        this.groupContentVersion++;
        return;
      }
      case 'group.deleted': {
        const record = this.groups.get(change.id);
        if (record === undefined) return;
        if (this.groupByEmail.get(record.email) === record) this.groupByEmail.delete(record.email);
        this.groups.delete(change.id);
        this.groupByGoogleId.delete(record.googleId);
        if (this.parents !== null) {
          for (const id of record.live.userIds) this.parents.get(id)?.delete(change.id);
          for (const id of record.live.groupIds) this.parents.get(id)?.delete(change.id);
          this.parents.delete(change.id);
        }
        this.groupOrderVersion++;
        this.membershipVersion++;
        return;
      }
      case 'member.added':
      case 'member.removed': {
        const record = this.groups.get(change.id);
        if (record === undefined || change.memberId === undefined) return;
        if (this.parents !== null) {
          if (change.kind === 'member.added') addTo(this.parents, change.memberId, change.id);
          else this.parents.get(change.memberId)?.delete(change.id);
        }
        this.touchMembers(record);
        return;
      }
    }
  }

  private touchUser(record: UserRecord): void {
    refreshState(record);
    record.version++;
    this.userContentVersion++;
  }

  private touchMembers(group: GroupRecord): void {
    group.version++;
    group.memberVersion++;
    this.membershipVersion++;
  }
}

/** Caches the account state on the record (read per member on every members.list page). */
function refreshState(record: UserRecord): void {
  const state = accountState(record);
  record.suspended = state.suspended;
  record.archived = state.archived;
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (set === undefined) index.set(key, new Set([value]));
  else set.add(value);
}
