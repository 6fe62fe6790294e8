import {
  backoffMs,
  parseRetryAfter,
  retrying,
  type Attempt,
  type RetryPolicy,
} from '../../../src/providers/shared/retry';

/** The one retry loop every connector uses: what each kind of answer costs of the policy's budget. */
const policy: RetryPolicy = {
  maxAttempts: 3,
  maxThrottleRetries: 2,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  requestTimeoutMs: 1_000,
};

function run(outcomes: Attempt<string>[]) {
  const pauses: number[] = [];
  let tries = 0;
  const result = retrying(
    policy,
    {
      throttled: (n) => n * 1_000,
      transient: (n, retryAfter) => (retryAfter ?? 0) * 1000 + n,
      sleep: async (ms) => void pauses.push(ms),
    },
    async () => {
      tries++;
      return outcomes.shift()!;
    },
  );
  return { result, pauses, tries: () => tries };
}

const giveUp = (tries: number) => `gave up after ${tries}`;

test('transient failures: maxAttempts tries in all, each pause told its count and the Retry-After', async () => {
  const r = run([
    { kind: 'transient', giveUp },
    { kind: 'transient', retryAfterSeconds: 2, giveUp },
    { kind: 'transient', giveUp },
  ]);
  await expect(r.result).resolves.toBe('gave up after 3');
  expect(r.pauses).toEqual([1, 2_002]);
});

test('throttling answers do not count as tries; at most maxThrottleRetries of them', async () => {
  const r = run([
    { kind: 'throttled', giveUp },
    { kind: 'transient', giveUp },
    { kind: 'throttled', giveUp },
    { kind: 'throttled', giveUp },
  ]);
  await expect(r.result).resolves.toBe('gave up after 2');
  expect(r.pauses).toEqual([1_000, 1, 2_000]);
  expect(r.tries()).toBe(4);
});

test('a refused token is renewed once, without a pause; beforeRetry runs only when another try follows', async () => {
  const renewed: number[] = [];
  const r = run([
    { kind: 'unauthenticated', giveUp, beforeRetry: () => void renewed.push(1) },
    { kind: 'unauthenticated', giveUp, beforeRetry: () => void renewed.push(2) },
  ]);
  await expect(r.result).resolves.toBe('gave up after 1');
  expect(renewed).toEqual([1]);
  expect(r.pauses).toEqual([]);
});

test('done returns, failed throws, and an exception of the attempt itself is not retried', async () => {
  await expect(
    run([
      { kind: 'transient', giveUp },
      { kind: 'done', value: 'ok' },
    ]).result,
  ).resolves.toBe('ok');
  await expect(run([{ kind: 'failed', error: new Error('fatal') }]).result).rejects.toThrow('fatal');
  let calls = 0;
  const thrown = retrying(policy, { throttled: () => 0, transient: () => 0 }, async () => {
    calls++;
    throw new Error('boom');
  });
  await expect(thrown).rejects.toThrow('boom');
  expect(calls).toBe(1);
});

test('equal-jitter backoff doubles up to the cap and yields to a longer Retry-After; Retry-After as seconds or a date', () => {
  expect(backoffMs(policy, 1, null, () => 0)).toBe(50);
  expect(backoffMs(policy, 3, null, () => 1)).toBe(400);
  expect(backoffMs(policy, 10, null, () => 1)).toBe(1_000);
  expect(backoffMs(policy, 1, 3, () => 1)).toBe(3_000);
  expect(parseRetryAfter('7')).toBe(7);
  expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
  expect(parseRetryAfter('soon')).toBeNull();
  expect(parseRetryAfter(null)).toBeNull();
});
