import type { ProviderChange } from '../provider';
import type { OktaClient } from './client';
import type { OktaGroupType, OktaUserStatus } from './config';
import { apiFailure, describeFailure } from './errors';
import { mapGroup, mapUser, statusKept, typeKept, type OktaGroupJson, type OktaUserJson } from './mapper';

/**
 * Incremental runs from the System Log (`GET /api/v1/logs`, developer.okta.com/docs/reference/api/system-log):
 *
 * - Position: a polling query (ASCENDING, no `until`) filtered to the event types below, with
 *   `limit=1000` (the maximum). Okta always returns a `rel="next"` link for polling queries; the
 *   link after the last page read is the next position. A page shorter than the limit is the last.
 * - The first position (`deltaStart`, taken before a full listing) starts `START_LAG_MS` in the
 *   past: System Log events can appear a few seconds after the change, and replaying an event
 *   is harmless (the current state is fetched, not the event's).
 * - Events say what changed, not how it looks now: users and groups named by events are re-read
 *   in batches (`filter=id eq "…" or …`, 50 ids per request) — gone, or of a status / type not
 *   synced, means deleted. Memberships are taken from `group.user_membership.add/remove`, the
 *   last event per (group, user) winning, only for groups the picture holds; membership of the
 *   built-in Everyone group is implicit (no event), so every re-read user is (re)linked to it.
 * - Resync (a full run) when: Okta refuses the position (400 E0000001 on `after`: older than
 *   its retention, 90 days on Okta), the log cannot be read (403: missing okta.logs.read), or more
 *   than `MAX_EVENTS` events wait (a full run is cheaper than replaying them).
 */
export const USER_EVENTS = [
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.reactivate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.delete.initiated',
  'user.lifecycle.delete.completed',
  'user.account.update_profile',
  'user.account.lock',
  'user.account.unlock',
  'user.account.reset_password',
  'user.password.expire',
] as const;
export const GROUP_EVENTS = ['group.lifecycle.create', 'group.lifecycle.delete', 'group.profile.update'] as const;
export const MEMBERSHIP_EVENTS = ['group.user_membership.add', 'group.user_membership.remove'] as const;

/** System Log page maximum. */
export const LOG_PAGE_LIMIT = 1000;
export const START_LAG_MS = 60_000;
const MAX_EVENTS = 100_000;
/** Ids per `filter=id eq … or …` lookup: keeps URLs well under 4 kB. */
const IDS_PER_LOOKUP = 50;

export class ResyncRequired extends Error {
  override readonly name = 'ResyncRequired';
}

export interface LogEventJson {
  readonly eventType?: string;
  readonly published?: string;
  readonly target?: readonly { readonly id?: string; readonly type?: string }[];
}

/** The polling query a new position starts with. */
export function startQuery(sinceMs: number): string {
  const types = [...USER_EVENTS, ...GROUP_EVENTS, ...MEMBERSHIP_EVENTS].map((t) => `eventType eq "${t}"`).join(' or ');
  return `/api/v1/logs?since=${encodeURIComponent(new Date(sinceMs).toISOString())}&sortOrder=ASCENDING&limit=${LOG_PAGE_LIMIT}&filter=${encodeURIComponent(types)}`;
}

/** Every event from `next` on; the position after them (relative to the org). */
export async function readLog(client: OktaClient, next: string): Promise<{ events: LogEventJson[]; next: string }> {
  const events: LogEventJson[] = [];
  let position = next;
  for (;;) {
    let page;
    try {
      page = await client.page<LogEventJson>(position);
    } catch (error) {
      const f = apiFailure(error);
      if (f !== null && f.status === 400)
        throw new ResyncRequired(
          `Okta refused the System Log position (${describeFailure(f)}): it is older than the log's retention or no longer valid`,
        );
      if (f !== null && f.status === 403)
        throw new ResyncRequired(
          `cannot read the System Log (${describeFailure(f)}): incremental runs need okta.logs.read (OAuth) or an admin role that can read the log`,
        );
      throw error;
    }
    events.push(...page.items);
    if (events.length > MAX_EVENTS)
      throw new ResyncRequired(`more than ${MAX_EVENTS} changes are waiting in the System Log: a full run is cheaper`);
    if (page.next === null) throw new ResyncRequired('the System Log gave no polling link to continue from');
    position = relative(page.next, client.settings.orgUrl);
    if (page.items.length < LOG_PAGE_LIMIT) return { events, next: position };
  }
}

