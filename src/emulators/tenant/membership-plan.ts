import type { GroupDraft } from './catalog';
import { sampleMembers, type MemberTable } from './members';
import { DEPARTMENTS } from './org';
import { Rng } from './random';
import { sampleFlags, shuffle } from './sampling';
import { zipfSizes } from './sizes';
import type { TenantGroupKind, TenantUser } from './types';

/** ~1.5% of users (at least one from 10 users on) are in no group at all. */
export const NO_GROUP_USER_SHARE = 0.015;
/** ~3% of groups (at least one from 10 groups on) have no members at all, user or group. */
export const EMPTY_GROUP_SHARE = 0.03;

const EMPTY_CANDIDATE_KINDS: ReadonlySet<TenantGroupKind> = new Set([
  'team',
  'distribution',
  'app',
  'security',
  'location',
]);
/** Most popular groups, in this order, ahead of the departments and then everything else. */
const TOP_GROUPS: readonly string[] = ['jira-users', 'confluence-users'];

const POOL_EVERYONE = 0;
const POOL_STAFF = 1;
const POOL_GUESTS = 2;
const POOL_DEPARTMENT = 3;

/**
 * Decides who is directly in which group. Candidate pools: department and sub-department groups
 * draw from their department's staff, "All Staff" and office groups from all staff, the guests
 * group from guests, every other group from everyone — always excluding the users chosen to be in
 * no group. Groups chosen to be empty (never a group with child groups) get no members; "All
 * Staff" gets its whole pool; the others get Zipf-distributed counts ({@link zipfSizes}) so that
 * the total is `target` when pools allow.
 */
export function planMemberships(
  seed: string | number,
  drafts: readonly GroupDraft[],
  children: readonly (readonly number[])[],
  users: readonly TenantUser[],
  target: number,
): MemberTable {
  const rng = new Rng(seed, 'memberships');
  const n = users.length;
  const g = drafts.length;
  const loners = sampleFlags(rng, n, n >= 10 ? Math.max(1, Math.round(n * NO_GROUP_USER_SHARE)) : 0);

  const forced = drafts.filter((d) => d.forceEmpty).length;
  const emptyTarget = g >= 10 ? Math.max(1, Math.round(g * EMPTY_GROUP_SHARE)) : 0;
  const randomEmpty = sampleFlags(rng, g, Math.max(0, emptyTarget - forced), (i) => {
    const d = drafts[i] as GroupDraft;
    return !d.planted && EMPTY_CANDIDATE_KINDS.has(d.kind) && (children[i] as readonly number[]).length === 0;
  });
  const empty = (i: number): boolean => randomEmpty[i] === 1 || (drafts[i] as GroupDraft).forceEmpty;

  const pools = buildPools(users, loners);
  const poolOf = new Uint16Array(g);
  const caps = new Uint32Array(g);
  drafts.forEach((d, i) => {
    poolOf[i] = poolFor(d);
    caps[i] = empty(i) ? 0 : (pools[poolOf[i] as number] as Uint32Array).length;
  });

  const full = drafts.flatMap((d, i) => (d.kind === 'all-staff' ? [i] : []));
  const sizes = zipfSizes(rng, rankGroups(rng, drafts), caps, target, full);
  return sampleMembers(rng, sizes, pools, poolOf, n);
}

function poolFor(d: GroupDraft): number {
  switch (d.kind) {
    case 'department':
    case 'subdepartment':
      return d.department >= 0 ? POOL_DEPARTMENT + d.department : POOL_STAFF;
    case 'all-staff':
    case 'location':
      return POOL_STAFF;
    case 'guests':
      return POOL_GUESTS;
    default:
      return POOL_EVERYONE;
  }
}

/** Candidate pools (ascending user positions), indexed by the POOL_* constants. */
function buildPools(users: readonly TenantUser[], loners: Uint8Array): Uint32Array[] {
  const departmentOf = new Map(DEPARTMENTS.map((d, i) => [d.name, i] as const));
  const lists: number[][] = Array.from({ length: POOL_DEPARTMENT + DEPARTMENTS.length }, () => []);
  users.forEach((u, i) => {
    if (loners[i] === 1) return;
    lists[POOL_EVERYONE]!.push(i);
    if (u.guest) {
      lists[POOL_GUESTS]!.push(i);
      return;
    }
    lists[POOL_STAFF]!.push(i);
    const d = departmentOf.get(u.department);
    if (d !== undefined) lists[POOL_DEPARTMENT + d]!.push(i);
  });
  return lists.map((l) => Uint32Array.from(l));
}

/** Groups by popularity: TOP_GROUPS, then departments largest first, then the rest shuffled. */
function rankGroups(rng: Rng, drafts: readonly GroupDraft[]): number[] {
  const top = TOP_GROUPS.map((name) => drafts.findIndex((d) => d.name === name)).filter((i) => i >= 0);
  const topSet = new Set(top);
  const departments = drafts
    .map((d, i) => (d.kind === 'department' && !topSet.has(i) ? i : -1))
    .filter((i) => i >= 0)
    .sort((a, b) => drafts[a]!.department - drafts[b]!.department);
  const ranked = new Set([...top, ...departments]);
  const rest = shuffle(
    rng,
    drafts.map((_, i) => i).filter((i) => !ranked.has(i)),
  );
  return [...top, ...departments, ...rest];
}
