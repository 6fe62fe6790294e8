/**
 * mulberry32: a seeded PRNG with 32 bits of state, uniform in [0, 1). Not cryptographic; the same
 * sequence on every platform, so a seed replays the same fault decisions (faults.ts) and the same
 * randomized test cases (tests/fuzz/, tests/sync/fault-matrix/).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
