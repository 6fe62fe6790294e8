import { connectorTest, storePicture } from '../connector-harness';
import { entra, startEmulator } from './subject';

/**
 * Throttling, expired tokens, timeouts and failed incremental runs, through the real engine. A run
 * either completes and equals the tenant, or fails and leaves the store exactly as it was.
 */
const t = connectorTest(entra, { perTest: true });

test.each([
  // 300 users and 40 groups cost ~114 RU in pages mode: a budget of 70 (7 RU/s) leaves ~44 RU of
  // member reads to be refused unless the member reads stretch over 6 s (a loaded CI machine stretched 14 RU of margin).
  ['per-group member pages', 'pages', undefined, 70],
  [
    'filtered group delta rounds',
    'delta',
    { seed: 'entra-connector-many-groups', users: 300, groups: 1_200, domain: 'contoso.test' },
    20,
  ],
] as const)(
  '$batch items answered 429 are re-submitted after their Retry-After, alone; nothing is lost (%s)',
  async (_name, memberReads, tenant, budget) => {
    if (tenant) await t.restart(() => startEmulator({ tenant }));
    // Graph's bucket is far smaller than the client's: member batches of 20 overflow it item by item.
    t.emu.faults.update({ throttle: { enabled: true, budget } });
    const h = await t.harness({ settings: { resourceUnitBudget: 75_000 }, provider: { memberReads } });
    const run = await h.full();
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(h.provider.usage.batchItemsThrottled).toBeGreaterThan(0);
    t.emu.faults.update({ throttle: { enabled: false, budget: null } });
    await t.expectStoreEqualsTenant(h);
  },
  60_000,
);

test('a throttling storm (small Graph budget, default client budget) slows the sync down but does not fail it', async () => {
  t.emu.faults.update({ throttle: { enabled: true, budget: 80 } });
  const h = await t.harness({ provider: { memberReads: 'pages' } });
  const run = await h.full();
  expect(run.error).toBeNull();
  expect(run.status).toBe('succeeded');
  expect(h.provider.usage.throttled + h.provider.usage.batchItemsThrottled).toBeGreaterThan(0);
  expect(h.provider.throttledAnswers()).toBe(h.provider.usage.throttled + h.provider.usage.batchItemsThrottled);
  t.emu.state.updateUser([...t.emu.state.users.keys()][0]!, { jobTitle: 'Storm Survivor' });
  const incremental = await h.incremental();
  expect(incremental.status).toBe('succeeded');
  t.emu.faults.update({ throttle: { enabled: false, budget: null } });
  await t.expectStoreEqualsTenant(h);
}, 60_000);

test('tokens revoked mid-run (401 expired) are replaced by a fresh one; the run completes', async () => {
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  t.emu.state.updateUser([...t.emu.state.users.keys()][1]!, { displayName: 'After Revocation' });
  t.emu.faults.update({ latencyMs: 15 });
  const run = h.full();
  await t.afterRequests(3);
  t.emu.faults.update({ revokeTokensBefore: Date.now() });
  const done = await run;
  expect(done.error).toBeNull();
  expect(done.status).toBe('succeeded');
  expect(t.emu.stats().byStatus[401]).toBeGreaterThan(0);
  // Between runs too: the cached token is refused, a new one is fetched.
  t.emu.faults.update({ latencyMs: 0, revokeTokensBefore: Date.now() });
  expect((await h.incremental()).status).toBe('succeeded');
  await t.expectStoreEqualsTenant(h);
});

test('a request that never gets an answer times out; after bounded retries the run fails and the store is unchanged', async () => {
  const h = await t.harness({
    provider: { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, requestTimeoutMs: 300 } },
  });
  expect((await h.full()).status).toBe('succeeded');
  const before = storePicture(await h.state());
  t.emu.state.deleteUser([...t.emu.state.users.keys()][2]!);
  t.emu.faults.update({ hangPathPattern: '\\$batch' });
  const started = Date.now();
  const failed = await h.full();
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatch(/no answer within 300 ms/);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(storePicture(await h.state())).toEqual(before);
  t.emu.faults.update({ hangPathPattern: null });
  expect((await h.full()).status).toBe('succeeded');
  await t.expectStoreEqualsTenant(h);
});

test('an incremental run that fails leaves the store as it was; the next one falls back to a full run', async () => {
  const h = await t.harness({ provider: { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } } });
  await h.full();
  const before = storePicture(await h.state());
  t.emu.state.updateUser([...t.emu.state.users.keys()][3]!, { displayName: 'Pending Change' });
  t.emu.faults.update({ serverErrorRate: 1 });
  const failed = await h.incremental();
  expect(failed.status).toBe('failed');
  expect(storePicture(await h.state())).toEqual(before);
  t.emu.faults.update({ serverErrorRate: 0 });
  const next = await h.incremental();
  expect(next.status).toBe('succeeded');
  expect(next.mode).toBe('full');
  await t.expectStoreEqualsTenant(h);
});
