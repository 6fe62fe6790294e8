import { supportsPassword } from '../../../src/providers/provider';
import { connectorTest } from '../connector-harness';
import { drain, everyMatching, firstMatching, tapRequests, type Injected, type RequestTap } from '../request-tap';
import { okta, startEmulator } from './subject';

/**
 * `stats()` of the Okta connector against what the emulator saw on the wire: every request (API
 * and, with OAuth, the token endpoint) counted once, and retries (the SDK's after a 401 too),
 * 429s, errors and rate-limit waits moving by exactly what was injected. Counts only, no timing.
 * Rate-limit windows of 1 s, so a 429's Reset is never far.
 */
const t = connectorTest(okta, { start: () => startEmulator({ rateLimitWindowSeconds: 1 }) });

let tap: RequestTap | undefined;
afterEach(() => tap?.restore());

const oktaError = (status: number, errorCode: string, headers: Record<string, string> = {}): Injected => ({
  status,
  headers,
  body: { errorCode, errorSummary: `Injected by the test: ${errorCode}`, errorLink: errorCode, errorCauses: [] },
});
/** E0000047 whose window ends now (Okta's `X-Rate-Limit-Reset`, epoch seconds): the pacer waits about a second. */
const rateLimited = () => oktaError(429, 'E0000047', { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000)) });
const USERS = /^\/api\/v1\/users$/;
const GROUPS = /^\/api\/v1\/groups$/;

test.each(['ssws', 'oauth'] as const)(
  'a full sync without failures (%s): every request counted once (token requests too), nothing retried, throttled or failed',
  async (auth) => {
    tap = tapRequests(t.emu.faults);
    const h = await t.harness({ provider: { auth } });
    expect(h.provider.stats()).toEqual({ requests: 0, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
    const run = await h.full();
    expect(run.status).toBe('succeeded');
    const stats = h.provider.stats();
    expect(stats.requests).toBeGreaterThan(0);
    // The pacer may hold calls of a bucket whose limit it does not know yet (one at a time): that is pacing.
    expect(stats).toMatchObject({ requests: tap.received, retries: 0, throttled: 0, errors: 0 });
    expect(tap.answered(200)).toBe(tap.received);
    const calls = [...h.provider.usage().values()].reduce((n, b) => n + b.calls, 0);
    expect(stats.requests).toBe(calls);
  },
);

test('three injected 429s: three throttled answers, three retries, the wait for Reset counted as rate-limit wait', async () => {
  tap = tapRequests(t.emu.faults, firstMatching(USERS, 3, rateLimited));
  const h = await t.harness();
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  expect(tap.injected).toBe(3);
  const stats = h.provider.stats();
  expect(stats).toMatchObject({ requests: tap.received, retries: 3, throttled: 3, errors: 0 });
  expect(stats.rateLimitWaitSeconds).toBeGreaterThan(0);
  expect(h.provider.throttledAnswers()).toBe(3);
  await t.expectStoreEqualsTenant(h);
}, 30_000);

test('two injected 503s: two retries, no throttle', async () => {
  tap = tapRequests(t.emu.faults, firstMatching(GROUPS, 2, oktaError(503, 'E0000009')));
  const h = await t.harness();
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  expect(tap.injected).toBe(2);
  expect(h.provider.stats()).toMatchObject({ requests: tap.received, retries: 2, throttled: 0, errors: 0 });
});

test('a request that keeps failing: its tries are retries, and it is one error', async () => {
  tap = tapRequests(t.emu.faults, everyMatching(GROUPS, oktaError(503, 'E0000009')));
  const h = await t.harness({ provider: { retry: { maxAttempts: 2 } } });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(tap.injected).toBe(2);
  expect(h.provider.stats()).toMatchObject({ retries: 1, throttled: 0, errors: 1 });
});

test('an answer that is an error (404) is an error without a retry', async () => {
  tap = tapRequests(t.emu.faults);
  const provider = t.provider();
  await expect(drain(provider.members({ id: '00gnosuchgroup00000x7', name: 'gone', description: '' }))).rejects.toThrow(
    /404/,
  );
  expect(tap.answered(404)).toBe(1);
  expect(provider.stats()).toMatchObject({ requests: tap.received, retries: 0, throttled: 0, errors: 1 });
});

test("OAuth tokens revoked: the SDK's retry after each 401 is a retry, with a new token; no error", async () => {
  tap = tapRequests(t.emu.faults);
  const h = await t.harness({ provider: { auth: 'oauth' } });
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

test('password checks (/api/v1/authn) are not counted: they are logins, not directory reads', async () => {
  tap = tapRequests(t.emu.faults);
  const provider = t.provider({ passwordAuthentication: true });
  if (!supportsPassword(provider)) throw new Error('password capability missing');
  const user = [...t.emu.directory.users.values()].find((u) => u.status === 'ACTIVE')!;
  expect(await provider.checkPassword(user.profile.login, 'wrong')).toEqual({ kind: 'invalid' });
  expect(tap.received).toBe(1);
  expect(provider.stats()).toEqual({ requests: 0, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
});
