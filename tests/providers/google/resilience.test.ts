import { connectorTest } from '../connector-harness';
import { google, startEmulator } from './subject';

/** Quota storms, server errors, revoked tokens, hanging requests and failures mid-run, through the real engine. */
const t = connectorTest(google);

/** Calls `action` once `count()` has grown by `after` (counted, not timed: slow machines stay correct); returns a stop. */
function whenCounted(count: () => number, after: number, action: () => void): () => void {
  const start = count();
  const timer = setInterval(() => {
    if (count() - start >= after) {
      clearInterval(timer);
      action();
    }
  }, 2);
  return () => clearInterval(timer);
}

/** Calls `action` once the emulator has answered `after` more API requests. */
function whenRequests(after: number, action: () => void): () => void {
  return whenCounted(() => t.emu.stats.apiRequests, after, action);
}

test('403 userRateLimitExceeded storm (quota far below the pace) is ridden out: backoff, slower pace, run succeeds', async () => {
  const h = await t.harness({ settings: { queriesPerMinute: 100_000 } });
  // A bucket of 10 queries: the run hits 403s at once; the quota is raised again a while after the
  // third refusal (counted, not timed: a slow machine may take long to spend the 10 queries).
  t.emu.faults.update({ throttle: { enabled: true, budget: 10 } });
  let raise: NodeJS.Timeout | undefined;
  const stop = whenCounted(
    () => t.emu.stats.userRateLimited,
    3,
    () => {
      raise = setTimeout(() => t.emu.faults.update({ throttle: { enabled: true, budget: 100_000 } }), 1_000);
    },
  );
  try {
    const run = await h.full();
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
  } finally {
    stop();
    clearTimeout(raise);
  }
  expect(h.provider.usage.throttled).toBeGreaterThan(0);
  expect(h.provider.throttledAnswers()).toBe(h.provider.usage.throttled);
  expect(h.provider.pace.queriesPerMinute).toBeLessThan(100_000);
  await t.expectStoreEqualsTenant(h);
});

test('429 rateLimitExceeded (more in flight than the account allows) is ridden out', async () => {
  const own = await startEmulator({ maxConcurrent: 2 });
  const mine = await t.harness({ settings: { maxConcurrency: 12 } }, own);
  try {
    own.faults.update({ latencyMs: 20, throttle: { enabled: true, budget: 1_000_000 } });
    const run = await mine.full();
    expect(run.error).toBeNull();
    expect(mine.provider.usage.throttled).toBeGreaterThan(0);
    await t.expectStoreEqualsTenant(mine, own);
  } finally {
    await own.close();
  }
});

test('a storm that never ends fails the run after bounded retries, and the store keeps its previous state', async () => {
  const h = await t.harness({ provider: { retry: { baseDelayMs: 5, maxDelayMs: 20, maxThrottleRetries: 4 } } });
  expect((await h.full()).status).toBe('succeeded');
  const before = t.picture(await h.state());
  const user = [...t.emu.state.users.values()].find((u) => u.enabled && !u.guest)!;
  t.emu.state.updateUser(user.id, { jobTitle: 'Never Seen' });
  t.emu.faults.update({ throttle: { enabled: true, budget: 1 } });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/userRateLimitExceeded/);
  expect(t.picture(await h.state())).toEqual(before);
});

test('503s and connection resets are retried', async () => {
  const h = await t.harness();
  t.emu.faults.update({ serverErrorRate: 0.15, resetRate: 0.05 });
  const run = await h.full();
  expect(run.error).toBeNull();
  await t.expectStoreEqualsTenant(h);
});

test('tokens revoked mid-run (401): a new JWT client gets a new token and the run succeeds', async () => {
  const h = await t.harness();
  const issued = t.emu.stats.tokensIssued;
  const stop = whenRequests(10, () => t.emu.faults.update({ revokeTokensBefore: Date.now() + 1 }));
  const run = await h.full();
  stop();
  expect(run.error).toBeNull();
  expect(t.emu.stats.tokensIssued).toBeGreaterThanOrEqual(issued + 2);
  await t.expectStoreEqualsTenant(h);
});

test('a failure mid-run (delegation withdrawn, token revoked) fails the run; the previous state stays', async () => {
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  const before = t.picture(await h.state());
  const group = [...t.emu.state.groups.values()].find((g) => g.userIds.size > 3)!;
  t.emu.state.removeMember(group.id, [...group.userIds][0]!);
  const clientId = t.emu.serviceAccountKey.client_id;
  const stop = whenRequests(5, () => {
    t.emu.revokeDelegation(clientId);
    t.emu.faults.update({ revokeTokensBefore: Date.now() + 1 });
  });
  try {
    const run = await h.full();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/unauthorized_client/);
    expect(t.picture(await h.state())).toEqual(before);
  } finally {
    stop();
    t.emu.grantDelegation(clientId, [
      'https://www.googleapis.com/auth/admin.directory.user.readonly',
      'https://www.googleapis.com/auth/admin.directory.group.readonly',
      'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
    ]);
  }
  // Fixed upstream: the next run catches up.
  t.emu.faults.reset();
  expect((await h.full()).status).toBe('succeeded');
  await t.expectStoreEqualsTenant(h);
});

test('a hanging request times out, is retried, and the run succeeds', async () => {
  const h = await t.harness({ provider: { retry: { requestTimeoutMs: 300, baseDelayMs: 10, maxDelayMs: 50 } } });
  t.emu.faults.update({ hangPathPattern: '/groups$' });
  // Two group listings left hanging (each timed out and retried), then the emulator answers again.
  const hungBefore = t.emu.faults.hung;
  const stop = whenCounted(
    () => t.emu.faults.hung,
    2,
    () => t.emu.faults.update({ hangPathPattern: null }),
  );
  try {
    const run = await h.full();
    expect(run.error).toBeNull();
  } finally {
    stop();
  }
  expect(t.emu.faults.hung - hungBefore).toBeGreaterThanOrEqual(2);
  await t.expectStoreEqualsTenant(h);
});
