/**
 * Okta's pagination links: one `Link` header per relation, both absolute URLs back to the org
 * (`<https://org/api/v1/users?limit=200>; rel="self"`, `<…&after=00u…&limit=200>; rel="next"`).
 * The SDK's Collection follows `rel="next"` verbatim, so it must point at the emulator itself.
 * Values are percent-encoded with `%20` for spaces, as Okta encodes filters.
 */

function encodeQuery(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function url(orgUrl: string, path: string, pairs: readonly (readonly [string, string])[]): string {
  const query = encodeQuery(pairs);
  return query === '' ? `${orgUrl}${path}` : `${orgUrl}${path}?${query}`;
}

/**
 * The `Link` header values of a page: `self` (the request as made) and, when `after` is given,
 * `next` (the same query with `after` and `limit` replaced).
 */
export function pageLinks(
  orgUrl: string,
  path: string,
  query: URLSearchParams,
  after: string | null,
  limit: number,
): string[] {
  const pairs = [...query.entries()];
  const links = [`<${url(orgUrl, path, pairs)}>; rel="self"`];
  if (after !== null) {
    const kept = pairs.filter(([k]) => k !== 'after' && k !== 'limit');
    links.push(`<${url(orgUrl, path, [...kept, ['after', after], ['limit', String(limit)]])}>; rel="next"`);
  }
  return links;
}
