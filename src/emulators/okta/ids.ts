import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Okta object ids are 20 characters: a 3-character type prefix (`00u` users, `00g` groups, `0oa`
 * apps, `oty` user types, `00T` API tokens) and 17 base-62 characters.
 */
export type OktaIdPrefix = '00u' | '00g' | '0oa' | 'oty' | '00T';

function base62(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62.charAt((bytes[i] as number) % 62);
  return out;
}

/**
 * 32-bit MurmurHash3-style hash of a string's UTF-16 code units. Not cryptographic: ids and
 * spreads only need to be deterministic and well mixed, and this is ~20× cheaper than SHA-256
 * per call, which matters at 100 000 users.
 */
function mix32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= text.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Deterministic id: same prefix and source (e.g. a tenant GUID) → same Okta id. */
export function derivedOktaId(prefix: OktaIdPrefix, source: string): string {
  const words = hashWords(source, prefix, 5);
  return prefix + base62(new Uint8Array(words.buffer), 17);
}

/** Random id of the same shape (tokens, apps made at run time). */
export function randomOktaId(prefix: OktaIdPrefix): string {
  return prefix + base62(randomBytes(17), 17);
}

/**
 * Issues derived ids and guarantees they are unique within one emulator: on the (astronomically
 * rare) collision the source is salted until the id is free, so ids stay deterministic.
 */
export class OktaIdRegistry {
  private readonly issued = new Set<string>();

  issue(prefix: OktaIdPrefix, source: string): string {
    for (let salt = 0; ; salt++) {
      const id = derivedOktaId(prefix, salt === 0 ? source : `${source}#${salt}`);
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
}

/** `count` deterministic, independent 32-bit words from a string and a salt. */
export function hashWords(text: string, salt: string, count = 8): Uint32Array {
  const words = new Uint32Array(count);
  for (let i = 0; i < count; i++) words[i] = mix32(text, mix32(salt, i + 1));
  return words;
}
