import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Application passwords are stored as
 *   `scrypt$N=<cost>,r=<blockSize>,p=<parallelism>$<base64 salt>$<base64 key>`
 * (standard base64 with padding). `hashPassword` writes N=32768, r=8, p=1, a 16-byte random salt
 * and a 32-byte key; `verifyPassword` reads the parameters from the stored string, so old hashes
 * keep working if the defaults change. Passwords are hashed as their UTF-8 bytes, unnormalised.
 */
const DEFAULT_PARAMS: ScryptParams = { N: 32768, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** Bounds accepted from a stored string, so a hand-edited hash cannot demand absurd CPU or memory. */
const MAX_LOG2_N = 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024; // 128 * N * r
const MIN_BYTES = 16;
const MAX_BYTES = 64;

interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const HASH_PATTERN =
  /^scrypt\$N=([1-9][0-9]{0,7}),r=([1-9][0-9]{0,2}),p=([1-9][0-9]{0,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** Hash a password with a fresh random salt. Costs tens of milliseconds (on the libuv pool). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, DEFAULT_PARAMS, KEY_BYTES);
  const { N, r, p } = DEFAULT_PARAMS;
  return `scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * True when `password` matches `stored`. Returns false (never throws) when `stored` is malformed
 * or its parameters are out of bounds. The key comparison is constant-time.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === undefined) return false;
  let key: Buffer;
  try {
    key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  } catch {
    return false;
  }
  return timingSafeEqual(key, parsed.key);
}

/** Syntactic check (format, parameter bounds, base64 lengths); does not run scrypt. */
export function isPasswordHash(value: string): boolean {
  return parseHash(value) !== undefined;
}

function parseHash(stored: string): ParsedHash | undefined {
  const match = HASH_PATTERN.exec(stored);
  if (match === null) return undefined;
  const [, nText = '', rText = '', pText = '', saltText = '', keyText = ''] = match;
  const params: ScryptParams = { N: Number(nText), r: Number(rText), p: Number(pText) };
  const log2N = Math.log2(params.N);
  if (!Number.isInteger(log2N) || log2N < 1 || log2N > MAX_LOG2_N) return undefined;
  if (params.r > MAX_R || params.p > MAX_P || 128 * params.N * params.r > MAX_MEMORY_BYTES) return undefined;
  const salt = strictBase64(saltText);
  const key = strictBase64(keyText);
  if (salt === undefined || key === undefined) return undefined;
  if (salt.length < MIN_BYTES || salt.length > MAX_BYTES) return undefined;
  if (key.length < MIN_BYTES || key.length > MAX_BYTES) return undefined;
  return { params, salt, key };
}

/** Decode only canonical padded base64 (re-encoding gives back the same text). */
function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keylen: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // scrypt needs 128*N*r bytes (plus 128*r*p); Node's default maxmem (32 MiB) is just too small
    // for N=32768, r=8. Allow twice the requirement.
    maxmem: 2 * 128 * params.r * (params.N + params.p),
  };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, 'utf8'), salt, keylen, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export interface VerifiedPasswordCacheOptions {
  /** Most entries kept; the least recently used is evicted first. Default 1,000. */
  readonly maxEntries?: number;
  /** How long a success spares `verify` the slow check, from the verification, in ms. Default 5 minutes. */
  readonly ttlMs?: number;
  /** How long a success stays `knownGood`, from the verification, in ms. Default 24 hours; never shorter than `ttlMs`. */
  readonly knownGoodTtlMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
  /** The slow check, for tests. Default `verifyPassword`. */
  readonly verify?: (password: string, stored: string) => Promise<boolean>;
}

/**
 * Remembers SUCCESSFUL verifications so a Crowd client that sends Basic auth on every request pays
 * scrypt once per TTL, not per request. Failures are never remembered (each wrong guess costs a full
 * scrypt). Entries are keyed by (stored hash, HMAC-SHA-256 of the presented password under a
 * per-process random pepper); the plaintext is never stored, and the digests are useless outside
 * this process. Because the stored hash is part of the key, changing an application's password in
 * the configuration invalidates its entries. Concurrent verifications of the same pair share one
 * scrypt run.
 *
 * `knownGood` answers from the same entries, without the slow check and for longer (a day): the
 * failed-login limit lets a credential that already verified through from an address that is over
 * its budget (facades/crowd/application-auth.ts), so failures sent from Jira's address cannot lock
 * out Jira, even after a quiet spell. A verification's result depends only on the password and the
 * stored hash, both part of the key, so a remembered success stays true; the lifetimes only bound
 * how long digests are kept.
 */
export class VerifiedPasswordCache {
  private readonly pepper = randomBytes(32);
  private readonly entries = new Map<string, number>(); // key -> when verified; Map order = LRU order
  private readonly pending = new Map<string, Promise<boolean>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly knownGoodTtlMs: number;
  private readonly now: () => number;
  private readonly slowVerify: (password: string, stored: string) => Promise<boolean>;

  constructor(options: VerifiedPasswordCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.ttlMs = options.ttlMs ?? 5 * 60 * 1000;
    this.knownGoodTtlMs = Math.max(options.knownGoodTtlMs ?? 24 * 60 * 60 * 1000, this.ttlMs);
    this.now = options.now ?? Date.now;
    this.slowVerify = options.verify ?? verifyPassword;
  }

  /** Same result as `verifyPassword(password, stored)`, answered from the cache when possible. */
  async verify(password: string, stored: string): Promise<boolean> {
    const key = this.key(password, stored);
    if (this.hit(key, this.ttlMs)) return true;
    const inFlight = this.pending.get(key);
    if (inFlight !== undefined) return inFlight;
    const run = this.slowVerify(password, stored)
      .then((ok) => {
        if (ok) this.remember(key);
        return ok;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, run);
    return run;
  }

  /**
   * True when `password` verified against `stored` within the known-good lifetime: one HMAC, no
   * slow check, no verification started (false for anything not verified yet).
   */
  knownGood(password: string, stored: string): boolean {
    return this.hit(this.key(password, stored), this.knownGoodTtlMs);
  }

  /** Number of live-or-expired entries currently held (expired ones are dropped lazily). */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private key(password: string, stored: string): string {
    const digest = createHmac('sha256', this.pepper).update(password, 'utf8').digest('base64');
    // The digest has a fixed length and comes last, so the pair is unambiguous.
    return `${stored}\u0000${digest}`;
  }

  /** A success verified less than `ttlMs` ago. */
  private hit(key: string, ttlMs: number): boolean {
    const verifiedAt = this.entries.get(key);
    if (verifiedAt === undefined) return false;
    const now = this.now();
    this.entries.delete(key);
    if (now - verifiedAt >= this.knownGoodTtlMs) return false; // too old for anything: forgotten
    this.entries.set(key, verifiedAt); // most recently used goes last
    return now - verifiedAt < ttlMs;
  }

  private remember(key: string): void {
    this.entries.delete(key);
    this.entries.set(key, this.now());
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
}
