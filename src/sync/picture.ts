import type { GroupRecord } from '../domain/group';
import type { UserRecord } from '../domain/user';
import type { DirectoryContents } from '../store/store';

/**
 * One directory as Crowd will see it, keyed by external id: what the engine wants (derived from
 * the upstream mirror) or what the store holds (the baseline). Plans are diffs of two pictures.
 */
export interface DirectoryPicture {
  readonly users: Map<string, UserRecord>;
  readonly groups: Map<string, GroupRecord>;
  /** Direct groups of each user. */
  readonly userGroups: Map<string, Set<string>>;
  /** Direct parents of each group. */
  readonly groupParents: Map<string, Set<string>>;
}

export function emptyPicture(): DirectoryPicture {
  return { users: new Map(), groups: new Map(), userGroups: new Map(), groupParents: new Map() };
}

/** The baseline: what the store holds, as a picture. */
export function pictureFromContents(contents: DirectoryContents): DirectoryPicture {
  const picture = emptyPicture();
  for (const { id: _id, directoryId: _d, createdAt: _c, updatedAt: _u, ...user } of contents.users)
    picture.users.set(user.externalId, user);
  for (const { id: _id, directoryId: _d, createdAt: _c, updatedAt: _u, ...group } of contents.groups)
    picture.groups.set(group.externalId, group);
  for (const [user, group] of contents.userMemberships) addLink(picture.userGroups, user, group);
  for (const [child, parent] of contents.groupMemberships) addLink(picture.groupParents, child, parent);
  return picture;
}

export function addLink(map: Map<string, Set<string>>, from: string, to: string): void {
  let set = map.get(from);
  if (!set) map.set(from, (set = new Set()));
  set.add(to);
}
