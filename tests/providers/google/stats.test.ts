import { connectorTest } from '../connector-harness';
import { everyMatching, firstMatching, tapRequests, type Injected, type RequestTap } from '../request-tap';
import { google } from './subject';

/**
 * `stats()` of the Google connector against what the emulator saw on the wire: every request
 * (Directory API and token endpoint) counted once, and retries, quota refusals (403 and 429),
 * errors and rate-limit waits moving by exactly what was injected. Counts only, no timing.
 */
const t = connectorTest(google);

let tap: RequestTap | undefined;
afterEach(() => tap?.restore());

const googleError = (status: number, reason: string): Injected => ({
  status,
  body: { error: { code: status, message: `Injected by the test: ${reason}`, errors: [{ reason, domain: 'global' }] } },
});
const USERS = /^\/admin\/directory\/v1\/users$/;
const GROUPS = /^\/admin\/directory\/v1\/groups$/;
const MEMBERS = /^\/admin\/directory\/v1\/groups\/[^/]+\/members$/;

test('a full sync without failures: every request counted once (token requests too), nothing retried, throttled or failed', async () => {
  tap = tapRequests(t.emu.faults);
  const h = await t.harness();
  expect(h.provider.stats()).toEqual({ requests: 0, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  const stats = h.provider.stats();
  expect(stats.requests).toBeGreaterThan(0);
  expect(stats).toEqual({ requests: tap.received, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
  expect(stats.requests).toBe(t.emu.stats.apiRequests + t.emu.stats.tokenRequests);
  expect(tap.answered(200)).toBe(tap.received);
});

test.each([
  ['403 userRateLimitExceeded', googleError(403, 'userRateLimitExceeded')],
  ['403 quotaExceeded', googleError(403, 'quotaExceeded')],
  ['429 rateLimitExceeded', googleError(429, 'rateLimitExceeded')],
])(
  'three injected quota refusals (%s): three throttled answers, three retries, the backoff counted as rate-limit wait',
  async (_name, refusal) => {
    tap = tapRequests(t.emu.faults, firstMatching(USERS, 3, refusal));
    // A pace far above what the run needs: each refusal halves it, and the run should stay quick.
    const h = await t.harness({ settings: { queriesPerMinute: 100_000 } });
    const run = await h.full();
    expect(run.status).toBe('succeeded');
    expect(tap.injected).toBe(3);
    const stats = h.provider.stats();
    expect(stats).toMatchObject({ requests: tap.received, retries: 3, throttled: 3, errors: 0 });
    expect(stats.rateLimitWaitSeconds).toBeGreaterThan(0);
    expect(h.provider.throttledAnswers()).toBe(3);
    await t.expectStoreEqualsTenant(h);
  },
);

test('two injected 503s: two retries, no throttle, no rate-limit wait (backoff is not a rate limit)', async () => {
  tap = tapRequests(t.emu.faults, firstMatching(GROUPS, 2, googleError(503, 'backendError')));
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
  tap = tapRequests(t.emu.faults, everyMatching(GROUPS, googleError(503, 'backendError')));
  const h = await t.harness({ provider: { retry: { maxAttempts: 2 } } });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(tap.injected).toBe(2);
  expect(h.provider.stats()).toMatchObject({ retries: 1, throttled: 0, errors: 1 });
});

test('an answer that is an error (members.list 404, a group deleted meanwhile) is an error without a retry', async () => {
  tap = tapRequests(t.emu.faults, firstMatching(MEMBERS, 1, googleError(404, 'notFound')));
  const h = await t.harness();
  const run = await h.full();
  // The connector reads such a group as empty; its caller still got the 404.
  expect(run.status).toBe('succeeded');
  expect(tap.injected).toBe(1);
  expect(h.provider.stats()).toEqual({
    requests: tap.received,
    retries: 0,
    throttled: 0,
    errors: 1,
    rateLimitWaitSeconds: 0,
  });
});

test('tokens revoked: every 401 is one retry with a new JWT client, no error', async () => {
  tap = tapRequests(t.emu.faults);
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  t.emu.faults.update({ revokeTokensBefore: Date.now() });
  expect((await h.full()).status).toBe('succeeded');
  expect(tap.answered(401)).toBeGreaterThan(0);
  expect(h.provider.stats()).toMatchObject({
    requests: tap.received,
    retries: tap.answered(401),
    throttled: 0,
    errors: 0,
  });
});
