/** Records the sync engine keeps in the store beside the directory data. */

export type RunMode = 'full' | 'incremental';
/** `configuration`: the first run of a directory made, changed or enabled at runtime. */
export type RunTrigger = 'schedule' | 'manual' | 'startup' | 'approval' | 'configuration';
type RunStatus = 'running' | 'succeeded' | 'failed' | 'awaiting-approval' | 'dropped' | 'dry-run';

export interface SyncRun {
  readonly id: number;
  readonly directoryId: number;
  readonly mode: RunMode;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** Plan counts (see src/sync/plan.ts PlanCounts), as JSON-compatible numbers. */
  readonly counts: Readonly<Record<string, number>>;
  readonly error: string | null;
  /** JSON document: plan details, collisions, fallback reasons. */
  readonly report: unknown;
}

export type NewSyncRun = Pick<SyncRun, 'directoryId' | 'mode' | 'trigger'>;
export type SyncRunUpdate = Partial<Pick<SyncRun, 'mode' | 'status' | 'finishedAt' | 'counts' | 'error' | 'report'>>;

/** Result of reading the event log from a token. */
export type EventsSince =
  | {
      readonly kind: 'events';
      readonly events: ReadonlyArray<import('../domain/events').LoggedEvent>;
      readonly token: string;
    }
  /** The token is from another store instance, older than the retained window, or malformed. */
  | { readonly kind: 'expired' };

/** Per directory: when its last successful run finished, and the status of its newest run. */
export interface DirectoryRunSummary {
  readonly directoryId: number;
  /** End of the newest run with status `succeeded` (an approved run counts when it was applied); null: never. */
  readonly lastSuccessAt: Date | null;
  /** The newest run's status (`awaiting-approval`: a plan waits for an administrator); null: no run yet. */
  readonly latestStatus: SyncRun['status'] | null;
}

export interface OperationalSummary {
  readonly directories: readonly DirectoryRunSummary[];
  /** Entries in the Crowd event log (bounded by the retention window). */
  readonly eventLogLength: number;
}
