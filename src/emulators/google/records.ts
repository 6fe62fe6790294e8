import type { LiveGroup, LiveUser } from '../core/tenant-state';

/**
 * The emulator's view of one tenant user or group: its Google ids and addresses plus the live
 * tenant object (TenantState mutates that object in place, so the record always sees the current
 * data). Serialized JSON is cached per record and dropped when `version` moves.
 */

export interface SerializedUser {
  readonly version: number;
  readonly etag: string;
  /** `projection=basic` JSON. */
  readonly basic: string;
  /** `projection=full` JSON (basic + customSchemas). */
  readonly full: string;
}

export interface UserRecord {
  readonly kind: 'user';
  readonly tenantId: string;
  readonly googleId: string;
  live: LiveUser;
  /**
   * A tenant guest: Google Workspace has no B2B guests, so it is not a user of the domain (absent
   * from users.list/get) and shows only as an external group member, by its home address.
   */
  external: boolean;
  /** Lower-cased primaryEmail (users) or home address (externals). */
  email: string;
  /** 32-bit hash of the tenant id (deterministic choices such as member roles). */
  readonly hash: number;
  /** 32-bit hash of `email` (member etags). */
  emailHash: number;
  /** `email` as a JSON string literal (member JSON is assembled from parts). */
  emailJson: string;
  /** Account state, refreshed on every change (see mapping.accountState). */
  suspended: boolean;
  archived: boolean;
  /** Lower-cased editable aliases (never another user's primary address). */
  aliases: string[];
  /** Unique sort key of users.list orderBy=email: `email \0 googleId`. */
  sortKey: string;
  /** Unique sort key inside member lists: `2 \0 email \0 googleId` (people after groups). */
  memberKey: string;
  /** Position in the directory's people order (member lists sort by it); -1 until ranked. */
  rank: number;
  version: number;
  cache: SerializedUser | null;
  /** Set when the user was deleted: listed by users.list?showDeleted=true. */
  deletedAt: Date | null;
}

export interface SerializedGroup {
  readonly version: number;
  readonly json: string;
}

export interface GroupRecord {
  readonly kind: 'group';
  readonly tenantId: string;
  readonly googleId: string;
  live: LiveGroup;
  /** Lower-cased `<mailNickname>@<domain>`. */
  email: string;
  readonly hash: number;
  emailHash: number;
  emailJson: string;
  /** `email \0 googleId`. */
  sortKey: string;
  /** `1 \0 email \0 googleId`. */
  memberKey: string;
  rank: number;
  /** Has a CUSTOMER member ("everyone in the domain"). */
  customerMember: boolean;
  /** Bumped on any change of the group, its member set or its CUSTOMER member. */
  version: number;
  /** Bumped on member changes only (drives the cached member list). */
  memberVersion: number;
  cache: SerializedGroup | null;
}

/** The CUSTOMER member of a group: all users of the domain. Sorts first (`0 \0`). */
export interface CustomerEntry {
  readonly kind: 'customer';
  readonly customerId: string;
  readonly hash: number;
  readonly memberKey: string;
}

export type MemberEntry = UserRecord | GroupRecord | CustomerEntry;
