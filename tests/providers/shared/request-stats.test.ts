import { RatePacer } from '../../../src/providers/okta/pacing';
import type { Clock } from '../../../src/providers/shared/clock';
import { RequestStats } from '../../../src/providers/shared/request-stats';
import { retrying, type Attempt, type RetryPolicy } from '../../../src/providers/shared/retry';
import { AdaptiveTokenBucket } from '../../../src/providers/shared/token-bucket';

/**
 * The counters every connector's `stats()` reads, and the two shared places that fill them: the
 * retry loop (retries, throttled answers, the pause after throttling) and the pacers (the time
 * they hold callers back). Each event is counted exactly once.
 */
const policy: RetryPolicy = {
  maxAttempts: 3,
  maxThrottleRetries: 2,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  requestTimeoutMs: 1_000,
};

function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 1_000_000,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

const giveUp = (tries: number) => `gave up after ${tries}`;

/** Runs the retry loop over these outcomes with `throttled` pauses of n × 1 000 ms and transient ones of 7 ms. */
async function run(outcomes: Attempt<string>[], stats: RequestStats): Promise<string> {
  return retrying(
    policy,
    { throttled: (n) => n * 1_000, transient: () => 7, sleep: async () => undefined },
    async () => outcomes.shift()!,
    stats,
  );
}

test('a snapshot copies the counters out, the wait in seconds; later counting does not change it', () => {
  const stats = new RequestStats();
  expect(stats.snapshot()).toEqual({ requests: 0, retries: 0, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });
  stats.requests += 3;
  stats.retries++;
  stats.throttled++;
  stats.errors++;
  stats.rateLimitWaitMs += 1_500;
  const snapshot = stats.snapshot();
  expect(snapshot).toEqual({ requests: 3, retries: 1, throttled: 1, errors: 1, rateLimitWaitSeconds: 1.5 });
  stats.requests++;
  expect(snapshot.requests).toBe(3);
});

test('the retry loop counts each retry and each throttling answer, and the pauses after throttling as rate-limit wait', async () => {
  const stats = new RequestStats();
  await expect(
    run(
      [
        { kind: 'throttled', giveUp },
        { kind: 'transient', giveUp },
        { kind: 'unauthenticated', giveUp },
        { kind: 'throttled', giveUp },
        { kind: 'done', value: 'ok' },
      ],
      stats,
    ),
  ).resolves.toBe('ok');
  // Pauses: throttled 1 000 ms, transient 7 ms (backoff, not rate-limit wait), throttled 2 000 ms.
  expect(stats.snapshot()).toEqual({ requests: 0, retries: 4, throttled: 2, errors: 0, rateLimitWaitSeconds: 3 });
});

test('a throttling answer given up on counts as throttled but not as a retry; the loop leaves requests and errors to the caller', async () => {
  const stats = new RequestStats();
  await expect(
    run(
      [
        { kind: 'throttled', giveUp },
        { kind: 'throttled', giveUp },
        { kind: 'throttled', giveUp },
      ],
      stats,
    ),
  ).resolves.toBe('gave up after 1');
  expect(stats.snapshot()).toEqual({ requests: 0, retries: 2, throttled: 3, errors: 0, rateLimitWaitSeconds: 3 });

  const transient = new RequestStats();
  await expect(
    run(
      [
        { kind: 'transient', giveUp },
        { kind: 'transient', giveUp },
        { kind: 'transient', giveUp },
      ],
      transient,
    ),
  ).resolves.toBe('gave up after 3');
  expect(transient.snapshot()).toEqual({ requests: 0, retries: 2, throttled: 0, errors: 0, rateLimitWaitSeconds: 0 });

  const failed = new RequestStats();
  await expect(run([{ kind: 'failed', error: new Error('fatal') }], failed)).rejects.toThrow('fatal');
  expect(failed.snapshot()).toEqual(new RequestStats().snapshot());
});

test('a refused token renewed once is one retry; without stats the loop counts nothing and still works', async () => {
  const stats = new RequestStats();
  await expect(
    run(
      [
        { kind: 'unauthenticated', giveUp },
        { kind: 'unauthenticated', giveUp },
      ],
      stats,
    ),
  ).resolves.toBe('gave up after 1');
  expect(stats.retries).toBe(1);
  await expect(
    retrying(policy, { throttled: () => 0, transient: () => 0, sleep: async () => undefined }, async () => ({
      kind: 'done' as const,
      value: 'uncounted',
    })),
  ).resolves.toBe('uncounted');
});

test('the token bucket adds exactly the time it held a caller back: nothing within the burst, the debt and a pause beyond it', async () => {
  const clock = fakeClock();
  const stats = new RequestStats();
  // 1 token per ms, 10 tokens of burst.
  const bucket = new AdaptiveTokenBucket(
    { fullRate: 1, capacity: 10, minRate: 0.1, recoveryWindowMs: 1_000, recovery: 'continuous' },
    clock,
    stats,
  );
  await bucket.acquire(10);
  expect(stats.rateLimitWaitMs).toBe(0);
  await bucket.acquire(5); // 5 tokens of debt at 1 per ms
  expect(stats.rateLimitWaitMs).toBe(5);
  bucket.throttled(200, 1, clock.now()); // everyone waits 200 ms (rate unchanged)
  await bucket.acquire(1);
  expect(stats.rateLimitWaitMs).toBe(205);
  expect(stats.snapshot().rateLimitWaitSeconds).toBeCloseTo(0.205, 10);
});

test("Okta's pacer resolves with the ms it held the caller: 0 when free, until Reset + 1 s after a 429", async () => {
  const clock = fakeClock();
  const pacer = new RatePacer(0.5, clock);
  expect(await pacer.acquire('users')).toBe(0);
  pacer.settle('users', 429, { limit: 100, remaining: 0, reset: (clock.t + 2_000) / 1000, date: clock.t }, clock.t);
  // Closed until the Reset (2 s on) plus Okta's 1 s margin.
  expect(await pacer.acquire('users')).toBe(3_000);
  pacer.settle('users', 200, null, clock.t);
});
