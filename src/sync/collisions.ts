import { foldName } from '../domain/names';

/** Two or more people (or groups) that project to one name, and how it was resolved. */
export interface Collision {
  readonly kind: 'user' | 'group';
  readonly name: string;
  /** External id of the entity that kept the name (or "local group"). */
  readonly keptBy: string;
  /** The others, with the names they were given. */
  readonly renamed: ReadonlyArray<{ externalId: string; name: string }>;
}

/**
 * Usernames must be unique per directory case-insensitively. When several users project to one
 * name, the user who already holds it in the store keeps it (so nobody's account flips between
 * people), else the smallest external id; every other gets `<name>-<first 8 id characters>`,
 * stable across runs. Nobody is dropped or merged.
 *
 * `reserved` (folded name → external id) are names held by users who are not claimants but stay
 * in the directory (vanished upstream and kept deactivated, `deprovisioning.deleted: deactivate`):
 * they keep their names, and every claimant of one gets a variant.
 */
export function resolveNameCollisions(
  users: ReadonlyArray<{ externalId: string; name: string }>,
  currentNames: ReadonlyMap<string, string>,
  reserved: ReadonlyMap<string, string> = new Map(),
): { names: Map<string, string>; collisions: Collision[] } {
  const byName = new Map<string, Array<{ externalId: string; name: string }>>();
  for (const user of users) {
    const folded = foldName(user.name);
    const list = byName.get(folded);
    if (list) list.push(user);
    else byName.set(folded, [user]);
  }
  const names = new Map<string, string>();
  const taken = new Set([...byName.keys(), ...reserved.keys()]);
  const collisions: Collision[] = [];
  // In folded-name order, not listing order: two contested names can compete for one fallback
  // variant (`a` → `a-b-4`, `a-b` → `a-b-4`), and the provider's listing order changes between runs.
  const contested = [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [folded, claimants] of contested) {
    const keeper = reserved.get(folded);
    if (keeper !== undefined) {
      claimants.sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
      const renamed = claimants.map((other) => {
        const name = uniqueVariant(other, taken);
        names.set(other.externalId, name);
        return { externalId: other.externalId, name };
      });
      collisions.push({ kind: 'user', name: claimants[0]!.name, keptBy: keeper, renamed });
      continue;
    }
    if (claimants.length === 1) {
      names.set(claimants[0]!.externalId, claimants[0]!.name);
      continue;
    }
    const holder = currentNames.get(folded);
    claimants.sort(
      (a, b) => rank(a.externalId, holder) - rank(b.externalId, holder) || (a.externalId < b.externalId ? -1 : 1),
    );
    const [winner, ...others] = claimants as [
      { externalId: string; name: string },
      ...Array<{ externalId: string; name: string }>,
    ];
    names.set(winner.externalId, winner.name);
    const renamed = others.map((other) => {
      const name = uniqueVariant(other, taken);
      names.set(other.externalId, name);
      return { externalId: other.externalId, name };
    });
    collisions.push({ kind: 'user', name: winner.name, keptBy: winner.externalId, renamed });
  }
  return { names, collisions };
}

function rank(externalId: string, holder: string | undefined): number {
  return externalId === holder ? 0 : 1;
}

function uniqueVariant(user: { externalId: string; name: string }, taken: Set<string>): string {
  const id = user.externalId.replace(/[^A-Za-z0-9]/g, '') || 'x';
  const candidates = [`${user.name}-${id.slice(0, 8)}`, `${user.name}-${id}`];
  for (let n = 2; ; n++) {
    const candidate = candidates.shift() ?? `${user.name}-${id}-${n}`;
    if (!taken.has(foldName(candidate))) {
      taken.add(foldName(candidate));
      return candidate;
    }
  }
}
