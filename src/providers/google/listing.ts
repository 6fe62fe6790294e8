import type { ProviderGroup, ProviderUser } from '../provider';
import type { DirectoryClient } from './client';
import type { GoogleSettings } from './config';
import { deferred, type Deferred } from '../shared/deferred';
import { GoogleFailure } from './errors';
import { groupPages, memberPages, userPages } from './paging';
import { inOrgUnits, mapGroup, mapUser } from './mapper';

/** Direct members of one group that crowdgate syncs. */
export interface Members {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

interface MemberList {
  readonly users: string[];
  readonly groups: string[];
  customer: boolean;
}

/**
 * One full listing (users → groups → members of every group, as the engine reads it), with the
 * groups listed and their members read in the background from the moment the session starts.
 *
 * Why: a 100k-user tenant is 200 sequential users pages, and a 20k-group tenant needs one
 * members.list call per group at least; with the quota as the bound, every moment not spent
 * requesting is lost. Reading groups and members while users are still paging keeps the pace busy.
 *
 * Contracts:
 * - `users()` yields the users in scope (orgUnits) once; `groups()` yields the groups in listing
 *   order, waiting for pages still to come; both throw what the listing hit, never a partial list.
 * - `members(groupId)` resolves with a group's direct members that crowdgate syncs:
 *   - USER members that are users of this listing (outside addresses, users of other org units
 *     and deleted users are skipped — they are not synced users);
 *   - GROUP members that are groups of this listing;
 *   - a CUSTOMER member (every user of the account) expanded to every user of this listing —
 *     suspended and archived included, as Google counts them members — each user once.
 *   It waits for the users and groups listings to finish (it needs both to decide the above).
 *   A group deleted since it was listed (members.list 404) has no members.
 * - `abort(error)` stops the background work; pending and later calls fail with `error`.
 * - Member ids are handed out as the very strings of the users and groups listings (one lookup
 *   per member, which the filtering above needs anyway): the engine's mirror then holds one
 *   string per id however many groups it is in. Per-group member lists are dropped once handed out.
 */
export class ListingSession {
  /** Listed user id → the same string (a set that also gives back the listing's instance). */
  private readonly userIds = new Map<string, string>();
  private everyone: string[] | undefined;
  private readonly usersListed = deferred<void>();
  private usersStarted = false;
  private readonly listed: ProviderGroup[] = [];
  private readonly groupIds = new Map<string, string>();
  private readonly groupsListed = deferred<void>();
  private groupsDone = false;
  private failure: unknown;
  private waiters: (() => void)[] = [];
  private readonly lists = new Map<string, Deferred<MemberList>>();
  /** Groups whose members are still to be read (from `queued` on). */
  private readonly queue: string[] = [];
  private queued = 0;
  private queueWaiters: (() => void)[] = [];
  /** `groups()` was asked of this session (a later listing needs a new one). */
  groupsTaken = false;

  constructor(
    private readonly client: DirectoryClient,
    private readonly settings: GoogleSettings,
    memberWorkers: number,
  ) {
    void this.listGroups();
    for (let i = 0; i < memberWorkers; i++) void this.memberWorker();
  }

  async *users(): AsyncGenerator<ProviderUser> {
    if (this.usersStarted) throw new Error('users() was already read from this listing');
    this.usersStarted = true;
    try {
      for await (const page of userPages(this.client, this.settings)) {
        this.check();
        for (const raw of page) {
          if (!inOrgUnits(raw.orgUnitPath, this.settings.orgUnits)) continue;
          const user = mapUser(raw);
          if (user === null) continue;
          this.userIds.set(user.id, user.id);
          yield user;
        }
      }
      this.usersListed.resolve();
    } catch (error) {
      this.abort(error);
      throw error;
    }
  }

  async *groups(): AsyncGenerator<ProviderGroup> {
    let next = 0;
    for (;;) {
      while (next < this.listed.length) yield this.listed[next++] as ProviderGroup;
      this.check();
      if (this.groupsDone) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The group's members as described above: user ids, then child group ids. */
  async members(groupId: string): Promise<Members> {
    await this.ensureUsers();
    await this.groupsListed.promise;
    let entry = this.lists.get(groupId);
    if (entry === undefined) {
      // Not a group of this listing: read it now.
      entry = deferred<MemberList>();
      this.lists.set(groupId, entry);
      await this.read(groupId, entry);
    }
    const list = await entry.promise;
    this.lists.delete(groupId);
    // Explicit user members are users of the domain, so with a CUSTOMER member the group holds
    // exactly every listed user (one shared array for all such groups).
    const users = list.customer ? (this.everyone ??= [...this.userIds.keys()]) : canonical(list.users, this.userIds);
    const groups = canonical(list.groups, this.groupIds).filter((id) => id !== groupId);
    return { users, groups };
  }

  abort(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.usersListed.reject(error);
    this.groupsListed.reject(error);
    for (const entry of this.lists.values()) entry.reject(error);
    this.wake();
    for (const resolve of this.queueWaiters.splice(0)) resolve();
  }

  /** The users listing, read silently when the engine did not ask for it (members() needs it). */
  private async ensureUsers(): Promise<void> {
    if (!this.usersStarted) for await (const _ of this.users()) void _;
    await this.usersListed.promise;
  }

  private async listGroups(): Promise<void> {
    try {
      for await (const page of groupPages(this.client, this.settings)) {
        if (this.failure !== undefined) return;
        for (const raw of page) {
          const group = mapGroup(raw);
          if (group === null || this.groupIds.has(group.id)) continue;
          this.groupIds.set(group.id, group.id);
          this.listed.push(group);
          this.lists.set(group.id, deferred<MemberList>());
          this.queue.push(group.id);
        }
        this.wake();
        for (const resolve of this.queueWaiters.splice(0)) resolve();
      }
      this.groupsDone = true;
      this.groupsListed.resolve();
    } catch (error) {
      this.abort(error);
    } finally {
      this.wake();
      for (const resolve of this.queueWaiters.splice(0)) resolve();
    }
  }

  private async memberWorker(): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) return;
      const groupId = this.queued < this.queue.length ? this.queue[this.queued++] : undefined;
      if (groupId === undefined) {
        if (this.groupsDone) return;
        await new Promise<void>((resolve) => this.queueWaiters.push(resolve));
        continue;
      }
      const entry = this.lists.get(groupId);
      if (entry !== undefined) await this.read(groupId, entry);
    }
  }

  /** Reads all member pages of a group into `entry`; a failure aborts the whole listing. */
  private async read(groupId: string, entry: Deferred<MemberList>): Promise<void> {
    const list: MemberList = { users: [], groups: [], customer: false };
    try {
      for await (const page of memberPages(this.client, groupId)) {
        this.check();
        for (const member of page) {
          if (typeof member.id !== 'string') continue;
          if (member.type === 'USER') list.users.push(member.id);
          else if (member.type === 'GROUP') list.groups.push(member.id);
          else if (member.type === 'CUSTOMER') list.customer = true;
        }
      }
      entry.resolve(list);
    } catch (error) {
      // Deleted after groups.list listed it (a run takes minutes at the quota): no members now;
      // the next run drops the group itself.
      if (error instanceof GoogleFailure && error.status === 404 && !error.fromTokenEndpoint) {
        entry.resolve({ users: [], groups: [], customer: false });
        return;
      }
      this.abort(error);
      entry.reject(error);
    }
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/** The listing's own instances of `ids` that are in `known`; the rest dropped. */
function canonical(ids: readonly string[], known: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const same = known.get(id);
    if (same !== undefined) out.push(same);
  }
  return out;
}
