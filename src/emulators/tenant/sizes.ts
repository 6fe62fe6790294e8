import type { Rng } from './random';

/** Exponent of the Zipf law of group sizes: the group at rank r gets weight ∝ r^-1. */
const ZIPF_EXPONENT = 1;

/**
 * Direct-member counts with a long tail. `ranked` lists the groups that get members, most popular
 * first; the group at rank r has weight r^-1 × jitter(0.6–1.4), and its count is proportional to
 * its weight but at most `caps[g]` (the size of its candidate pool). Every ranked group with a
 * non-zero cap gets at least one member when the target allows. Excess above a cap is spread over
 * the others (water-filling), so the counts sum to exactly `target` whenever the caps allow
 * (Σ caps ≥ target); otherwise every ranked group is filled to its cap. Unranked groups get 0.
 * Groups in `full` (e.g. "All Staff") are filled to their cap before anything else.
 * O(g log g).
 */
export function zipfSizes(
  rng: Rng,
  ranked: readonly number[],
  caps: ArrayLike<number>,
  target: number,
  full: readonly number[] = [],
): Uint32Array {
  const sizes = new Uint32Array(caps.length);
  let budget = target;
  for (const g of full) {
    sizes[g] = Math.min(caps[g] as number, budget);
    budget -= sizes[g] as number;
  }
  const fullSet = new Set(full);
  const live = ranked.filter((g) => (caps[g] as number) > 0 && !fullSet.has(g));
  // One member each first (top ranks first when the target is smaller than the group count).
  for (const g of live) {
    if (budget === 0) break;
    sizes[g] = 1;
    budget--;
  }
  if (budget === 0) return sizes;

  const weight = new Float64Array(caps.length);
  live.forEach((g, r) => {
    weight[g] = Math.pow(r + 1, -ZIPF_EXPONENT) * (0.6 + 0.8 * rng.float());
  });
  const room = (g: number): number => (caps[g] as number) - 1;

  // Water-filling: cap groups in order of room/weight; once one fits, all later ones fit too.
  const order = live.slice().sort((a, b) => room(a) / weight[a]! - room(b) / weight[b]!);
  let totalWeight = live.reduce((sum, g) => sum + weight[g]!, 0);
  let next = 0;
  for (; next < order.length; next++) {
    const g = order[next]!;
    if (room(g) * totalWeight > budget * weight[g]!) break;
    sizes[g] = caps[g] as number;
    budget -= room(g);
    totalWeight -= weight[g]!;
  }
  if (next === order.length) return sizes;

  // Proportional shares of what is left, rounded down; then the remainder one by one by rank.
  const uncapped = order.slice(next);
  let left = budget;
  for (const g of uncapped) {
    const share = Math.floor((budget * weight[g]!) / totalWeight);
    sizes[g] = (sizes[g] as number) + share;
    left -= share;
  }
  for (let i = 0; left > 0 && i < live.length * 2; i++) {
    const g = live[i % live.length]!;
    if ((sizes[g] as number) < (caps[g] as number)) {
      sizes[g] = (sizes[g] as number) + 1;
      left--;
    }
  }
  return sizes;
}
