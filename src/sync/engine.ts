import type { Directory } from '../domain/directory';
import { DirectoryError } from '../domain/errors';
import { foldName } from '../domain/names';
import { supportsDelta, type DirectoryProvider } from '../providers/provider';
import type { Logger } from '../logging/logger';
import type { Store } from '../store/store';
import type { RunMode, RunTrigger, SyncRun } from '../store/sync-records';
import type { Collision } from './collisions';
import { derive, type DeriveSettings } from './derive';
import { eventsForPlan, pictureAfter } from './events';
import { UpstreamMirror } from './mirror';
import { pictureFromContents, type DirectoryPicture } from './picture';
import { planChanges, type Plan, type PlanCounts } from './plan';
import { exceedsSafetyThreshold } from './safety';
import { affectedUsers, planForUsers } from './scoped';
import { readMirror, type ReadProgress } from './mirror-reader';

export interface SyncDirectory {
  readonly directory: Directory;
  readonly provider: DirectoryProvider;
  readonly settings: DeriveSettings;
}

export interface SyncRequest {
  /** `incremental` falls back to a full run by itself when it cannot continue. Default full. */
  readonly mode?: RunMode;
  readonly trigger: RunTrigger;
  /** Plan only: report what would change, change nothing. */
  readonly dryRun?: boolean;
}

/** What a running sync is doing, for the CLI's progress bar and GraphQL. */
export interface SyncProgress {
  readonly runId: number;
  readonly directory: string;
  readonly mode: RunMode;
  phase: 'reading' | 'planning' | 'applying';
  readonly read: ReadProgress;
}

/** The report stored with a run: who was affected, collisions, why a run fell back or waits. */
export interface RunReport {
  details?: Plan['details'];
  collisions?: Collision[];
  filteredOut?: number;
  withoutUsername?: number;
  fallback?: string;
  awaitingApproval?: string;
  /** Answers the provider refused for its rate limits during the run (it slowed down; nothing is lost). */
  throttled?: number;
}

/**
 * Told of every run's end (metrics). `counts` only when the run's changes were applied
 * (succeeded, or an approval applied): a held, dry or failed run changes nothing. An approved
 * run ends twice: `awaiting-approval` when it was held, `succeeded` when it was applied.
 */
export interface SyncObserver {
  runEnded(run: {
    readonly directory: string;
    readonly mode: RunMode;
    readonly status: SyncRun['status'];
    readonly seconds: number;
    readonly applied?: PlanCounts;
  }): void;
}

/** A plan over the safety threshold, kept until an administrator approves or drops it. */
interface PendingPlan {
  readonly runId: number;
  readonly plan: Plan;
  readonly after: DirectoryPicture;
  readonly baseline: DirectoryPicture;
  readonly cursor: string | null | undefined;
  readonly mirror: UpstreamMirror;
  readonly report: RunReport;
}

/** What the engine keeps per directory between runs. */
interface DirectoryRunState {
  mirror?: UpstreamMirror;
  /** The store's picture of the directory after our last apply, and the data version it had. */
  baseline?: DirectoryPicture;
  baselineVersion?: number;
  /** The run in progress, then the chain of runs asked for while it ran. */
  tail: Promise<unknown>;
  queued?: { request: SyncRequest; promise: Promise<SyncRun> };
  progress?: SyncProgress;
  pending?: PendingPlan;
}

/** One run in progress: its record's id, its mode (full after a fallback), progress and report. */
interface ActiveRun {
  readonly id: number;
  mode: RunMode;
  readonly progress: SyncProgress;
  readonly report: RunReport;
  readonly started: number;
  /** The provider's throttled answers since the run started (0 when it does not count them). */
  readonly throttledSince: () => number;
}

/** What a run plans from: the mirror, the feed position to save with the apply, the users a change feed touched. */
interface UpstreamRead {
  readonly mirror: UpstreamMirror;
  readonly cursor: string | null | undefined;
  /** Set when only these users can have changed (scoped.ts); absent: derive the whole directory. */
  readonly scope?: Set<string>;
}

/**
 * The sync engine: turns what providers say into the directories Jira sees (README.md#synchronisation;
 * the words are explained in src/sync/README.md).
 *
 * - Full runs read the whole upstream directory into a new mirror; incremental runs apply the
 *   provider's change feed to the mirror and fall back to a full run when the feed says "resync" or
 *   when there is no mirror or cursor yet (e.g. after a restart).
 * - All or nothing: nothing is written until the mirror is complete; the plan, its events and
 *   the new cursor are applied in one transaction.
 * - Runs of one directory never overlap; a request made while one runs joins the next queued run
 *   (a full request upgrades a queued incremental one).
 * - A plan over the safety threshold waits for an administrator (`approve` / `drop`).
 */
