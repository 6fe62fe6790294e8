import { SyncScheduler } from '../../src/sync/scheduler';
import { harness, standardUpstream, type Harness } from './harness';

describe('sync scheduler', () => {
  let h: Harness;
  afterEach(() => h.close());

  test('runs each directory on its intervals, incremental as often as configured, without overlaps', async () => {
    h = await harness(standardUpstream(), { schedule: { fullMinutes: 0, incrementalSeconds: 0.05 } });
    const scheduler = new SyncScheduler(h.engine);
    scheduler.start();
    try {
      // Until two scheduled runs have finished (bounded): a loaded CI machine may need longer than
      // the 50 ms interval suggests for the first, full run.
      const deadline = Date.now() + 20_000;
      while (
        (await h.store.listRuns({ directoryId: h.directoryId, limit: 100 })).filter((r) => r.finishedAt).length < 2 &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      scheduler.stop();
    }
    await h.engine.idle(h.directoryId);
    const runs = await h.store.listRuns({ directoryId: h.directoryId, limit: 100 });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => r.trigger === 'schedule' && r.status === 'succeeded')).toBe(true);
    // The first scheduled incremental run had no position yet and ran full; the later ones did not.
    expect(runs[runs.length - 1]!.mode).toBe('full');
    expect(runs[0]!.mode).toBe('incremental');
    const ordered = [...runs].reverse();
    for (let i = 1; i < ordered.length; i++)
      expect(ordered[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(ordered[i - 1]!.finishedAt!.getTime());
    const count = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await h.store.listRuns({ directoryId: h.directoryId, limit: 100 })).toHaveLength(count); // stopped
  });

  test('a directory whose provider has no change feed gets no incremental schedule', async () => {
    h = await harness(standardUpstream(), { schedule: { fullMinutes: 0, incrementalSeconds: 0.05 } });
    const engine = h.engine as unknown as {
      directories(): Array<{ provider: { delta?: unknown; deltaStart?: unknown } }>;
    };
    for (const d of engine.directories()) {
      delete d.provider.delta;
      delete d.provider.deltaStart;
    }
    const scheduler = new SyncScheduler(h.engine);
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    scheduler.stop();
    expect(await h.store.listRuns({ directoryId: h.directoryId, limit: 10 })).toEqual([]);
  });
});
