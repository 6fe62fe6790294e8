import { mulberry32 } from '../../../src/emulators/core/mulberry32';

/** A small seeded PRNG (mulberry32) and the draws the fault matrix makes with it. */
export class Random {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A new independent stream (for one lane, one run). */
  fork(): Random {
    return new Random(Math.floor(this.next() * 4294967296));
  }
}

/** A seed from a string (a lane's name), so lanes do not depend on each other's draws. */
export function seedOf(text: string, base: number): number {
  let h = base >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