export class SyncEngine {
  private readonly states = new Map<number, DirectoryRunState>();
  /** Aborted by `abandonRuns`: reads stop, nothing more is applied. */
  private readonly stopping = new AbortController();
  private readonly byName: Map<string, SyncDirectory>;

  constructor(
    private readonly store: Store,
    directories: readonly SyncDirectory[],
    private readonly logger: Logger,
    private readonly observer?: SyncObserver,
  ) {
    this.byName = new Map(directories.map((d) => [foldName(d.directory.name), d]));
    for (const d of directories) this.states.set(d.directory.id, { tail: Promise.resolve() });
  }

  directories(): SyncDirectory[] {
    return [...this.byName.values()];
  }

  /** Starts serving a directory (a directory made at runtime, or one whose settings changed). */
  addDirectory(directory: SyncDirectory): void {
    this.byName.set(foldName(directory.directory.name), directory);
    if (!this.states.has(directory.directory.id)) this.states.set(directory.directory.id, { tail: Promise.resolve() });
  }

  /**
   * Stops serving a directory: new requests for it fail at once, the run in progress and those
   * queued end first (a pending approval is dropped with its state).
   */
  async removeDirectory(name: string): Promise<void> {
    const target = this.byName.get(foldName(name));
    if (!target) return;
    this.byName.delete(foldName(name));
    await this.idle(target.directory.id);
    this.states.delete(target.directory.id);
  }

  lookup(name: string): SyncDirectory {
    const directory = this.byName.get(foldName(name));
    if (!directory) throw new DirectoryError('DIRECTORY_NOT_FOUND', `Directory ${name} does not exist`);
    return directory;
  }

  /**
   * Stopping (SIGTERM): a run still reading from its provider ends at its next entry and is
   * recorded as failed, with nothing applied; a run already applying finishes (one transaction);
   * queued runs end the same way without reading. Resolves when no run is in progress.
   */
  async abandonRuns(): Promise<void> {
    this.stopping.abort(
      new DirectoryError('PROVIDER_UNAVAILABLE', 'abandoned: crowdgate is stopping; nothing was applied'),
    );
    await Promise.all([...this.states.values()].map((state) => state.tail));
  }

  /** Resolves when the directory has no run in progress or queued. */
  async idle(directoryId: number): Promise<void> {
    await this.states.get(directoryId)?.tail;
  }

  progress(directoryId: number): SyncProgress | undefined {
    return this.states.get(directoryId)?.progress;
  }

  /** Runs (or joins) a sync of one directory; resolves with the run record, failed runs included. */
  sync(name: string, request: SyncRequest): Promise<SyncRun> {
    const target = this.lookup(name);
    const state = this.states.get(target.directory.id)!;
    if (state.queued && !request.dryRun && !state.queued.request.dryRun) {
      if (request.mode !== 'incremental' && state.queued.request.mode === 'incremental') {
        state.queued.request = { ...state.queued.request, mode: 'full' };
      }
      return state.queued.promise;
    }
    const queued: { request: SyncRequest; promise: Promise<SyncRun> } = {
      request,
      promise: Promise.resolve(undefined as never),
    };
    queued.promise = state.tail.then(() => {
      if (state.queued === queued) state.queued = undefined;
      return this.runOnce(target, state, queued.request);
    });
    state.queued = queued;
    state.tail = queued.promise.catch(() => undefined);
    return queued.promise;
  }

  /** Applies a plan that waited for approval, if nothing changed since it was made. */
  async approve(runId: number): Promise<SyncRun> {
    const [target, state] = this.pendingRun(runId);
    const pending = state.pending!;
    const current = await this.store.dataVersion(target.directory.id);
    if (state.baseline !== pending.baseline || state.baselineVersion !== current)
      throw new DirectoryError(
        'CONFLICT',
        `run ${runId} is out of date: the directory changed since it was planned; run a new sync`,
      );
    state.pending = undefined;
    await this.apply(target, state, pending.plan, pending.baseline, pending.after, pending.cursor);
    state.mirror = pending.mirror;
    this.logger.info('approved sync applied', { directory: target.directory.name, runId, ...pending.plan.counts });
    const record = await this.store.updateRun(runId, {
      status: 'succeeded',
      finishedAt: new Date(),
      report: { ...pending.report, awaitingApproval: undefined },
    });
    this.observer?.runEnded({
      directory: target.directory.name,
      mode: record.mode,
      status: 'succeeded',
      seconds: 0,
      applied: pending.plan.counts,
    });
    return record;
  }

  async drop(runId: number): Promise<SyncRun> {
    const [, state] = this.pendingRun(runId);
    state.pending = undefined;
    return this.store.updateRun(runId, { status: 'dropped', finishedAt: new Date() });
  }

