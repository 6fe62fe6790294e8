import { graphErrors } from './errors';

/**
 * Key-set paging over id-sorted arrays. A page is found by binary search on the last id the client
 * saw (carried in an opaque $skiptoken), so a page costs O(log n + page) whatever its depth, and
 * objects created or deleted between pages neither shift nor repeat the others (Graph paging is
 * likewise stable under concurrent changes).
 */

/** First index whose id is ≥ key. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose id is > key. */
export function upperBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertSorted(sorted: string[], key: string): void {
  const at = lowerBound(sorted, key);
  if (sorted[at] !== key) sorted.splice(at, 0, key);
}

export function removeSorted(sorted: string[], key: string): void {
  const at = lowerBound(sorted, key);
  if (sorted[at] === key) sorted.splice(at, 1);
}

export interface KeysetPage {
  readonly ids: string[];
  /** Last id of the page when more may follow (the next page starts after it); else null. */
  readonly after: string | null;
}

/**
 * Up to `top` ids after `after` that pass `accept`. With a filter the scan stops when the page is
 * full, so a next link may lead to an empty last page — real Graph does the same.
 */
export function keysetPage(
  sorted: readonly string[],
  after: string | null,
  top: number,
  accept?: (id: string) => boolean,
): KeysetPage {
  const ids: string[] = [];
  let i = after === null ? 0 : upperBound(sorted, after);
  for (; i < sorted.length && ids.length < top; i++) {
    const id = sorted[i] as string;
    if (!accept || accept(id)) ids.push(id);
  }
  return { ids, after: i < sorted.length && ids.length > 0 ? (ids[ids.length - 1] as string) : null };
}

/** $skiptoken for a listing: base64url of `{"a": lastId}` (opaque to clients). */
export function encodeSkipToken(after: string): string {
  return Buffer.from(JSON.stringify({ a: after })).toString('base64url');
}

export function decodeSkipToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof parsed.a === 'string') return parsed.a;
  } catch {
    // fall through
  }
  throw graphErrors.badRequest(`The specified page token value '${token.slice(0, 40)}' is not valid.`);
}
