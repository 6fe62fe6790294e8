import type { Directory } from '../domain/directory';
import { DirectoryError } from '../domain/errors';
import { foldName } from '../domain/names';
import { supportsDelta, type DirectoryProvider, type ProviderChange } from '../providers/provider';
import type { Logger } from '../logging/logger';
import type { Store } from '../store/store';
import type { RunMode, RunTrigger, SyncRun } from '../store/sync-records';
import type { Collision } from './collisions';
import { derive, type DeriveSettings } from './derive';
import { eventsForPlan, pictureAfter } from './events';
import { UpstreamMirror } from './mirror';
import { pictureFromState, type DirectoryPicture } from './picture';
import { planChanges, type Plan } from './plan';
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
}

interface DirectoryState {
  mirror?: UpstreamMirror;
  /** The store's picture of the directory after our last apply, and the data version it had. */
  baseline?: DirectoryPicture;
  baselineVersion?: number;
  /** The run in progress, then the chain of runs asked for while it ran. */
  tail: Promise<unknown>;
  queued?: { request: SyncRequest; promise: Promise<SyncRun> };
  progress?: SyncProgress;
  pending?: { runId: number; plan: Plan; after: DirectoryPicture; baseline: DirectoryPicture; cursor: string | null | undefined; mirror: UpstreamMirror; report: RunReport };
}

/**
 * The sync engine: turns what providers say into the directories Jira sees (ARCHITECTURE.md §1).
 *
 * - Full runs read the whole upstream picture; incremental runs apply the provider's change feed
 *   to the in-memory mirror and fall back to a full run when the feed says "resync" or when there
 *   is no mirror or cursor yet (e.g. after a restart).
 * - All or nothing: nothing is written until the picture is complete; the plan, its events and
 *   the new cursor are applied in one transaction.
 * - Runs of one directory never overlap; a request made while one runs joins the next queued run
 *   (a full request upgrades a queued incremental one).
 * - A plan over the safety threshold waits for an administrator (`approve` / `drop`).
 */
export class SyncEngine {
  private readonly states = new Map<number, DirectoryState>();
  private readonly byName: Map<string, SyncDirectory>;

  constructor(
    private readonly store: Store,
    directories: readonly SyncDirectory[],
    private readonly logger: Logger,
  ) {
    this.byName = new Map(directories.map((d) => [foldName(d.directory.name), d]));
    for (const d of directories) this.states.set(d.directory.id, { tail: Promise.resolve() });
  }

  directories(): SyncDirectory[] {
    return [...this.byName.values()];
  }

  lookup(name: string): SyncDirectory {
    const directory = this.byName.get(foldName(name));
    if (!directory) throw new DirectoryError('DIRECTORY_NOT_FOUND', `Directory ${name} does not exist`);
    return directory;
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
    const queued: { request: SyncRequest; promise: Promise<SyncRun> } = { request, promise: Promise.resolve(undefined as never) };
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
    if (state.baseline !== pending.baseline || state.baselineVersion !== current) throw new DirectoryError('CONFLICT', `run ${runId} is out of date: the directory changed since it was planned; run a new sync`);
    state.pending = undefined;
    await this.apply(target, state, pending.plan, pending.baseline, pending.after, pending.cursor);
    state.mirror = pending.mirror;
    this.logger.info('approved sync applied', { directory: target.directory.name, runId });
    return this.store.updateRun(runId, { status: 'succeeded', finishedAt: new Date(), report: { ...pending.report, awaitingApproval: undefined } });
  }

  async drop(runId: number): Promise<SyncRun> {
    const [, state] = this.pendingRun(runId);
    state.pending = undefined;
    return this.store.updateRun(runId, { status: 'dropped', finishedAt: new Date() });
  }

  private pendingRun(runId: number): [SyncDirectory, DirectoryState] {
    for (const target of this.byName.values()) {
      const state = this.states.get(target.directory.id)!;
      if (state.pending?.runId === runId) return [target, state];
    }
    throw new DirectoryError('INVALID_ARGUMENT', `run ${runId} is not waiting for approval`);
  }

