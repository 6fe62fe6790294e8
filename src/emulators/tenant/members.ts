import type { Rng } from './random';

/** Share of draws in small groups that favour the front of the pool ("power users" in many groups). */
const SKEWED_DRAW_SHARE = 0.3;

/** Direct memberships in compressed form: group g's members are `members[offsets[g] .. offsets[g+1])`. */
export interface MemberTable {
  readonly offsets: Uint32Array;
  readonly members: Uint32Array;
}

/**
 * Draws `sizes[g]` distinct users for every group g from its candidate pool `pools[poolOf[g]]`
 * (user positions in ascending order; `sizes[g]` must not exceed the pool's length). Each group's
 * members come out ascending. Large groups (≥ a third of their pool) use one pass of selection
 * sampling; small ones use rejection sampling against a per-user stamp, partly skewed towards the
 * front of the pool so that a few users belong to many groups. No per-membership objects: O(Σ
 * sizes + Σ pools of large groups) time, one Int32Array of `userCount` as scratch.
 */
export function sampleMembers(
  rng: Rng,
  sizes: Uint32Array,
  pools: readonly Uint32Array[],
  poolOf: ArrayLike<number>,
  userCount: number,
): MemberTable {
  const offsets = new Uint32Array(sizes.length + 1);
  for (let g = 0; g < sizes.length; g++) offsets[g + 1] = (offsets[g] as number) + (sizes[g] as number);
  const members = new Uint32Array(offsets[sizes.length] as number);
  const stamp = new Int32Array(userCount).fill(-1);

  for (let g = 0; g < sizes.length; g++) {
    const k = sizes[g] as number;
    if (k === 0) continue;
    const pool = pools[poolOf[g] as number] as Uint32Array;
    const start = offsets[g] as number;
    if (k > pool.length) throw new RangeError(`group ${g}: ${k} members requested from a pool of ${pool.length}`);
    let filled = 0;
    if (k * 3 >= pool.length) {
      let remaining = pool.length;
      for (let j = 0; filled < k; j++, remaining--) {
        if (rng.float() * remaining < k - filled) members[start + filled++] = pool[j] as number;
      }
      continue;
    }
    while (filled < k) {
      const u = rng.float();
      const x = rng.float() < SKEWED_DRAW_SHARE ? u * Math.sqrt(u) : u;
      const user = pool[Math.floor(x * pool.length)] as number;
      if (stamp[user] !== g) {
        stamp[user] = g;
        members[start + filled++] = user;
      }
    }
    members.subarray(start, start + k).sort();
  }
  return { offsets, members };
}
