import type { Rng } from './random';

/**
 * Marks exactly `min(k, eligible count)` of the indices `0..n-1` for which `eligible(i)` holds,
 * uniformly at random (Knuth's selection sampling: one pass, no extra memory beyond the result).
 */
export function sampleFlags(rng: Rng, n: number, k: number, eligible: (i: number) => boolean = () => true): Uint8Array {
  const flags = new Uint8Array(n);
  let remaining = 0;
  for (let i = 0; i < n; i++) if (eligible(i)) remaining++;
  let needed = Math.min(k, remaining);
  for (let i = 0; i < n && needed > 0; i++) {
    if (!eligible(i)) continue;
    if (rng.float() * remaining < needed) {
      flags[i] = 1;
      needed--;
    }
    remaining--;
  }
  return flags;
}

/** Fisher–Yates shuffle in place; returns its argument. */
export function shuffle<A extends { length: number; [i: number]: unknown }>(rng: Rng, items: A): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** Draws indices with probability proportional to `weights` (linear scan: meant for short lists). */
export class WeightedPicker {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
  }

  next(rng: Rng): number {
    const last = this.cumulative.length - 1;
    const x = rng.float() * (this.cumulative[last] ?? 0);
    for (let i = 0; i < last; i++) if (x < (this.cumulative[i] as number)) return i;
    return last;
  }
}
