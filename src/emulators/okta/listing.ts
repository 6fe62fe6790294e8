/**
 * One page of a cursor-paged listing over a sorted index.
 *
 * Cursors: for id-ordered indexes the `after` cursor is the last id returned (as Okta's user and
 * group cursors are); for indexes ordered by a timestamp it is `<epoch ms>.<id>`. Either way the
 * page starts with a binary search — O(log n + scanned) per page — and stays correct when
 * objects are added or removed between pages.
 */
import { oktaErrors } from './errors';
import { SortedList, compareStrings } from './sorted-list';

export interface OrderedIndex<T extends { readonly id: string }> {
  readonly list: SortedList<T>;
  /** The timestamp the list is ordered by (ties by id); absent → ordered by id. */
  readonly key?: (item: T) => number;
}

export interface Page<T> {
  readonly items: T[];
  /** Cursor of the last item when another match exists beyond this page, else null. */
  readonly next: string | null;
}

/** A one-item index: an equality lookup (`id eq "…"`) turned into a listing. */
export function singleton<T extends { readonly id: string }>(item: T): OrderedIndex<T> {
  return { list: SortedList.fromSorted((a: T, b: T) => compareStrings(a.id, b.id), [item]) };
}

/** Index of the first item after the cursor (or at/after `from` on the key, without a cursor). */
export function startPosition<T extends { readonly id: string }>(
  index: OrderedIndex<T>,
  after: string | null,
  from = -Infinity,
): number {
  const { list, key } = index;
  if (after === null || after === '') {
    return key === undefined || from === -Infinity ? 0 : list.seek((x) => key(x) - from, false);
  }
  if (key === undefined) return list.seek((x) => compareStrings(x.id, after), true);
  const match = /^(-?\d+)\.([A-Za-z0-9]+)$/.exec(after);
  if (match === null) throw oktaErrors.validation('after', `after: not a cursor this listing issued (${after})`);
  const ms = Number(match[1]);
  const id = match[2] as string;
  return list.seek((x) => key(x) - ms || compareStrings(x.id, id), true);
}

/**
 * Collects up to `limit` items matching `predicate` from `start`; stops at the end or at the
 * first item whose key exceeds `to`. Looks ahead for one more match to decide on `next`.
 */
export function collectPage<T extends { readonly id: string }>(
  index: OrderedIndex<T>,
  start: number,
  predicate: (item: T) => boolean,
  limit: number,
  to = Infinity,
): Page<T> {
  const { list, key } = index;
  const items: T[] = [];
  const beyond = key === undefined || to === Infinity ? () => false : (x: T) => key(x) > to;
  let i = start;
  for (; i < list.length && items.length < limit; i++) {
    const item = list.at(i) as T;
    if (beyond(item)) return { items, next: null };
    if (predicate(item)) items.push(item);
  }
  const last = items[items.length - 1];
  if (last === undefined) return { items, next: null };
  for (; i < list.length; i++) {
    const item = list.at(i) as T;
    if (beyond(item)) break;
    if (predicate(item)) return { items, next: key === undefined ? last.id : `${key(last)}.${last.id}` };
  }
  return { items, next: null };
}