  private async runOnce(target: SyncDirectory, state: DirectoryState, request: SyncRequest): Promise<SyncRun> {
    const { directory, provider, settings } = target;
    let mode: RunMode = request.mode ?? 'full';
    const run = await this.store.createRun({ directoryId: directory.id, mode, trigger: request.trigger });
    const progress: SyncProgress = { runId: run.id, directory: directory.name, mode, phase: 'reading', read: { users: 0, groups: 0, groupsWithMembers: 0, memberships: 0 } };
    state.progress = progress;
    const report: RunReport = {};
    const started = Date.now();
    try {
      let mirror: UpstreamMirror | undefined;
      let cursor: string | null | undefined;
      let deltaChanges: readonly ProviderChange[] | undefined;
      let scope: Set<string> | undefined;
      if (mode === 'incremental') {
        const stored = supportsDelta(provider) ? await this.store.getCursor(directory.id) : null;
        if (!supportsDelta(provider)) report.fallback = 'the provider has no change feed';
        else if (!state.mirror || stored === null) report.fallback = 'no change-feed position yet';
        else {
          const delta = await provider.delta(stored);
          if (delta.kind === 'resync') report.fallback = `the provider asked for a full resync: ${delta.reason}`;
          else {
            mirror = state.mirror;
            scope = affectedUsers(delta.changes, settings, mirror);
            mirror.apply(delta.changes);
            deltaChanges = delta.changes;
            progress.read.users = delta.changes.length;
            cursor = delta.cursor;
          }
        }
        if (!mirror) {
          mode = 'full';
          await this.store.updateRun(run.id, { mode });
        }
      }
      if (!mirror) {
        // Let the old mirror go before reading the new one: two copies of a 1M-membership tenant
        // would double the peak. A failed read then just means the next run is full as well.
        state.mirror = undefined;
        cursor = supportsDelta(provider) ? await provider.deltaStart() : null;
        mirror = await readMirror(provider, progress.read);
      }

      progress.phase = 'planning';
      // The cached baseline is trusted only while nobody else (e.g. `crowdgate sync` in another
      // process) has written the directory since.
      const version = await this.store.dataVersion(directory.id);
      if (!state.baseline || state.baselineVersion !== version) {
        state.baseline = pictureFromState(await this.store.loadDirectoryState(directory.id));
        state.baselineVersion = version;
      }
      const baseline = state.baseline;
      const scoped = deltaChanges && scope ? planForUsers(mirror, settings, baseline, scope) : undefined;
      let plan: Plan;
      let after: DirectoryPicture;
      if (scoped) {
        ({ plan, after } = scoped);
        report.details = plan.details;
      } else {
        const currentNames = new Map([...baseline.users.values()].map((u) => [foldName(u.name), u.externalId]));
        const derived = derive(mirror, settings, currentNames);
        plan = planChanges(baseline, derived.picture, settings.deprovisioning);
        Object.assign(report, {
          details: plan.details,
          collisions: derived.collisions,
          filteredOut: derived.filteredOut,
          withoutUsername: derived.withoutUsername.length,
        });
        after = pictureAfter(derived.picture, plan, baseline);
      }

      if (request.dryRun) {
        return await this.finish(run.id, state, 'dry-run', plan, report, started);
      }
      const unsafe = request.trigger === 'approval' ? undefined : exceedsSafetyThreshold(plan.counts, baseline.users.size, settings.safety);
      if (unsafe) {
        report.awaitingApproval = unsafe;
        const superseded = state.pending;
        state.pending = { runId: run.id, plan, after, baseline, cursor, mirror, report };
        if (superseded) {
          await this.store.updateRun(superseded.runId, { status: 'dropped', error: `superseded by run ${run.id}` });
        }
        this.logger.warn('sync waits for approval', { directory: directory.name, runId: run.id, reason: unsafe });
        return await this.finish(run.id, state, 'awaiting-approval', plan, report, started);
      }
      progress.phase = 'applying';
      await this.apply(target, state, plan, baseline, after, cursor);
      state.mirror = mirror;
      state.pending = undefined;
      return await this.finish(run.id, state, 'succeeded', plan, report, started);
    } catch (error) {
      // The store is untouched (nothing applied, or the transaction rolled back). A later
      // incremental run must re-read its delta from the stored cursor, so forget the mirror.
      if (mode === 'incremental') state.mirror = undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error('sync failed; the directory keeps its previous state', { directory: directory.name, runId: run.id, error: message });
      state.progress = undefined;
      return this.store.updateRun(run.id, { status: 'failed', finishedAt: new Date(), error: message, report });
    }
  }

  private async apply(
    target: SyncDirectory,
    state: DirectoryState,
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

  private async finish(runId: number, state: DirectoryState, status: SyncRun['status'], plan: Plan, report: RunReport, started: number): Promise<SyncRun> {
    state.progress = undefined;
    const run = await this.store.updateRun(runId, { status, finishedAt: new Date(), counts: { ...plan.counts }, report });
    this.logger.info('sync finished', { runId, status, ms: Date.now() - started, ...plan.counts });
    return run;
  }
}
