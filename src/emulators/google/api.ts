import type { GoogleDirectory } from './directory';
import { GoogleFailure, notAuthorized } from './errors';
import { quickEtag } from './ids';
import { Lru } from './lru';
import type { SortedList } from './paging';
import type { GroupRecord, MemberEntry, UserRecord } from './records';

/** Shared plumbing of the users, groups and members handlers. */

/** A derived (filtered) list and the directory stamp it was built at. */
export interface CachedList<T> {
  readonly stamp: string;
  readonly list: SortedList<T>;
}

export interface ApiContext {
  readonly directory: GoogleDirectory;
  /** Filtered lists, built once per data version and reused by every page of a listing. */
  readonly userLists: Lru<CachedList<UserRecord>>;
  readonly groupLists: Lru<CachedList<GroupRecord>>;
  readonly memberLists: Lru<CachedList<MemberEntry>>;
  now(): number;
}

export function createApiContext(directory: GoogleDirectory, now: () => number): ApiContext {
  return { directory, userLists: new Lru(16), groupLists: new Lru(16), memberLists: new Lru(64), now };
}

/** `cache[key]` when built at `stamp`, else `build()` stored under that stamp. */
export function cachedList<T>(
  cache: Lru<CachedList<T>>,
  key: string,
  stamp: string,
  build: () => SortedList<T>,
): SortedList<T> {
  const hit = cache.get(key);
  if (hit !== undefined && hit.stamp === stamp) return hit.list;
  const list = build();
  cache.set(key, { stamp, list });
  return list;
}

/** A handler's answer: status and pre-serialized JSON. */
export interface Reply {
  readonly status: number;
  readonly body: string;
}

/**
 * `customer` must be `my_customer` or this account's customer id, `domain` this account's
 * domain; anything else is someone else's account → 403 "Not Authorized to access this resource/api".
 */
export function checkAccount(directory: GoogleDirectory, customer: string | null, domain: string | null): void {
  if (customer !== null && customer !== 'my_customer' && customer !== directory.customerId)
    throw new GoogleFailure(notAuthorized());
  if (domain !== null && domain.toLowerCase() !== directory.domain) throw new GoogleFailure(notAuthorized());
}

/**
 * A list envelope, fields in Google's order: `{ kind, etag, <field>: [...], nextPageToken }`.
 * Like the real API, an empty page has no `<field>` array at all, and the last page no token.
 */
export function listBody(
  kind: string,
  field: string,
  items: readonly string[],
  etagSeed: string,
  nextPageToken: string | null,
): string {
  let body = `{"kind":${JSON.stringify(kind)},"etag":${JSON.stringify(quickEtag(etagSeed))}`;
  if (items.length > 0) body += `,${JSON.stringify(field)}:[${items.join(',')}]`;
  if (nextPageToken !== null) body += `,"nextPageToken":${JSON.stringify(nextPageToken)}`;
  return `${body}}`;
}
