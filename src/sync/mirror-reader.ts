import type { DirectoryProvider, ProviderGroup } from '../providers/provider';
import { UpstreamMirror } from './mirror';

/** Live counts of a listing in progress. */
export interface ReadProgress {
  users: number;
  groups: number;
  groupsWithMembers: number;
  memberships: number;
}

/** Groups whose members are read at the same time; providers pace their own requests. */
const MEMBER_CONCURRENCY = 8;

/**
 * Reads users, groups and every group's direct members straight into a new mirror. Any error
 * aborts the whole read: the caller gets no mirror rather than a partial one (a sync never applies
 * a partial listing, README.md#synchronisation); the previous mirror is untouched. So does
 * `signal` (crowdgate is stopping): the read ends with its reason at the next entry.
 */
export async function readMirror(
  provider: DirectoryProvider,
  progress?: ReadProgress,
  signal?: AbortSignal,
): Promise<UpstreamMirror> {
  const p = progress ?? { users: 0, groups: 0, groupsWithMembers: 0, memberships: 0 };
  const mirror = new UpstreamMirror();
  for await (const user of provider.users()) {
    signal?.throwIfAborted();
    mirror.users.set(user.id, user);
    p.users++;
  }
  const groups: ProviderGroup[] = [];
  for await (const group of provider.groups()) {
    signal?.throwIfAborted();
    mirror.groups.set(group.id, group);
    groups.push(group);
    p.groups++;
  }
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++]!;
      for await (const member of provider.members(group)) {
        signal?.throwIfAborted();
        mirror.append(member.kind === 'user' ? mirror.userGroups : mirror.groupParents, member.id, group.id);
        p.memberships++;
      }
      p.groupsWithMembers++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(MEMBER_CONCURRENCY, groups.length) }, worker));
  mirror.finishAppending();
  return mirror;
}
