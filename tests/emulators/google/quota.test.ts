import type { RunningGoogleEmulator } from '../../../src/emulators/google';
import { adminClient, caught, firstReason, sleep, startEmulator, type Admin } from './helpers';

/**
 * Directory API quotas: 403 userRateLimitExceeded (queries per minute per user; the client
 * library does NOT retry it, so the caller must back off) and 429 rateLimitExceeded (too many
 * requests in flight; gaxios retries 429 on GET by itself).
 */

let emu: RunningGoogleEmulator;
let admin: Admin;

beforeAll(async () => {
  emu = await startEmulator({ tenant: { seed: 'google-quota', users: 600, groups: 40 } });
  admin = adminClient(emu);
  await admin.users.list({ customer: 'my_customer', maxResults: 1 }); // token fetched outside the storms
});
afterAll(() => emu.close());
afterEach(() => emu.faults.reset());

/** Truncated exponential backoff (Google's guidance, scaled down for a test): 100 ms, 200 ms, … ≤ 1.6 s. */
async function withBackoff<T>(call: () => Promise<T>, onRetry: () => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const e = error as { status?: number; response?: { data?: unknown } };
      const reason = e.status === 403 ? firstReason(e.response?.data).reason : null;
      if (reason !== 'userRateLimitExceeded' || attempt >= 12) throw error;
      onRetry();
      await sleep(Math.min(1600, 100 * 2 ** attempt) + Math.random() * 50);
    }
  }
}

/** Spends the impersonated user's budget: calls until the first 403. */
async function drainBudget(): Promise<void> {
  for (;;) {
    const outcome = await admin.users.list({ customer: 'my_customer', maxResults: 1 }).then(
      () => 'ok',
      () => 'refused',
    );
    if (outcome === 'refused') return;
  }
}

test('403 userRateLimitExceeded storm: not retried by the library, ridden out by a backoff loop', async () => {
  // 300 queries per minute = a burst of 300, then 5 per second.
  emu.faults.update({ throttle: { enabled: true, budget: 300 } });
  let ok = 0;
  const started = Date.now();
  let first403: Awaited<ReturnType<typeof caught>> | null = null;
  while (first403 === null && ok < 400) {
    try {
      await admin.users.list({ customer: 'my_customer', maxResults: 1 });
      ok++;
    } catch (error) {
      first403 = await caught(Promise.reject(error));
    }
  }
  // The burst allowance, plus what refilled (5/s) while the burst ran.
  expect(ok).toBeGreaterThanOrEqual(300);
  expect(ok).toBeLessThanOrEqual(300 + Math.ceil(((Date.now() - started) / 1000) * 5) + 1);
  expect(first403?.status).toBe(403);
  expect(firstReason(first403?.data)).toMatchObject({
    code: 403,
    reason: 'userRateLimitExceeded',
    domain: 'usageLimits',
    status: 'PERMISSION_DENIED',
  });
  expect(firstReason(first403?.data).message).toMatch(
    /^Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'/,
  );

  // One failing call is exactly one request on the wire: gaxios does not retry 403. A budget of
  // one query per minute keeps the bucket empty however slow the machine is (5/s would refill).
  emu.faults.update({ throttle: { enabled: true, budget: 1 } });
  await admin.users.list({ customer: 'my_customer', maxResults: 1 });
  const before = emu.stats.apiRequests;
  const again = await caught(admin.users.list({ customer: 'my_customer', maxResults: 1 }));
  expect(again.status).toBe(403);
  expect(emu.stats.apiRequests).toBe(before + 1);

  // Our own backoff pages every user (600 at 100 per page) through the storm. At 60 per minute
  // the drained bucket refills one query a second, so six pages cannot all pass without a 403.
  emu.faults.update({ throttle: { enabled: true, budget: 60 } });
  await drainBudget();
  let retries = 0;
  const emails: string[] = [];
  let pageToken: string | undefined;
  do {
    const res = await withBackoff(
      () => admin.users.list({ customer: 'my_customer', maxResults: 100, ...(pageToken ? { pageToken } : {}) }),
      () => retries++,
    );
    emails.push(...(res.data.users ?? []).map((u) => u.primaryEmail as string));
    pageToken = res.data.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
  expect(retries).toBeGreaterThan(0);
  expect(new Set(emails).size).toBe(emu.directory.userList('email', false).length);
  expect(emu.stats.userRateLimited).toBeGreaterThan(retries - 1);
});

test('the budget is per impersonated user and off when throttling is off', async () => {
  emu.faults.update({ throttle: { enabled: true, budget: 3 } });
  for (let i = 0; i < 3; i++) await admin.users.list({ customer: 'my_customer', maxResults: 1 });
  expect((await caught(admin.users.list({ customer: 'my_customer', maxResults: 1 }))).status).toBe(403);
  emu.faults.update({ throttle: { enabled: false, budget: 3 } });
  for (let i = 0; i < 10; i++) await admin.users.list({ customer: 'my_customer', maxResults: 1 });
});

test('429 rateLimitExceeded above 20 requests in flight; gaxios retries 429 and every call succeeds', async () => {
  // Every request takes 1.5 s, so the 30 calls overlap even on a loaded machine: the 21st and
  // later find 20 in flight.
  emu.faults.update({ throttle: { enabled: true, budget: null }, latencyMs: 1500 });
  const results = await Promise.allSettled(
    Array.from({ length: 30 }, () => admin.users.list({ customer: 'my_customer', maxResults: 5 }, { retry: false })),
  );
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(20);
  expect(rejected.length).toBeGreaterThanOrEqual(1);
  const err = await caught(Promise.reject(rejected[0]?.reason));
  expect(err.status).toBe(429);
  expect(firstReason(err.data)).toMatchObject({
    code: 429,
    reason: 'rateLimitExceeded',
    domain: 'usageLimits',
    status: 'RESOURCE_EXHAUSTED',
  });

  // With the library's default retry (3 retries on 429 for GET), the same burst fully succeeds.
  emu.faults.update({ latencyMs: 500 });
  const limitedBefore = emu.stats.concurrencyLimited;
  const retried = await Promise.allSettled(
    Array.from({ length: 30 }, () => admin.users.list({ customer: 'my_customer', maxResults: 5 })),
  );
  expect(retried.every((r) => r.status === 'fulfilled')).toBe(true);
  expect(emu.stats.concurrencyLimited).toBeGreaterThan(limitedBefore);
});
