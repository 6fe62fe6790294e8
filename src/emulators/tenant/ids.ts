import type { Rng } from './random';

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Issues GUID-shaped object ids (8-4-4-4-12 lower hex with the RFC 4122 version-4 and variant
 * bits, like Entra object ids) and guarantees that no id is issued twice by the same registry, so
 * user and group ids drawn through one registry are distinct.
 */
export class GuidRegistry {
  private readonly issued = new Set<string>();

  issue(rng: Rng): string {
    for (;;) {
      const id = randomGuid(rng);
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
}

function randomGuid(rng: Rng): string {
  const a = rng.u32();
  const b = rng.u32();
  const c = rng.u32();
  const d = rng.u32();
  const b2 = (((b >>> 8) & 0x0f) | 0x40) >>> 0; // version nibble 4
  const c0 = (((c >>> 24) & 0x3f) | 0x80) >>> 0; // variant 10xx
  return (
    HEX[a >>> 24] +
    HEX[(a >>> 16) & 0xff] +
    HEX[(a >>> 8) & 0xff] +
    HEX[a & 0xff] +
    '-' +
    HEX[b >>> 24] +
    HEX[(b >>> 16) & 0xff] +
    '-' +
    HEX[b2] +
    HEX[b & 0xff] +
    '-' +
    HEX[c0] +
    HEX[(c >>> 16) & 0xff] +
    '-' +
    HEX[(c >>> 8) & 0xff] +
    HEX[c & 0xff] +
    HEX[d >>> 24] +
    HEX[(d >>> 16) & 0xff] +
    HEX[(d >>> 8) & 0xff] +
    HEX[d & 0xff]
  );
}
