import { Registry } from 'prom-client';
import { EngineMetrics, type EngineMetricSources } from '../../src/metrics/engine-metrics';
import type { OperationalSummary, SyncRun } from '../../src/store/sync-records';
import { parseExposition } from './parse';

/**
 * EngineMetrics over sources the test controls, to count the store reads a scrape makes: the
 * operational summary is read once per scrape however many gauges use it, and afresh by the next
 * scrape, however soon (a scrape right after a run must see the run), and store counts are
 * recounted only when the directory's data version moved.
 */
describe('EngineMetrics store reads', () => {
  let latestStatus: SyncRun['status'] = 'succeeded';
  let version = 1;
  const reads = { summary: 0, counts: 0 };
  const sources: EngineMetricSources = {
    store: {
      listDirectories: async () => [{ id: 7, name: 'corp', provider: 'okta', position: 0 }],
      operationalSummary: async (): Promise<OperationalSummary> => {
        reads.summary++;
        return { directories: [{ directoryId: 7, lastSuccessAt: new Date(), latestStatus }], eventLogLength: 3 };
      },
      dataVersion: async () => version,
      directoryCounts: async () => {
        reads.counts++;
        return { users: 10 + version, activeUsers: 9, groups: 2, memberships: 30 };
      },
    },
    running: () => [],
    health: () => ({ openFailure: null, access: null }),
    alerts: async (summary) =>
      new Map([
        [
          'corp',
          summary.directories[0]!.latestStatus === 'awaiting-approval'
            ? [{ code: 'AWAITING_APPROVAL' as const, message: 'waits' }]
            : [],
        ],
      ]),
    databaseFiles: [],
  };
  const registry = new Registry();
  const metrics = new EngineMetrics(registry, sources);
  /** Each scrape is an HTTP request of its own: it starts in a turn of the event loop of its own. */
  const scrape = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return parseExposition(await registry.metrics());
  };

  test('one summary read per scrape; the next scrape, at once, reads again and sees the held plan', async () => {
    const first = await scrape();
    expect(reads.summary).toBe(1);
    expect(first.value('crowdgate_store_event_log_entries')).toBe(3);
    expect(first.value('crowdgate_sync_runs_awaiting_approval', { directory: 'corp' })).toBe(0);

    latestStatus = 'awaiting-approval';
    metrics.runEnded({ directory: 'corp', mode: 'full', status: 'awaiting-approval', seconds: 0.5 });
    const second = await scrape();
    expect(reads.summary).toBe(2);
    expect(second.value('crowdgate_sync_runs_awaiting_approval', { directory: 'corp' })).toBe(1);
    expect(second.value('crowdgate_directory_alerts', { directory: 'corp', alert: 'AWAITING_APPROVAL' })).toBe(1);
    expect(
      second.value('crowdgate_sync_runs_total', { directory: 'corp', mode: 'full', outcome: 'awaiting-approval' }),
    ).toBe(1);
  });

  test('store counts are recounted only when the data version moved', async () => {
    const before = reads.counts;
    expect((await scrape()).value('crowdgate_store_objects', { directory: 'corp', object: 'users' })).toBe(11);
    expect((await scrape()).value('crowdgate_store_objects', { directory: 'corp', object: 'users' })).toBe(11);
    expect(reads.counts).toBe(before);
    version = 2;
    expect((await scrape()).value('crowdgate_store_objects', { directory: 'corp', object: 'users' })).toBe(12);
    expect(reads.counts).toBe(before + 1);
  });
});
