import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { expectStoreEqualsTenant, harness, startEmulator, storePicture, type Harness } from './helpers';

/**
 * Throttling, expired tokens and failures, through the real engine. A run either completes and
 * equals the tenant, or fails and leaves the store exactly as it was.
 */
let emu: RunningEntraEmulator;
let h: Harness | undefined;
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await emu.close();
});

/** Resolves once the emulator has served `n` more Graph requests than when called. */
async function afterRequests(n: number): Promise<void> {
  const start = emu.stats().graphRequests;
  while (emu.stats().graphRequests < start + n) await new Promise((resolve) => setTimeout(resolve, 2));
}

test.each([
  // 300 users and 40 groups cost ~114 RU in pages mode: a budget of 70 (7 RU/s) leaves ~44 RU of
  // member reads to be refused unless the member reads stretch over 6 s (a loaded CI machine stretched 14 RU of margin).
  ['per-group member pages', 'pages', undefined, 70],
  ['filtered group delta rounds', 'delta', { seed: 'entra-connector-many-groups', users: 300, groups: 1_200, domain: 'contoso.test' }, 20],
] as const)('$batch items answered 429 are re-submitted after their Retry-After, alone; nothing is lost (%s)', async (_name, memberReads, tenant, budget) => {
  if (tenant) {
    await emu.close();
    emu = await startEmulator({ tenant });
  }
  // Graph's bucket is far smaller than the client's: member batches of 20 overflow it item by item.
  emu.faults.update({ throttle: { enabled: true, budget } });
  h = await harness(emu, { entra: { resourceUnitBudget: 75_000 }, provider: { memberReads } });
  const run = await h.full();
  expect(run.error).toBeNull();
  expect(run.status).toBe('succeeded');
  expect(h.provider.usage.batchItemsThrottled).toBeGreaterThan(0);
  emu.faults.update({ throttle: { enabled: false, budget: null } });
  await expectStoreEqualsTenant(h, emu);
}, 60_000);

test('a throttling storm (small Graph budget, default client budget) slows the sync down but does not fail it', async () => {
  emu.faults.update({ throttle: { enabled: true, budget: 80 } });
  h = await harness(emu, { provider: { memberReads: 'pages' } });
  const run = await h.full();
  expect(run.error).toBeNull();
  expect(run.status).toBe('succeeded');
  expect(h.provider.usage.throttled + h.provider.usage.batchItemsThrottled).toBeGreaterThan(0);
  emu.state.updateUser([...emu.state.users.keys()][0]!, { jobTitle: 'Storm Survivor' });
  const incremental = await h.incremental();
  expect(incremental.status).toBe('succeeded');
  emu.faults.update({ throttle: { enabled: false, budget: null } });
  await expectStoreEqualsTenant(h, emu);
}, 60_000);

test('tokens revoked mid-run (401 expired) are replaced by a fresh one; the run completes', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  emu.state.updateUser([...emu.state.users.keys()][1]!, { displayName: 'After Revocation' });
  emu.faults.update({ latencyMs: 15 });
  const run = h.full();
  await afterRequests(3);
  emu.faults.update({ revokeTokensBefore: Date.now() });
  const done = await run;
  expect(done.error).toBeNull();
  expect(done.status).toBe('succeeded');
  expect(emu.stats().byStatus[401]).toBeGreaterThan(0);
  // Between runs too: the cached token is refused, a new one is fetched.
  emu.faults.update({ latencyMs: 0, revokeTokensBefore: Date.now() });
  expect((await h.incremental()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
});

test('Graph failing mid-run (503 on every request once the users are listed) → run failed, store unchanged', async () => {
  h = await harness(emu, { provider: { retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 } } });
  expect((await h.full()).status).toBe('succeeded');
  const before = storePicture(await h.state());
  const version = await h.store.dataVersion(h.directoryId);
  for (const id of [...emu.state.users.keys()].slice(0, 5)) emu.state.updateUser(id, { department: 'Never Seen' });
  emu.faults.update({ latencyMs: 10 });
  const run = h.full();
  await afterRequests(3); // deltaStart (users and groups) and the one page of users
  emu.faults.update({ serverErrorRate: 1 });
  const failed = await run;
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatch(/503/);
  expect(await h.store.dataVersion(h.directoryId)).toBe(version);
  expect(storePicture(await h.state())).toEqual(before);
  // When Graph is back, the next run completes.
  emu.faults.update({ serverErrorRate: 0, latencyMs: 0 });
  expect((await h.full()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
}, 30_000);

test('a request that never gets an answer times out; after bounded retries the run fails and the store is unchanged', async () => {
  h = await harness(emu, { provider: { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, requestTimeoutMs: 300 } } });
  expect((await h.full()).status).toBe('succeeded');
  const before = storePicture(await h.state());
  emu.state.deleteUser([...emu.state.users.keys()][2]!);
  emu.faults.update({ hangPathPattern: '\\$batch' });
  const started = Date.now();
  const failed = await h.full();
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatch(/no answer within 300 ms/);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(storePicture(await h.state())).toEqual(before);
  emu.faults.update({ hangPathPattern: null });
  expect((await h.full()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
});

test('an incremental run that fails leaves the store as it was; the next one falls back to a full run', async () => {
  h = await harness(emu, { provider: { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } } });
  await h.full();
  const before = storePicture(await h.state());
  emu.state.updateUser([...emu.state.users.keys()][3]!, { displayName: 'Pending Change' });
  emu.faults.update({ serverErrorRate: 1 });
  const failed = await h.incremental();
  expect(failed.status).toBe('failed');
  expect(storePicture(await h.state())).toEqual(before);
  emu.faults.update({ serverErrorRate: 0 });
  const next = await h.incremental();
  expect(next.status).toBe('succeeded');
  expect(next.mode).toBe('full');
  await expectStoreEqualsTenant(h, emu);
});
