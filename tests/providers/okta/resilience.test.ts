import type { OktaProvider } from '../../../src/providers/okta';
import { connectorTest, FAST_RETRY, type Harness } from '../connector-harness';
import { okta, startEmulator, storePicture } from './subject';

/**
 * Rate-limit storms, transient failures, expiring tokens, through the real engine. A run either
 * completes and equals the org, or fails and leaves the store exactly as it was.
 */
const t = connectorTest(okta, { perTest: true, start: () => startEmulator({ rateLimitWindowSeconds: 1 }) });

const throttled = (x: Harness<OktaProvider>) => x.provider.throttledAnswers();

/** Another integration of the org calling the groups bucket every `everyMs` until `stop()` resolves. */
function otherIntegration(everyMs: number): { stop(): Promise<number> } {
  let running = true;
  let calls = 0;
  const loop = (async () => {
    while (running) {
      await fetch(`${t.emu.orgUrl}/api/v1/groups?limit=1`, {
        headers: { Authorization: `SSWS ${t.emu.apiToken}` },
      }).then((r) => r.arrayBuffer());
      calls++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return calls;
    },
  };
}

test('the pacer keeps a full run at its share of the limits: no 429, and no faster than the share allows', async () => {
  t.emu.faults.update({ throttle: { enabled: true, budget: 40 } });
  const h = await t.harness();
  const started = Date.now();
  const run = await h.full();
  const ms = Date.now() - started;
  expect(run.error).toBeNull();
  await t.expectStoreEqualsTenant(h);
  expect(throttled(h)).toBe(0);
  const groupsCalls = h.provider.usage().get('groups')!.calls;
  // 20 calls per 1 s window for us (half of 40): at least floor(calls / 20) − 1 whole windows.
  expect(ms).toBeGreaterThanOrEqual((Math.floor(groupsCalls / 20) - 1) * 1000);
});

test('a rate-limit storm (another integration shares the bucket, concurrent-request 429s): waits for Reset, nothing lost', async () => {
  await t.restart(() => startEmulator({ rateLimitWindowSeconds: 1, concurrencyLimit: 8 }));
  t.emu.faults.update({ throttle: { enabled: true, budget: 40 }, latencyMs: 15 });
  // Told it may use the whole limit, the connector collides with the other integration's calls.
  const h = await t.harness({ settings: { rateLimitShare: 1 } });
  const other = otherIntegration(50);
  const run = await h.full();
  const others = await other.stop();
  expect(run.error).toBeNull();
  expect(run.status).toBe('succeeded');
  expect(throttled(h)).toBeGreaterThan(0);
  expect(others).toBeGreaterThan(0);
  t.emu.faults.reset();
  await t.expectStoreEqualsTenant(h);
}, 60_000);

test('a storm that never ends fails the run (bounded retries) and leaves the previous state', async () => {
  const h = await t.harness({ provider: { retry: { maxThrottleRetries: 2 } } });
  expect((await h.full()).status).toBe('succeeded');
  const before = storePicture(await h.state());
  t.emu.state.updateUser([...t.emu.state.users.values()][0]!.id, { department: 'Never seen' });
  t.emu.faults.update({ throttle: { enabled: true, budget: 0 } });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/^okta directory corp: GET \/api\/v1\/users answered 429 E0000047/);
  expect(storePicture(await h.state())).toEqual(before);
});

test('503s and dropped connections are retried; the run completes', async () => {
  t.emu.faults.update({ serverErrorRate: 0.15, resetRate: 0.05 });
  const h = await t.harness();
  const run = await h.full();
  expect(run.error).toBeNull();
  t.emu.faults.reset();
  await t.expectStoreEqualsTenant(h);
});

test('a failure mid-run (member reads hang until they time out) leaves the previous state; the next run converges', async () => {
  const h = await t.harness({ provider: { retry: { ...FAST_RETRY, maxAttempts: 2, requestTimeoutMs: 500 } } });
  expect((await h.full()).status).toBe('succeeded');
  const before = storePicture(await h.state());
  for (const u of [...t.emu.state.users.values()].slice(0, 5)) t.emu.state.updateUser(u.id, { department: 'Moved' });
  t.emu.faults.update({ hangPathPattern: '^/api/v1/groups/[^/]+/users' });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(
    /^okta directory corp: no answer from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/groups\/\w+\/users \(timeout\)/,
  );
  expect(storePicture(await h.state())).toEqual(before);
  t.emu.faults.reset();
  const again = await h.incremental();
  expect(again.status).toBe('succeeded');
  await t.expectStoreEqualsTenant(h);
});

test('OAuth access tokens that expire mid-run are renewed by the SDK (401 → new token → retry)', async () => {
  t.emu.faults.update({ tokenLifetimeSeconds: 1, latencyMs: 5 });
  const h = await t.harness({ provider: { auth: 'oauth' } });
  const run = await h.full();
  expect(run.error).toBeNull();
  await t.expectStoreEqualsTenant(h);
  expect(h.provider.usage().get('token')!.calls).toBeGreaterThan(1);
});
