import { supportsPassword } from '../../../src/providers/provider';
import { connectorTest } from '../connector-harness';
import { everyMatching, firstMatching, tapRequests, type Injected, type RequestTap } from '../request-tap';
import { entra } from './subject';

/**
 * `stats()` of the Entra connector against what the emulator saw on the wire: every request
 * (Graph and the identity platform) counted once, and retries, 429s (plain and `$batch` items),
 * errors and rate-limit waits moving by exactly what was injected. Counts only, no timing.
 */
const t = connectorTest(entra);

let tap: RequestTap | undefined;
afterEach(() => tap?.restore());

const graphError = (status: number, code: string, headers: Record<string, string> = {}): Injected => ({
  status,
  headers,
  body: { error: { code, message: `Injected by the test: ${code}` } },
});
const USERS = /^\/v1\.0\/users$/;
const GROUPS = /^\/v1\.0\/groups$/;

test('a full sync without failures: every request counted once (token requests too), nothing retried, throttled or failed', async () => {
  tap = tapRequests(t.emu.faults);
  const h = await t.harness();
  expect(h.provider.stats()).toEqual({ requests: 0, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  const stats = h.provider.stats();
  expect(stats.requests).toBeGreaterThan(0);
  expect(stats.requests).toBe(tap.received);
  expect(stats).toEqual({ requests: tap.received, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
  expect(tap.answered(200)).toBe(tap.received);
  // Counters only grow: an incremental run adds its own requests.
  expect((await h.incremental()).status).toBe('succeeded');
  expect(h.provider.stats().requests).toBe(tap.received);
  expect(h.provider.stats().requests).toBeGreaterThan(stats.requests);
});

test('three injected 429s: three throttled answers, three retries, the Retry-After counted as rate-limit wait', async () => {
  tap = tapRequests(
    t.emu.faults,
    firstMatching(USERS, 3, graphError(429, 'TooManyRequests', { 'Retry-After': '0.05' })),
  );
  const h = await t.harness();
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  expect(tap.injected).toBe(3);
  const stats = h.provider.stats();
  expect(stats).toMatchObject({ requests: tap.received, retries: 3, throttled: 3, errors: 0 });
  expect(stats.rateLimitWaitSeconds).toBeGreaterThan(0);
  expect(h.provider.throttledAnswers()).toBe(3);
  await t.expectStoreEqualsTenant(h);
});

test('$batch items answered 429 by Graph: each one throttled, each re-submission a retry', async () => {
  // Graph's bucket far below the client's: member batches overflow it item by item (resilience.test.ts).
  t.emu.faults.update({ throttle: { enabled: true, budget: 70 } });
  tap = tapRequests(t.emu.faults);
  const h = await t.harness({ settings: { resourceUnitBudget: 75_000 }, provider: { memberReads: 'pages' } });
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  expect(tap.batchItems(429)).toBeGreaterThan(0);
  const stats = h.provider.stats();
  const refused = tap.answered(429) + tap.batchItems(429);
  expect(stats).toMatchObject({ requests: tap.received, retries: refused, throttled: refused, errors: 0 });
  expect(stats.rateLimitWaitSeconds).toBeGreaterThan(0);
  expect(h.provider.throttledAnswers()).toBe(refused);
  t.emu.faults.update({ throttle: { enabled: false, budget: null } });
  await t.expectStoreEqualsTenant(h);
}, 60_000);

test('two injected 503s: two retries, no throttle, no rate-limit wait (backoff is not a rate limit)', async () => {
  tap = tapRequests(t.emu.faults, firstMatching(GROUPS, 2, graphError(503, 'serviceNotAvailable')));
  const h = await t.harness();
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  expect(tap.injected).toBe(2);
  expect(h.provider.stats()).toEqual({
    requests: tap.received,
    retries: 2,
    throttled: 0,
    errors: 0,
    rateLimitWaitSeconds: 0,
  });
});

test('a request that keeps failing: its tries are retries, and it is one error', async () => {
  tap = tapRequests(t.emu.faults, everyMatching(GROUPS, graphError(503, 'serviceNotAvailable')));
  const h = await t.harness({ provider: { retry: { maxAttempts: 2 } } });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(tap.injected).toBe(2);
  expect(h.provider.stats()).toMatchObject({ retries: 1, throttled: 0, errors: 1 });
});

test('an answer that is an error (404) is an error without a retry', async () => {
  tap = tapRequests(t.emu.faults);
  const h = await t.harness();
  const gone = { id: '00000000-0000-0000-0000-00000000dead', name: 'gone', description: '' };
  // No listing planned this group: its members are read by $batch, where the item answers 404.
  const read = (async () => {
    for await (const member of h.provider.members(gone)) void member;
  })();
  await read.catch(() => undefined);
  const stats = h.provider.stats();
  expect(stats).toMatchObject({ requests: tap.received, retries: 0, throttled: 0, errors: 1 });
  expect(tap.batchItems(404)).toBe(1);
});

test('tokens revoked: every 401 is one retry with a new token, no error', async () => {
  tap = tapRequests(t.emu.faults);
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  t.emu.faults.update({ revokeTokensBefore: Date.now() });
  expect((await h.incremental()).status).toBe('succeeded');
  expect(tap.answered(401)).toBeGreaterThan(0);
  expect(h.provider.stats()).toMatchObject({
    requests: tap.received,
    retries: tap.answered(401),
    throttled: 0,
    errors: 0,
  });
});

test('password checks (ROPC) are not counted: they are logins, not directory reads', async () => {
  tap = tapRequests(t.emu.faults);
  const provider = t.provider({ passwordAuthentication: true });
  if (!supportsPassword(provider)) throw new Error('password capability missing');
  const user = [...t.emu.state.users.values()].find((u) => u.enabled && !u.guest)!;
  expect(await provider.checkPassword(user.login, 'wrong')).toEqual({ kind: 'invalid' });
  expect(tap.received).toBeGreaterThan(0);
  expect(provider.stats()).toEqual({ requests: 0, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
});
