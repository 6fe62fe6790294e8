import { fnv1a } from './ids';

/**
 * Paging over precomputed sorted arrays. Every list the API serves is an array sorted by a
 * unique string key; a page token carries the key of the last item served and the position after
 * it. Resuming costs O(1) when the list did not change (the item before the hinted position
 * still has that key) and O(log n) otherwise (binary search for the key), so a change between
 * two pages never repeats or skips an item that was there all along.
 */

/** A sorted array and its keys (ascending, or descending when `descending`). */
export class SortedList<T> {
  constructor(
    readonly items: readonly T[],
    readonly keyAt: (index: number) => string,
    readonly descending = false,
  ) {}

  get length(): number {
    return this.items.length;
  }

  /** Index of the first item that comes strictly after `key` in list order. */
  after(key: string): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keyAt(mid);
      if (this.descending ? k < key : k > key) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Where a page that follows the item with `key` starts; `hint` is the position the token recorded. */
  resume(key: string, hint: number): number {
    if (hint > 0 && hint <= this.items.length && this.keyAt(hint - 1) === key) return hint;
    return this.after(key);
  }

  /** The same list filtered (keys follow their items). */
  filter(keep: (item: T) => boolean): SortedList<T> {
    const items: T[] = [];
    const keys: string[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i] as T;
      if (keep(item)) {
        items.push(item);
        keys.push(this.keyAt(i));
      }
    }
    return new SortedList(items, (i) => keys[i] as string, this.descending);
  }
}

/** Google page tokens are valid for three days (users.list pageToken documentation). */
export const PAGE_TOKEN_MAX_AGE_SECONDS = 3 * 24 * 3600;

interface TokenPayload {
  /** Hash of the request parameters that define the list (a token only continues its own list). */
  readonly s: string;
  /** Key of the last item served. */
  readonly k: string;
  /** Position after that item when the page was served. */
  readonly i: number;
  /** Issued at, epoch seconds. */
  readonly t: number;
}

/** Fingerprint of the parameters that define a list. */
export function listScope(parts: readonly (string | number | boolean | null)[]): string {
  return fnv1a(parts.map((p) => String(p)).join('\u0001')).toString(36);
}

export function encodePageToken(scope: string, lastKey: string, nextIndex: number, nowMs: number): string {
  const payload: TokenPayload = { s: scope, k: lastKey, i: nextIndex, t: Math.floor(nowMs / 1000) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The token's resume point, or null when it is malformed, expired or belongs to another list. */
export function decodePageToken(token: string, scope: string, nowMs: number): { key: string; hint: number } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (payload === null || typeof payload !== 'object') return null;
  const p = payload as Partial<TokenPayload>;
  if (typeof p.s !== 'string' || typeof p.k !== 'string' || typeof p.i !== 'number' || typeof p.t !== 'number')
    return null;
  if (p.s !== scope || !Number.isSafeInteger(p.i) || p.i < 0) return null;
  if (nowMs / 1000 - p.t > PAGE_TOKEN_MAX_AGE_SECONDS) return null;
  return { key: p.k, hint: p.i };
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string | null;
}

/**
 * One page of `list`: from the start, or after the token's item; null for a bad token.
 * Cost O(max) (+ O(log n) when the list changed since the token was issued).
 */
export function pageOf<T>(
  list: SortedList<T>,
  pageToken: string | null,
  max: number,
  scope: string,
  nowMs: number,
): Page<T> | null {
  let start = 0;
  if (pageToken !== null && pageToken !== '') {
    const position = decodePageToken(pageToken, scope, nowMs);
    if (position === null) return null;
    start = list.resume(position.key, position.hint);
  }
  const end = Math.min(list.length, start + max);
  const items = list.items.slice(start, end);
  const nextPageToken = end < list.length ? encodePageToken(scope, list.keyAt(end - 1), end, nowMs) : null;
  return { items, nextPageToken };
}