function relative(link: string, orgUrl: string): string {
  const url = new URL(link);
  if (url.origin !== new URL(orgUrl).origin || url.pathname.replace(/^\/+/, '/') !== '/api/v1/logs')
    throw new ResyncRequired('the System Log polling link points elsewhere');
  return `/api/v1/logs${url.search}`;
}

export interface DeltaContext {
  readonly client: OktaClient;
  readonly statuses: ReadonlySet<OktaUserStatus>;
  readonly types: ReadonlySet<OktaGroupType>;
  /** Ids of the groups the picture holds (updated here). */
  readonly knownGroups: Set<string>;
  /** The BUILT_IN Everyone group when synced: every user is a member, and Okta logs no event for it. */
  readonly everyone: string | null;
}

/** Turns events into changes by reading the current state of what they name. */
export async function changesFrom(events: readonly LogEventJson[], ctx: DeltaContext): Promise<ProviderChange[]> {
  const users = new Set<string>();
  const groups = new Set<string>();
  const pairs = new Map<string, { group: string; user: string; added: boolean }>();
  for (const event of events) {
    const type = event.eventType ?? '';
    const user = event.target?.find((t) => t.type === 'User')?.id;
    const group = event.target?.find((t) => t.type === 'UserGroup')?.id;
    if ((MEMBERSHIP_EVENTS as readonly string[]).includes(type)) {
      if (user === undefined || group === undefined) continue;
      pairs.set(`${group}\u0000${user}`, { group, user, added: type === 'group.user_membership.add' });
      if (!ctx.knownGroups.has(group)) groups.add(group);
    } else if ((GROUP_EVENTS as readonly string[]).includes(type)) {
      if (group !== undefined) groups.add(group);
    } else if (user !== undefined) {
      users.add(user);
    }
  }

  const upserts: ProviderChange[] = [];
  const deletions: ProviderChange[] = [];
  const goneUsers = new Set<string>();
  const found = await lookup<OktaUserJson>(ctx.client, '/api/v1/users?limit=200', [...users], true);
  for (const id of users) {
    const u = found.get(id);
    if (u !== undefined && statusKept(u, ctx.statuses)) {
      upserts.push({ kind: 'userUpserted', user: mapUser(u) });
      if (ctx.everyone !== null && ctx.knownGroups.has(ctx.everyone))
        upserts.push({ kind: 'memberAdded', groupId: ctx.everyone, member: { kind: 'user', id } });
    } else {
      deletions.push({ kind: 'userDeleted', id });
      goneUsers.add(id);
    }
  }
  const foundGroups = await lookup<OktaGroupJson>(ctx.client, '/api/v1/groups?limit=200', [...groups], false);
  for (const id of groups) {
    const g = foundGroups.get(id);
    if (g !== undefined && typeKept(g, ctx.types)) {
      upserts.push({ kind: 'groupUpserted', group: mapGroup(g) });
      ctx.knownGroups.add(id);
    } else {
      if (ctx.knownGroups.delete(id) || g === undefined) deletions.push({ kind: 'groupDeleted', id });
    }
  }
  const memberships: ProviderChange[] = [];
  for (const { group, user, added } of pairs.values()) {
    if (!ctx.knownGroups.has(group) || goneUsers.has(user)) continue;
    memberships.push({
      kind: added ? 'memberAdded' : 'memberRemoved',
      groupId: group,
      member: { kind: 'user', id: user },
    });
  }
  // Upserts first (a new user before its memberships), deletions last (nothing re-links them).
  return [...upserts, ...memberships, ...deletions];
}

/** Current objects by id, `IDS_PER_LOOKUP` per `filter=id eq … or …` request; missing ids are absent. */
async function lookup<T extends { id: string }>(
  client: OktaClient,
  base: string,
  ids: readonly string[],
  omitCredentials: boolean,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
    const filter = ids
      .slice(i, i + IDS_PER_LOOKUP)
      .map((id) => `id eq "${id.replace(/["\\]/g, '')}"`)
      .join(' or ');
    for await (const items of client.pages<T>(`${base}&filter=${encodeURIComponent(filter)}`, omitCredentials)) {
      for (const item of items) out.set(item.id, item);
    }
  }
  return out;
}
