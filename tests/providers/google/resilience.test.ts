import type { RunningGoogleEmulator } from '../../../src/emulators/google';
import { Pace, type PaceClock } from '../../../src/providers/google/pace';
import { backoffMs, DEFAULT_RETRY_POLICY } from '../../../src/providers/google/retry';
import { expectStoreEqualsTenant, harness, startEmulator, storePicture, type Harness } from './helpers';

/** Quota storms, server errors, revoked tokens and failures mid-run, through the real engine. */
let emu: RunningGoogleEmulator;
let h: Harness | undefined;
beforeAll(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  emu.faults.reset();
});
afterAll(() => emu.close());

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
  return whenCounted(() => emu.stats.apiRequests, after, action);
}

test('403 userRateLimitExceeded storm (quota far below the pace) is ridden out: backoff, slower pace, run succeeds', async () => {
  h = await harness(emu, { google: { queriesPerMinute: 100_000 } });
  // A bucket of 10 queries: the run hits 403s at once; the quota is raised again a while after the
  // third refusal (counted, not timed: a slow machine may take long to spend the 10 queries).
  emu.faults.update({ throttle: { enabled: true, budget: 10 } });
  let raise: NodeJS.Timeout | undefined;
  const stop = whenCounted(() => emu.stats.userRateLimited, 3, () => {
    raise = setTimeout(() => emu.faults.update({ throttle: { enabled: true, budget: 100_000 } }), 1_000);
  });
  try {
    const run = await h.full();
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
  } finally {
    stop();
    clearTimeout(raise);
  }
  expect(h.provider.usage.throttled).toBeGreaterThan(0);
  expect(h.provider.pace.queriesPerMinute).toBeLessThan(100_000);
  await expectStoreEqualsTenant(h, emu);
});

test('429 rateLimitExceeded (more in flight than the account allows) is ridden out', async () => {
  const own = await startEmulator({ maxConcurrent: 2 });
  const mine = await harness(own, { google: { maxConcurrency: 12 } });
  try {
    own.faults.update({ latencyMs: 20, throttle: { enabled: true, budget: 1_000_000 } });
    const run = await mine.full();
    expect(run.error).toBeNull();
    expect(mine.provider.usage.throttled).toBeGreaterThan(0);
    await expectStoreEqualsTenant(mine, own);
  } finally {
    await mine.close();
    await own.close();
  }
});

test('a storm that never ends fails the run after bounded retries, and the store keeps its previous state', async () => {
  h = await harness(emu, { provider: { retry: { baseDelayMs: 5, maxDelayMs: 20, maxThrottleRetries: 4 } } });
  expect((await h.full()).status).toBe('succeeded');
  const before = storePicture(await h.state());
  const user = [...emu.state.users.values()].find((u) => u.enabled && !u.guest)!;
  emu.state.updateUser(user.id, { jobTitle: 'Never Seen' });
  emu.faults.update({ throttle: { enabled: true, budget: 1 } });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/userRateLimitExceeded/);
  expect(storePicture(await h.state())).toEqual(before);
});

test('503s and connection resets are retried', async () => {
  h = await harness(emu);
  emu.faults.update({ serverErrorRate: 0.15, resetRate: 0.05 });
  const run = await h.full();
  expect(run.error).toBeNull();
  await expectStoreEqualsTenant(h, emu);
});

test('tokens revoked mid-run (401): a new JWT client gets a new token and the run succeeds', async () => {
  h = await harness(emu);
  const issued = emu.stats.tokensIssued;
  const stop = whenRequests(10, () => emu.faults.update({ revokeTokensBefore: Date.now() + 1 }));
  const run = await h.full();
  stop();
  expect(run.error).toBeNull();
  expect(emu.stats.tokensIssued).toBeGreaterThanOrEqual(issued + 2);
  await expectStoreEqualsTenant(h, emu);
});

test('a failure mid-run (delegation withdrawn, token revoked) fails the run; the previous state stays', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  const before = storePicture(await h.state());
  const group = [...emu.state.groups.values()].find((g) => g.userIds.size > 3)!;
  emu.state.removeMember(group.id, [...group.userIds][0]!);
  const clientId = emu.serviceAccountKey.client_id;
  const stop = whenRequests(5, () => {
    emu.revokeDelegation(clientId);
    emu.faults.update({ revokeTokensBefore: Date.now() + 1 });
  });
  try {
    const run = await h.full();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/unauthorized_client/);
    expect(storePicture(await h.state())).toEqual(before);
  } finally {
    stop();
    emu.grantDelegation(clientId, ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly', 'https://www.googleapis.com/auth/admin.directory.group.member.readonly']);
  }
  // Fixed upstream: the next run catches up.
  emu.faults.reset();
  expect((await h.full()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
});

test('a hanging request times out, is retried, and the run succeeds', async () => {
  h = await harness(emu, { provider: { retry: { requestTimeoutMs: 300, baseDelayMs: 10, maxDelayMs: 50 } } });
  emu.faults.update({ hangPathPattern: '/groups$' });
  // Two group listings left hanging (each timed out and retried), then the emulator answers again.
  const hungBefore = emu.faults.hung;
  const stop = whenCounted(() => emu.faults.hung, 2, () => emu.faults.update({ hangPathPattern: null }));
  try {
    const run = await h.full();
    expect(run.error).toBeNull();
  } finally {
    stop();
  }
  expect(emu.faults.hung - hungBefore).toBeGreaterThanOrEqual(2);
  await expectStoreEqualsTenant(h, emu);
});

describe('pace', () => {
  function fakeClock(): PaceClock & { t: number } {
    const clock = {
      t: 0,
      now: () => clock.t,
      sleep: async (ms: number) => {
        clock.t += ms;
      },
    };
    return clock;
  }

  test('after its burst the pace lets exactly queriesPerMinute through per minute', async () => {
    const clock = fakeClock();
    const pace = new Pace(2_400, 10, clock);
    // Burst: 5 s worth (200) at once.
    for (let i = 0; i < 200; i++) {
      await pace.acquire();
      pace.release();
    }
    expect(clock.t).toBe(0);
    for (let i = 0; i < 2_400; i++) {
      await pace.acquire();
      pace.release();
    }
    expect(clock.t).toBeCloseTo(60_000, -1);
  });

  test('a quota refusal halves the rate (once per burst), pauses everyone, and the rate recovers after quiet minutes', async () => {
    const clock = fakeClock();
    const pace = new Pace(2_400, 10, clock);
    const sentAt = await pace.acquire();
    pace.release();
    clock.t += 10;
    pace.throttled(sentAt, 1_000);
    pace.throttled(sentAt, 1_000); // sent before the decrease: no second halving
    expect(pace.queriesPerMinute).toBe(1_200);
    await pace.acquire();
    pace.release();
    expect(clock.t).toBeGreaterThanOrEqual(1_010);
    clock.t += 61_000;
    await pace.acquire();
    pace.release();
    expect(pace.queriesPerMinute).toBe(1_500);
  });

  test('at most maxConcurrency requests in flight', async () => {
    const pace = new Pace(1_000_000, 3);
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await pace.acquire();
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        pace.release();
      }),
    );
    expect(peak).toBe(3);
  });

  test("backoff follows Google's guidance: 1 s, 2 s, 4 s … plus up to 1 s of jitter, capped at 32 s", () => {
    expect(backoffMs(DEFAULT_RETRY_POLICY, 1, () => 0)).toBe(1_000);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 3, () => 0.5)).toBe(4_500);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 10, () => 0.5)).toBe(32_000);
  });
});

