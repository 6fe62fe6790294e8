import type { ProviderGroup } from '../provider';
import type { GraphClient } from './client';
import { pages } from './paging';
import { GROUP_SELECT, groupInScope, mapGroup } from './mapper';
import type { Interner } from './member-list';
import type { MemberReader } from './members';

/**
 * One full listing (users → groups → members of every group, as the engine reads it), with the
 * groups listed and their members fetched in the background from the moment `users()` starts.
 *
 * The users listing is a chain of ~100 sequential pages for a 100k-user tenant: latency-bound,
 * cheap in RU. Reading groups and members at the same time takes them off the critical path.
 *
 * Contracts:
 * - `groups()` yields the groups in listing order, waiting for pages still to come, and throws
 *   what the background listing hit (never a partial listing).
 * - `abort(error)` stops the background work; pending and later calls fail with `error`.
 * - User, group and member ids go through one Interner for the session, so the engine's mirror
 *   holds one string per id however many groups it is in.
 */
export const GROUP_PAGE_TOP = 999;

export class ListingSession {
  private readonly listed: ProviderGroup[] = [];
  private done = false;
  private failure: unknown;
  private waiters: (() => void)[] = [];
  /** `groups()` was asked of this session (a later listing needs a new one). */
  groupsTaken = false;
  private usersDone = false;
  private membersDone = false;

  constructor(
    private readonly client: GraphClient,
    private readonly groupTypes: 'all' | 'security',
    readonly ids: Interner,
    readonly reader: MemberReader,
  ) {
    void this.listGroups();
  }

  async *groups(): AsyncGenerator<ProviderGroup> {
    let next = 0;
    for (;;) {
      while (next < this.listed.length) yield this.listed[next++] as ProviderGroup;
      if (this.failure !== undefined) throw this.failure;
      if (this.done) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The users listing is complete. */
  usersListed(): void {
    this.usersDone = true;
    this.release();
  }

  /** Every planned group's members were fetched. */
  membersRead(): void {
    this.membersDone = true;
    this.release();
  }

  /** Ids handed out stay shared; the table itself is not needed once both listings are over. */
  private release(): void {
    if (this.usersDone && this.membersDone) this.ids.clear();
  }

  abort(error: unknown): void {
    if (this.failure === undefined && !this.done) this.failure = error;
    this.reader.abort(error);
    this.wake();
  }

  private async listGroups(): Promise<void> {
    try {
      for await (const page of pages(this.client, `/groups?$select=${GROUP_SELECT.join(',')}&$top=${GROUP_PAGE_TOP}`)) {
        if (this.failure !== undefined) return;
        for (const group of page.values) {
          if (groupInScope(group, this.groupTypes) === false) continue;
          const mapped = mapGroup(group, this.ids);
          this.listed.push(mapped);
          this.reader.add(mapped.id);
        }
        this.wake();
      }
      this.done = true;
      this.reader.close();
    } catch (error) {
      this.failure ??= error;
      this.reader.abort(error);
    } finally {
      this.wake();
    }
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
