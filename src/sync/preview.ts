import { foldName } from '../domain/names';
import type { DirectoryProvider } from '../providers/provider';
import type { Collision } from './collisions';
import { derive, type DeriveSettings } from './derive';
import { readMirror, type ReadProgress } from './mirror-reader';
import type { DirectoryPicture } from './picture';
import { planChanges, type Plan } from './plan';
import { usernameSourceValue } from './username';

export interface PreviewUser {
  readonly externalId: string;
  /** The Crowd username after projection and collisions. */
  readonly name: string;
  /**
   * The provider value the username was projected from (`username.source`: the login, the email
   * or an attribute), before stripDomain, replace and lowercase: the "before" of the console's
   * username tester.
   */
  readonly usernameSource: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  /** Direct groups (provider groups, local groups and mappings), by name. */
  readonly groups: string[];
}

export interface PreviewGroup {
  readonly name: string;
  readonly description: string;
  readonly local: boolean;
  /** Direct user members. */
  readonly members: number;
}

export interface DirectoryPreview {
  readonly users: number;
  readonly activeUsers: number;
  readonly groups: number;
  /** Direct user and group memberships. */
  readonly memberships: number;
  /** The first users and groups by name. */
  readonly sampleUsers: PreviewUser[];
  readonly sampleGroups: PreviewGroup[];
  readonly collisions: Collision[];
  readonly filteredOut: number;
  readonly withoutUsername: number;
  readonly warnings: string[];
  /** For a directory that exists: what saving these settings would change, as the next run plans it. */
  readonly plan?: Plan;
}

/**
 * What a directory with `settings` would hold, read from its provider now and derived exactly as
 * a sync derives it (filters, username projection, collisions, local groups, mappings, nesting),
 * writing nothing. With `baseline` (the store's picture of an existing directory) it also plans
 * the change from it. Costs one full read of the provider (as a full sync's read phase) plus the
 * derivation, which is in memory.
 */
export async function previewDirectory(
  provider: DirectoryProvider,
  settings: DeriveSettings,
  options: { sample: number; baseline?: DirectoryPicture; progress?: ReadProgress },
): Promise<DirectoryPreview> {
  const mirror = await readMirror(provider, options.progress);
  const currentNames = new Map(
    [...(options.baseline?.users.values() ?? [])].map((u) => [foldName(u.name), u.externalId] as const),
  );
  const derived = derive(mirror, settings, currentNames);
  const { picture } = derived;

  const members = new Map<string, number>();
  let memberships = 0;
  for (const groups of picture.userGroups.values()) {
    memberships += groups.size;
    for (const group of groups) members.set(group, (members.get(group) ?? 0) + 1);
  }
  for (const parents of picture.groupParents.values()) memberships += parents.size;
  let activeUsers = 0;
  for (const user of picture.users.values()) if (user.active) activeUsers++;

  const groupName = (externalId: string) => picture.groups.get(externalId)?.name ?? externalId;
  const sampleUsers = firstByName([...picture.users.values()], options.sample).map((u) => ({
    externalId: u.externalId,
    name: u.name,
    usernameSource: usernameSourceValue(mirror.users.get(u.externalId)!, settings.username.source),
    displayName: u.displayName,
    email: u.email,
    active: u.active,
    groups: [...(picture.userGroups.get(u.externalId) ?? [])].map(groupName).sort(byFoldedName),
  }));
  const sampleGroups = firstByName([...picture.groups.values()], options.sample).map((g) => ({
    name: g.name,
    description: g.description,
    local: g.local,
    members: members.get(g.externalId) ?? 0,
  }));

  const warnings: string[] = [];
  if (picture.users.size === 0)
    warnings.push('No user would be synchronised: check the filters and that the provider shows users to crowdgate');
  if (derived.collisions.length > 0)
    warnings.push(`${derived.collisions.length} usernames collide; the later users get a suffix (see collisions)`);
  if (derived.withoutUsername.length > 0)
    warnings.push(`${derived.withoutUsername.length} users have no value for the username source and are left out`);
  for (const wanted of settings.filters.groups) {
    if (![...mirror.groups.values()].some((g) => foldName(g.name) === foldName(wanted)))
      warnings.push(`The filter group "${wanted}" does not exist at the provider`);
  }

  return {
    users: picture.users.size,
    activeUsers,
    groups: picture.groups.size,
    memberships,
    sampleUsers,
    sampleGroups,
    collisions: derived.collisions,
    filteredOut: derived.filteredOut,
    withoutUsername: derived.withoutUsername.length,
    warnings,
    ...(options.baseline ? { plan: planChanges(options.baseline, picture, settings.deprovisioning) } : {}),
  };
}

function byFoldedName(a: string, b: string): number {
  const x = foldName(a);
  const y = foldName(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The first `count` items in folded-name order (code-point order, as every list of crowdgate); each name folded once. */
function firstByName<T extends { readonly name: string }>(items: readonly T[], count: number): T[] {
  return items
    .map((item) => ({ key: foldName(item.name), item }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, count)
    .map(({ item }) => item);
}
