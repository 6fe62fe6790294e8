import { createHash, hash } from 'node:crypto';

/**
 * Stable Google-shaped identifiers derived from tenant ids, and the cheap hashes the emulator uses
 * for deterministic choices and etags. Same tenant id → same Google id, in every run.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 32 hex digits (128 bits) of a tenant id: the GUID's own bits (already random) or a SHA-256 prefix for other ids. */
function entropyHex(source: string): string {
  return GUID.test(source)
    ? source.replace(/-/g, '').toLowerCase()
    : createHash('sha256').update(source).digest('hex').slice(0, 32);
}

/** Two 52-bit numbers from the hex (exact in doubles): no BigInt on the startup path. */
function halves(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 13), 16), parseInt(hex.slice(13, 26), 16)];
}

/**
 * A user id as Google issues them: 21 decimal digits starting with "1" (e.g. "103074921434934857834").
 * `attempt` > 0 derives an alternative when the first choice is taken (collisions are ~1e-10 at 100k users).
 */
export function googleUserId(tenantId: string, attempt = 0): string {
  const [a, b] = halves(entropyHex(attempt === 0 ? tenantId : `${tenantId}#${attempt}`));
  return `1${String(a % 1e10).padStart(10, '0')}${String(b % 1e10).padStart(10, '0')}`;
}

/** A group id as Google issues them: 15 characters, "0" + a digit + 13 base-36 (e.g. "03ep43zb2nfm0bc"). */
export function googleGroupId(tenantId: string, attempt = 0): string {
  const hex = entropyHex(attempt === 0 ? tenantId : `${tenantId}#${attempt}`);
  const [a, b] = halves(hex);
  const digit = parseInt(hex.slice(26, 27), 16) % 4;
  return `0${digit}${(a % 36 ** 7).toString(36).padStart(7, '0')}${(b % 36 ** 6).toString(36).padStart(6, '0')}`;
}

/** A customer id as Google issues them: "C0" + 7 base-36 characters (e.g. "C03az79cb"). */
export function customerIdFor(seed: string): string {
  const n = BigInt(`0x${createHash('sha256').update(`customer:${seed}`).digest('hex').slice(0, 16)}`);
  return `C0${(n % 36n ** 7n).toString(36).padStart(7, '0')}`;
}

/** 32-bit FNV-1a of a string (UTF-16 code units); fast, deterministic, not cryptographic. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes two 32-bit hashes into a well-spread 32-bit value (murmur3 finalizer). */
export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic number in [0, 1) for (`salt`, `id`): independent choices per salt. */
export function shareOf(id: string, salt: string): number {
  return fnv1a(`${salt}\u0000${id}`) / 4294967296;
}

/** A quoted strong etag of `content`, Google-shaped (opaque base64url). Changes whenever the content does. */
export function etagOf(content: string): string {
  return `"${hash('sha1', content, 'base64url')}"`;
}

/** A cheap quoted etag for small, high-volume objects (members, list envelopes). */
export function quickEtag(content: string): string {
  return `"${fnv1a(content).toString(36)}${fnv1a(`~${content}`).toString(36)}"`;
}
