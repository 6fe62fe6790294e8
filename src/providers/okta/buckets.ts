/**
 * Okta counts API calls per endpoint bucket for the whole org, per minute
 * (developer.okta.com/docs/reference/rl-global-mgmt): e.g. `GET /api/v1/users` (list) 600,
 * `GET /api/v1/users/{id}` 2000, `/api/v1/groups` (list and members) 500, `/api/v1/groups/{id}`
 * 1000, `/api/v1/logs` 120, `/api/v1/authn` 600 on the Workforce defaults. The limits differ by
 * SKU and contract, so they are never hard-coded: the pacer learns each bucket's limit from the
 * `X-Rate-Limit-*` headers of its answers. This module only says which bucket a request counts in.
 */
export type BucketName = 'users' | 'user' | 'groups' | 'group' | 'logs' | 'authn' | 'token' | 'other';

/** The bucket of a request, from its absolute URL (method does not matter for the reads crowdgate makes). */
export function bucketOf(url: string): BucketName {
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/{2,}/g, '/').replace(/\/$/, '');
  } catch {
    return 'other';
  }
  if (path === '/api/v1/users') return 'users';
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return 'user';
  if (/^\/api\/v1\/groups\/[^/]+$/.test(path)) return 'group';
  if (path === '/api/v1/groups' || path.startsWith('/api/v1/groups/')) return 'groups';
  if (path === '/api/v1/logs') return 'logs';
  if (path.startsWith('/api/v1/authn')) return 'authn';
  if (/^\/oauth2\/(v1|[^/]+\/v1)\/token$/.test(path)) return 'token';
  return 'other';
}
