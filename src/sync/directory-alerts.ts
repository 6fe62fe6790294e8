import type { SyncSettings } from '../config/sync-schema';
import type { Store } from '../store/store';
import type { OperationalSummary, SyncRun } from '../store/sync-records';
import type { DirectoryHealth } from './control';
import type { RunReport } from './engine';

/**
 * What needs an operator's attention about one directory: the one list behind the administration
 * API's `Directory.warnings`, the `crowdgate_directory_alerts` metric and the log lines written
 * at start and daily, so that the three always agree.
 */
export type AlertCode =
  | 'PROVIDER_NOT_OPEN'
  | 'LAST_RUN_FAILED'
  | 'AWAITING_APPROVAL'
  | 'SYNC_STALE'
  | 'THROTTLED_REPEATEDLY'
  | 'CREDENTIAL_EXPIRING'
  | 'CONNECTION_TEST_FAILING'
  | 'CONNECTION_TEST_WARNS';

export interface DirectoryAlert {
  readonly code: AlertCode;
  /** For an administrator: what is wrong and what to do; never a secret. */
  readonly message: string;
}

/** The last successful run is stale once it is older than this many of the schedule's shortest interval. */
export const STALE_AFTER_INTERVALS = 3;
/** Throttling is "repeated" when at least this many of the last RECENT_RUNS finished runs were throttled. */
export const THROTTLED_RUNS_FOR_ALERT = 2;
/** How many recent runs the alerts read (newest first). */
export const RECENT_RUNS = 5;
/** A credential expiring within this many days is an alert (Entra's own portal warns 30 days ahead). */
export const CREDENTIAL_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

export interface AlertInputs {
  readonly schedule: SyncSettings['schedule'];
  /** The newest runs first, at least RECENT_RUNS when there are that many. */
  readonly recentRuns: readonly SyncRun[];
  /** When the newest successful run finished (it may be older than `recentRuns`). */
  readonly lastSuccessAt: Date | null;
  readonly health: DirectoryHealth;
  readonly now: Date;
}

/** The alerts of one enabled directory, most urgent first. */
export function directoryAlerts(inputs: AlertInputs): DirectoryAlert[] {
  const { recentRuns, health, now } = inputs;
  const alerts: DirectoryAlert[] = [];
  if (health.openFailure)
    alerts.push({ code: 'PROVIDER_NOT_OPEN', message: `The provider could not be opened: ${health.openFailure}` });
  const last = recentRuns[0];
  if (last?.status === 'failed')
    alerts.push({
      code: 'LAST_RUN_FAILED',
      message: `The last run (${last.id}) failed: ${last.error ?? 'unknown error'}`,
    });
  if (last?.status === 'awaiting-approval')
    alerts.push({ code: 'AWAITING_APPROVAL', message: `Run ${last.id} waits for an administrator's approval` });
  const stale = staleness(inputs);
  if (stale) alerts.push({ code: 'SYNC_STALE', message: stale });
  const finished = recentRuns.filter((run) => run.status !== 'running').slice(0, RECENT_RUNS);
  const throttledRuns = finished.filter((run) => ((run.report as RunReport | null)?.throttled ?? 0) > 0);
  if (throttledRuns.length >= THROTTLED_RUNS_FOR_ALERT) {
    const refused = throttledRuns.reduce((sum, run) => sum + ((run.report as RunReport).throttled ?? 0), 0);
    alerts.push({
      code: 'THROTTLED_REPEATEDLY',
      message: `${throttledRuns.length} of the last ${finished.length} runs were throttled: the provider refused ${refused} requests for its rate limits (crowdgate waited and retried; nothing was lost). Lower crowdgate's pace or find what else spends the quota.`,
    });
  }
  for (const finding of health.access?.report.findings ?? []) {
    const when = health.access!.at.toISOString();
    const expiring =
      finding.code === 'SECRET_EXPIRY' &&
      finding.expiresAt !== undefined &&
      finding.expiresAt.getTime() - now.getTime() < CREDENTIAL_WARNING_DAYS * DAY_MS;
    if (finding.severity === 'INFO' && !expiring) continue;
    alerts.push({
      code: expiring
        ? 'CREDENTIAL_EXPIRING'
        : finding.severity === 'ERROR'
          ? 'CONNECTION_TEST_FAILING'
          : 'CONNECTION_TEST_WARNS',
      message: `Connection test (${when}) ${finding.severity === 'ERROR' ? 'failing' : 'warns'}: ${finding.message}${finding.fix ? ` — ${finding.fix}` : ''}`,
    });
  }
  return alerts;
}

/** Why the directory's data is stale, or undefined: no successful run for STALE_AFTER_INTERVALS intervals. */
function staleness({ schedule, recentRuns, lastSuccessAt, now }: AlertInputs): string | undefined {
  const intervals = [schedule.fullMinutes * 60_000, schedule.incrementalSeconds * 1000].filter((ms) => ms > 0);
  if (intervals.length === 0) return undefined; // no schedule: runs happen when someone asks
  const allowedMs = STALE_AFTER_INTERVALS * Math.min(...intervals);
  // Never succeeded: stale once the first run is that old (a new directory is not stale at once).
  const since = lastSuccessAt ?? recentRuns.at(-1)?.startedAt;
  if (!since || now.getTime() - since.getTime() <= allowedMs) return undefined;
  const age = describeAge(now.getTime() - since.getTime());
  return lastSuccessAt
    ? `The last successful run finished ${age} ago, more than ${STALE_AFTER_INTERVALS}× the schedule's interval: Jira sees data that old`
    : `No run has succeeded in ${age}, more than ${STALE_AFTER_INTERVALS}× the schedule's interval`;
}

function describeAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

/**
 * Reads what `directoryAlerts` needs from the store: the directory's recent runs and, when none of
 * them succeeded, the newest successful run (from `summary`, read here when not given).
 */
export async function readDirectoryAlerts(
  store: Pick<Store, 'listRuns' | 'operationalSummary'>,
  directoryId: number,
  schedule: SyncSettings['schedule'],
  health: DirectoryHealth,
  now: Date = new Date(),
  summary?: OperationalSummary,
): Promise<DirectoryAlert[]> {
  const recentRuns = await store.listRuns({ directoryId, limit: RECENT_RUNS });
  const succeeded = recentRuns.find((run) => run.status === 'succeeded');
  const lastSuccessAt = succeeded
    ? succeeded.finishedAt
    : ((summary ?? (await store.operationalSummary())).directories.find((d) => d.directoryId === directoryId)
        ?.lastSuccessAt ?? null);
  return directoryAlerts({ schedule, recentRuns, lastSuccessAt, health, now });
}