  private pendingRun(runId: number): [SyncDirectory, DirectoryRunState] {
    for (const target of this.byName.values()) {
      const state = this.states.get(target.directory.id)!;
      if (state.pending?.runId === runId) return [target, state];
    }
    throw new DirectoryError('INVALID_ARGUMENT', `run ${runId} is not waiting for approval`);
  }

  /** One run, in the steps of README.md#synchronisation: read, plan, check safety, apply, record. */
  private async runOnce(target: SyncDirectory, state: DirectoryRunState, request: SyncRequest): Promise<SyncRun> {
    const run = await this.startRun(target, state, request);
    try {
      const upstream = await this.readUpstream(target, state, run);
      this.stopping.signal.throwIfAborted();
      run.progress.phase = 'planning';
      const baseline = await this.currentBaseline(target.directory.id, state);
      const { plan, after } = this.planRun(target.settings, upstream, baseline, run.report);
      if (request.dryRun) return await this.finish(run, state, 'dry-run', plan);
      const unsafe =
        request.trigger === 'approval'
          ? undefined
          : exceedsSafetyThreshold(plan.counts, baseline.users.size, target.settings.safety);
      if (unsafe) {
        const pending = {
          runId: run.id,
          plan,
          after,
          baseline,
          cursor: upstream.cursor,
          mirror: upstream.mirror,
          report: run.report,
        };
        return await this.holdForApproval(target.directory, state, run, unsafe, pending);
      }
      this.stopping.signal.throwIfAborted();
      run.progress.phase = 'applying';
      await this.apply(target, state, plan, baseline, after, upstream.cursor);
      state.mirror = upstream.mirror;
      state.pending = undefined;
      return await this.finish(run, state, 'succeeded', plan);
    } catch (error) {
      return this.fail(target.directory, state, run, error);
    }
  }

  private async startRun(target: SyncDirectory, state: DirectoryRunState, request: SyncRequest): Promise<ActiveRun> {
    const { directory, provider } = target;
    const mode = request.mode ?? 'full';
    const throttledAtStart = provider.throttledAnswers?.() ?? 0;
    const throttledSince = () => (provider.throttledAnswers?.() ?? 0) - throttledAtStart;
    const { id } = await this.store.createRun({ directoryId: directory.id, mode, trigger: request.trigger });
    const read = { users: 0, groups: 0, groupsWithMembers: 0, memberships: 0 };
    const progress: SyncProgress = { runId: id, directory: directory.name, mode, phase: 'reading', read };
    state.progress = progress;
    return { id, mode, progress, report: {}, started: Date.now(), throttledSince };
  }

  /** The change feed applied to the mirror, or a full read when the feed cannot continue (the run becomes full). */
  private async readUpstream(target: SyncDirectory, state: DirectoryRunState, run: ActiveRun): Promise<UpstreamRead> {
    if (run.mode === 'incremental') {
      const read = await this.readChangeFeed(target, state, run);
      if (read) return read;
      run.mode = 'full';
      await this.store.updateRun(run.id, { mode: run.mode });
    }
    // Let the old mirror go before reading the new one: two copies of a 1M-membership tenant
    // would double the peak. A failed read then just means the next run is full as well.
    state.mirror = undefined;
    const cursor = supportsDelta(target.provider) ? await target.provider.deltaStart() : null;
    return { mirror: await readMirror(target.provider, run.progress.read, this.stopping.signal), cursor };
  }

  /** The provider's changes since the stored cursor, applied to the mirror; undefined, with the reason in the report, when only a full read will do. */
  private async readChangeFeed(
    target: SyncDirectory,
    state: DirectoryRunState,
    run: ActiveRun,
  ): Promise<UpstreamRead | undefined> {
    const { directory, provider, settings } = target;
    if (!supportsDelta(provider)) {
      run.report.fallback = 'the provider has no change feed';
      return undefined;
    }
    const stored = await this.store.getCursor(directory.id);
    if (!state.mirror || stored === null) {
      run.report.fallback = 'no change-feed position yet';
      return undefined;
    }
    const delta = await provider.delta(stored);
    if (delta.kind === 'resync') {
      run.report.fallback = `the provider asked for a full resync: ${delta.reason}`;
      return undefined;
    }
    const mirror = state.mirror;
    const scope = affectedUsers(delta.changes, settings, mirror);
    mirror.apply(delta.changes);
    run.progress.read.users = delta.changes.length;
    return { mirror, cursor: delta.cursor, ...(scope ? { scope } : {}) };
  }

