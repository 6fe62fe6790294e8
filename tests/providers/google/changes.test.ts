import { SyncScheduler } from '../../../src/sync/scheduler';
import { connectorTest } from '../connector-harness';
import { google } from './subject';

/**
 * Google has no change feed: an incremental request runs as a full listing, diffed by the engine,
 * which writes only what changed (the conformance suite's round trip checks the changes arrive).
 */
const t = connectorTest(google, { perTest: true });

test('an unchanged tenant: the next run writes nothing and emits no events', async () => {
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  const token = await h.store.currentEventToken();
  const run = await h.incremental();
  expect(run.status).toBe('succeeded');
  expect(Object.values(run.counts).every((n) => n === 0)).toBe(true);
  expect(await h.store.eventsSince(token, [h.directoryId])).toMatchObject({ kind: 'events', events: [] });
});

test('the CUSTOMER member removed and added again: "All Staff" shrinks to its explicit members and grows back', async () => {
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  t.emu.setCustomerMember(t.emu.customerMemberGroupId!, false);
  expect((await h.full()).status).toBe('succeeded');
  await t.expectStoreEqualsTenant(h);
  t.emu.setCustomerMember(t.emu.customerMemberGroupId!, true);
  expect((await h.full()).status).toBe('succeeded');
  await t.expectStoreEqualsTenant(h);
});

test('the scheduler runs no incremental syncs for Google (only the full schedule)', () => {
  const started: string[] = [];
  const fakeEngine = {
    directories: () => [
      {
        directory: { name: 'corp' },
        provider: { kind: 'google', users() {}, groups() {}, members() {}, checkAccess() {} },
        settings: { schedule: { fullMinutes: 15, incrementalSeconds: 60 } },
      },
    ],
    sync: (_name: string, request: { mode: string }) => started.push(request.mode),
  };
  jest.useFakeTimers();
  try {
    const scheduler = new SyncScheduler(fakeEngine as never);
    scheduler.start();
    jest.advanceTimersByTime(15 * 60_000);
    scheduler.stop();
  } finally {
    jest.useRealTimers();
  }
  expect(started).toEqual(['full']);
});
