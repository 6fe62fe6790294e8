import type { OktaClient } from './client';
import type { OktaGroupType, OktaUserStatus } from './config';
import { statusKept, typeKept, type OktaGroupJson, type OktaUserJson } from './mapper';

/**
 * One full listing's groups and members, read in the background from the moment `users()`
 * starts — so that the group-members bucket (`/api/v1/groups`, the busiest: one or more calls per
 * group) is working while the users bucket pages through users. A full sync then takes about
 * as long as its busiest bucket allows, not the sum of all of them.
 *
 * - Groups: `GET /api/v1/groups?limit=10000`, then every group's members
 *   (`/groups/{id}/users?limit=1000`), `lanes` groups at a time, in listing order (the order the
 *   engine asks in). All member lists may be read ahead: they are user ids, interned with the
 *   users listing's (`intern`), so a million memberships cost little more than their references.
 * - A list is handed out once and then dropped. A failure fails every pending and later request
 *   of the session (the engine then fails the run: never a partial picture).
 */
export interface SessionOptions {
  readonly statuses: ReadonlySet<OktaUserStatus>;
  readonly types: ReadonlySet<OktaGroupType>;
  /** Groups whose members are read at once. */
  readonly lanes: number;
  readonly groupsPath: string;
  readonly membersLimit: number;
  readonly intern: (id: string) => string;
}

/** One group's member list: kept until it is both read and handed out, then dropped. */
interface Slot {
  readonly promise: Promise<string[]>;
  resolve(ids: string[]): void;
  reject(error: Error): void;
  taken: boolean;
  settled: boolean;
}

function slot(): Slot {
  let resolve!: (ids: string[]) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<string[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a list nobody asks for must not be an unhandled rejection
  const s: Slot = {
    promise,
    resolve: (ids) => {
      s.settled = true;
      resolve(ids);
    },
    reject: (error) => {
      s.settled = true;
      reject(error);
    },
    taken: false,
    settled: false,
  };
  return s;
}

export class ListingSession {
  private readonly slots = new Map<string, Slot>();
  private failure: Error | null = null;
  private readonly listed: Promise<OktaGroupJson[]>;
  /** Set once `groups()` has been taken by a listing. */
  groupsTaken = false;

  constructor(
    private readonly client: OktaClient,
    private readonly options: SessionOptions,
  ) {
    this.listed = this.listGroups();
    this.listed.catch(() => undefined);
  }

  /** Every group of the synced types, in listing order. */
  groups(): Promise<OktaGroupJson[]> {
    return this.listed;
  }

  /** Member ids (synced statuses only) of a group this session listed; null for any other group. */
  members(groupId: string): Promise<string[]> | null {
    const s = this.slots.get(groupId);
    if (s === undefined || s.taken) return null;
    // Still pending: stays in the map, so that an abort rejects it too.
    s.taken = true;
    if (s.settled) this.slots.delete(groupId);
    return s.promise;
  }

  abort(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    for (const s of this.slots.values()) s.reject(error);
  }

  private async listGroups(): Promise<OktaGroupJson[]> {
    const groups: OktaGroupJson[] = [];
    try {
      for await (const page of this.client.pages<OktaGroupJson>(this.options.groupsPath)) {
        this.check();
        for (const g of page) if (typeKept(g, this.options.types)) groups.push(g);
      }
    } catch (error) {
      this.abort(error as Error);
      throw error;
    }
    for (const g of groups) this.slots.set(g.id, slot());
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < groups.length && this.failure === null) {
        const id = groups[next++]!.id;
        const s = this.slots.get(id);
        try {
          const ids = await this.readMembers(id);
          s?.resolve(ids);
          if (s?.taken) this.slots.delete(id);
        } catch (error) {
          this.abort(error as Error);
        }
      }
    };
    void Promise.all(Array.from({ length: Math.min(this.options.lanes, groups.length) }, lane));
    return groups;
  }

  private async readMembers(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users?limit=${this.options.membersLimit}`;
    for await (const page of this.client.pages<OktaUserJson>(path, true)) {
      this.check();
      for (const u of page) if (statusKept(u, this.options.statuses)) ids.push(this.options.intern(u.id));
    }
    return ids;
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
  }
}
