import type { AccessFinding } from '../../src/providers/provider';
import type { SyncRun } from '../../src/store/sync-records';
import { directoryAlerts, type AlertInputs } from '../../src/sync/directory-alerts';

const NOW = new Date('2026-12-06T12:00:00Z');
const MINUTE = 60_000;
const schedule = { fullMinutes: 15, incrementalSeconds: 0 };
let nextId = 1;

function run(minutesAgo: number, status: SyncRun['status'], extra: Partial<SyncRun> = {}): SyncRun {
  const startedAt = new Date(NOW.getTime() - minutesAgo * MINUTE);
  return {
    id: nextId++,
    directoryId: 1,
    mode: 'full',
    trigger: 'schedule',
    status,
    startedAt,
    finishedAt: status === 'running' ? null : new Date(startedAt.getTime() + 1000),
    counts: {},
    error: status === 'failed' ? 'provider said no' : null,
    report: null,
    ...extra,
  } as SyncRun;
}

function alerts(inputs: Partial<AlertInputs>) {
  const recentRuns = inputs.recentRuns ?? [];
  const lastSuccessAt =
    inputs.lastSuccessAt !== undefined
      ? inputs.lastSuccessAt
      : (recentRuns.find((r) => r.status === 'succeeded')?.finishedAt ?? null);
  return directoryAlerts({
    schedule,
    health: { openFailure: null, access: null },
    now: NOW,
    ...inputs,
    recentRuns,
    lastSuccessAt,
  }).map((a) => a.code);
}

const finding = (f: Partial<AccessFinding>): AccessFinding =>
  ({ code: 'PERMISSION_MISSING', severity: 'ERROR', message: 'm', fix: '', ...f }) as AccessFinding;

describe('directory alerts', () => {
  test('a healthy directory has none', () => {
    expect(alerts({ recentRuns: [run(5, 'succeeded'), run(20, 'succeeded')] })).toEqual([]);
  });

  test('a failed last run and a plan waiting for approval', () => {
    expect(alerts({ recentRuns: [run(5, 'failed'), run(20, 'succeeded')] })).toEqual(['LAST_RUN_FAILED']);
    expect(alerts({ recentRuns: [run(5, 'awaiting-approval'), run(20, 'succeeded')] })).toEqual(['AWAITING_APPROVAL']);
  });

  test('stale: no success for more than 3× the shortest schedule interval; a new directory is not stale at once', () => {
    expect(alerts({ recentRuns: [run(40, 'succeeded')] })).toEqual([]); // 40 min < 45
    expect(alerts({ recentRuns: [run(10, 'failed'), run(50, 'succeeded')] })).toEqual([
      'LAST_RUN_FAILED',
      'SYNC_STALE',
    ]);
    expect(alerts({ recentRuns: [run(10, 'failed')], lastSuccessAt: null })).toEqual(['LAST_RUN_FAILED']);
    expect(alerts({ recentRuns: [run(10, 'failed'), run(60, 'failed')], lastSuccessAt: null })).toContain('SYNC_STALE');
    // The newest success may be older than the recent runs.
    expect(alerts({ recentRuns: [run(5, 'failed')], lastSuccessAt: new Date(NOW.getTime() - 46 * MINUTE) })).toContain(
      'SYNC_STALE',
    );
    // Without a schedule, runs happen when someone asks: never stale.
    expect(
      alerts({ schedule: { fullMinutes: 0, incrementalSeconds: 0 }, recentRuns: [run(600, 'succeeded')] }),
    ).toEqual([]);
  });

  test('throttling in 2 of the last 5 finished runs, not in one', () => {
    const throttled = (minutesAgo: number) => run(minutesAgo, 'succeeded', { report: { throttled: 7 } });
    expect(alerts({ recentRuns: [throttled(1), run(2, 'succeeded'), run(3, 'succeeded')] })).toEqual([]);
    expect(alerts({ recentRuns: [throttled(1), run(2, 'succeeded'), throttled(3)] })).toEqual(['THROTTLED_REPEATEDLY']);
    const old = [
      run(1, 'succeeded'),
      run(2, 'succeeded'),
      run(3, 'succeeded'),
      run(4, 'succeeded'),
      run(5, 'succeeded'),
    ];
    expect(alerts({ recentRuns: [...old, throttled(6), throttled(7)] })).toEqual([]);
  });

  test('connection test: failing, warning, and a credential expiring within 30 days (whatever the severity says)', () => {
    const health = (findings: AccessFinding[]) => ({
      openFailure: null,
      access: { at: NOW, report: { ok: false, messages: [], findings } },
    });
    const soon = new Date(NOW.getTime() + 29 * 86_400_000);
    const later = new Date(NOW.getTime() + 31 * 86_400_000);
    const recentRuns = [run(5, 'succeeded')];
    expect(alerts({ recentRuns, health: health([finding({})]) })).toEqual(['CONNECTION_TEST_FAILING']);
    expect(alerts({ recentRuns, health: health([finding({ severity: 'WARNING' })]) })).toEqual([
      'CONNECTION_TEST_WARNS',
    ]);
    expect(
      alerts({ recentRuns, health: health([finding({ code: 'SECRET_EXPIRY', severity: 'INFO', expiresAt: soon })]) }),
    ).toEqual(['CREDENTIAL_EXPIRING']);
    expect(
      alerts({ recentRuns, health: health([finding({ code: 'SECRET_EXPIRY', severity: 'INFO', expiresAt: later })]) }),
    ).toEqual([]);
  });

  test('a provider that cannot open comes first', () => {
    expect(alerts({ health: { openFailure: 'bad settings', access: null }, recentRuns: [run(5, 'failed')] })).toEqual([
      'PROVIDER_NOT_OPEN',
      'LAST_RUN_FAILED',
    ]);
  });
});
