/**
 * Crowd change events (`/event`, https://docs.atlassian.com/atlassian-crowd/latest/REST/), as the sync engine appends them to the event log and
 * the Crowd facade serves them from `/event/{token}`. Each carries what the client needs at the
 * time of the change: a complete user or group, or a user's complete direct group set.
 */
export type EventOperation = 'CREATED' | 'UPDATED' | 'DELETED';

export interface EventUser {
  readonly name: string;
  readonly key: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
}

export interface EventGroup {
  readonly name: string;
  readonly description: string;
  readonly active: boolean;
}

export type CrowdEvent =
  | { readonly type: 'user'; readonly operation: EventOperation; readonly user: EventUser }
  | { readonly type: 'group'; readonly operation: EventOperation; readonly group: EventGroup }
  /** UPDATED: `groups` is the user's complete set of direct groups (Crowd's syncGroupMembershipsForUser). */
  | {
      readonly type: 'userMembership';
      readonly operation: 'UPDATED';
      readonly user: string;
      readonly groups: readonly string[];
    }
  /** UPDATED: the group's complete direct parents and children. */
  | {
      readonly type: 'groupMembership';
      readonly operation: 'UPDATED';
      readonly group: string;
      readonly parents: readonly string[];
      readonly children: readonly string[];
    };

/** An event as the log returns it: with the directory it belongs to. */
export interface LoggedEvent {
  readonly seq: number;
  readonly directoryId: number;
  readonly event: CrowdEvent;
}

/**
 * A change set that would produce more events than this resets the log instead: clients holding
 * an older token get "expired" and run one full sync, which is cheaper than replaying the events.
 */
export const MAX_EVENTS_PER_CHANGE = 20_000;

/** What an apply appends to the log: the events, or a reset. */
export type EventBatch = readonly CrowdEvent[] | 'reset';