  /**
   * The store's picture of the directory. The cached baseline is trusted only while nobody else
   * (e.g. `crowdgate sync` in another process) has written the directory since.
   */
  private async currentBaseline(directoryId: number, state: DirectoryRunState): Promise<DirectoryPicture> {
    const version = await this.store.dataVersion(directoryId);
    if (!state.baseline || state.baselineVersion !== version) {
      state.baseline = pictureFromContents(await this.store.loadDirectoryContents(directoryId));
      state.baselineVersion = version;
    }
    return state.baseline;
  }

  /**
   * The plan from the baseline to the derived picture, and the picture the store holds after it:
   * for the touched users alone when the change feed allows (scoped.ts), else for the whole directory.
   */
  private planRun(
    settings: DeriveSettings,
    upstream: UpstreamRead,
    baseline: DirectoryPicture,
    report: RunReport,
  ): { plan: Plan; after: DirectoryPicture } {
    const scoped = upstream.scope && planForUsers(upstream.mirror, settings, baseline, upstream.scope);
    if (scoped) {
      report.details = scoped.plan.details;
      return scoped;
    }
    const currentNames = new Map([...baseline.users.values()].map((u) => [foldName(u.name), u.externalId]));
    const derived = derive(upstream.mirror, settings, currentNames);
    const plan = planChanges(baseline, derived.picture, settings.deprovisioning);
    Object.assign(report, {
      details: plan.details,
      collisions: derived.collisions,
      filteredOut: derived.filteredOut,
      withoutUsername: derived.withoutUsername.length,
    });
    return { plan, after: pictureAfter(derived.picture, plan, baseline) };
  }

  /** Keeps an unsafe plan for `approve` / `drop`; a plan still waiting from an earlier run is dropped. */
  private async holdForApproval(
    directory: Directory,
    state: DirectoryRunState,
    run: ActiveRun,
    reason: string,
    pending: PendingPlan,
  ): Promise<SyncRun> {
    run.report.awaitingApproval = reason;
    const superseded = state.pending;
    state.pending = pending;
    if (superseded) {
      await this.store.updateRun(superseded.runId, { status: 'dropped', error: `superseded by run ${run.id}` });
    }
    this.logger.warn('sync waits for approval', { directory: directory.name, runId: run.id, reason });
    return await this.finish(run, state, 'awaiting-approval', pending.plan);
  }

  /** The store is untouched (nothing applied, or the transaction rolled back): records the failure. */
  private async fail(directory: Directory, state: DirectoryRunState, run: ActiveRun, error: unknown): Promise<SyncRun> {
    // A later incremental run must re-read its delta from the stored cursor, so forget the mirror.
    if (run.mode === 'incremental') state.mirror = undefined;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error('sync failed; the directory keeps its previous state', {
      directory: directory.name,
      runId: run.id,
      error: message,
    });
    state.progress = undefined;
    noteThrottling(run);
    this.observer?.runEnded({ directory: directory.name, mode: run.mode, status: 'failed', seconds: elapsed(run) });
    return this.store.updateRun(run.id, {
      status: 'failed',
      finishedAt: new Date(),
      error: message,
      report: run.report,
    });
  }

  private async apply(
    target: SyncDirectory,
    state: DirectoryRunState,
    plan: Plan,
    baseline: DirectoryPicture,
    after: DirectoryPicture,
    cursor: string | null | undefined,
  ): Promise<void> {
    const events = eventsForPlan(plan, baseline, after, target.directory.id);
    await this.store.apply(target.directory.id, plan.changes, { events, ...(cursor !== undefined ? { cursor } : {}) });
    state.baseline = after;
    state.baselineVersion = await this.store.dataVersion(target.directory.id);
  }

  private async finish(
    run: ActiveRun,
    state: DirectoryRunState,
    status: SyncRun['status'],
    plan: Plan,
  ): Promise<SyncRun> {
    state.progress = undefined;
    noteThrottling(run);
    const record = await this.store.updateRun(run.id, {
      status,
      finishedAt: new Date(),
      counts: { ...plan.counts },
      report: run.report,
    });
    this.logger.info('sync finished', {
      directory: run.progress.directory,
      runId: run.id,
      mode: run.mode,
      status,
      ms: Date.now() - run.started,
      ...plan.counts,
    });
    this.observer?.runEnded({
      directory: run.progress.directory,
      mode: run.mode,
      status,
      seconds: elapsed(run),
      ...(status === 'succeeded' ? { applied: plan.counts } : {}),
    });
    return record;
  }
}

function elapsed(run: ActiveRun): number {
  return (Date.now() - run.started) / 1000;
}

/** Puts the provider's throttled answers during the run into its report (only when there were some). */
function noteThrottling(run: ActiveRun): void {
  const throttled = run.throttledSince();
  if (throttled > 0) run.report.throttled = throttled;
}
