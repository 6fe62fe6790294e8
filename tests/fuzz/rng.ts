/**
 * The fuzzer's randomness: a seeded PRNG (mulberry32) and the helpers the case generators use.
 * Every case has its own generator, seeded from (run seed, case index), so any single case can be
 * regenerated and replayed from those two numbers alone (`CROWDGATE_FUZZ_SEED`, `CROWDGATE_FUZZ_ONLY`).
 */
import { mulberry32 } from '../../src/emulators/core/mulberry32';

/** Seed of a run when `CROWDGATE_FUZZ_SEED` is not set. */
export const DEFAULT_FUZZ_SEED = 13013;

/** A 32-bit seed for case `index` of a run seeded with `seed` (a murmur3 finaliser over both). */
export function caseSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  /** An integer in [min, max], small values far more likely (log-uniform). */
  logRange(min: number, max: number): number {
    const lo = Math.log(Math.max(1, min));
    const hi = Math.log(Math.max(1, max));
    return Math.min(max, Math.max(min, Math.round(Math.exp(lo + this.next() * (hi - lo)))));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** One of the choices, by weight; each choice is a thunk, so only the chosen one runs. */
  weighted<T>(choices: ReadonlyArray<readonly [number, () => T]>): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let at = this.next() * total;
    for (const [w, make] of choices) {
      if ((at -= w) < 0) return make();
    }
    return choices[choices.length - 1]![1]();
  }
  /** `n` results of `make`. */
  times<T>(n: number, make: (i: number) => T): T[] {
    return Array.from({ length: n }, (_, i) => make(i));
  }
}

/** An integer from the environment, or the default when unset or not a safe integer. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isSafeInteger(n) ? n : fallback;
}

/** `CROWDGATE_FUZZ_SEED`, else the fixed default. */
export function fuzzSeed(): number {
  return envInt('CROWDGATE_FUZZ_SEED', DEFAULT_FUZZ_SEED);
}

/** `CROWDGATE_FUZZ_CASES`, else `fallback`. */
export function fuzzBudget(fallback: number): number {
  return Math.max(0, envInt('CROWDGATE_FUZZ_CASES', fallback));
}

/** `CROWDGATE_FUZZ_ONLY=12,345`: run only these case indexes (replay); undefined when unset. */
export function fuzzOnly(): number[] | undefined {
  const raw = process.env['CROWDGATE_FUZZ_ONLY'];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isSafeInteger(n) && n >= 0);
}
