import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS } from '../../../src/config/sync-schema';
import type { FaultSettings } from '../../../src/emulators/core/faults';
import type { TenantSpec } from '../../../src/emulators/tenant';
import { silentLogger } from '../../../src/logging/logger';
import { openSqliteStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import type { SyncRun } from '../../../src/store/sync-records';
import { SyncEngine } from '../../../src/sync/engine';
import type { DeriveSettings } from '../../../src/sync/derive';
import { TenantChanger } from './changes';
import { startCounted, type ClosableProvider, type CountedEmulator, type Kind, type Policy } from './emulators';
import { diffPictures, readPicture, samePicture, type StorePicture } from './picture';
import { Random, seedOf } from './random';
import { crowdView, diffViews, replay } from './replay';

/**
 * The randomized fault matrix for sync: seeded runs of the REAL connector and sync
 * engine against a REAL emulator into a REAL SQLite store, each with random faults injected at
 * random request counts and random live changes to the tenant between runs. After every run,
 * succeeded or failed, three invariants are checked:
 *
 *  1. the store equals exactly the picture before the run or the new picture (the oracle: a
 *     fault-free full sync of the same tenant state into a fresh store) — and a succeeded run
 *     must have reached the new one, a failed run must have left the previous one;
 *  2. the events the run appended, replayed by a Crowd client on the previous picture, give the
 *     store's current picture (none when the store did not change);
 *  3. no user the run removed is still upstream (in the oracle's picture of the tenant).
 * A run must also end within a bound: a hang the connector does not time out is a violation.
 */
export const SETTINGS: DeriveSettings = {
  ...DEFAULT_SYNC_SETTINGS,
  localGroups: ['jira-users'],
  safety: { maxRemovalShare: 1, maxRemovals: 1_000_000_000 },
};

export type FaultKind =
  '5xx' | 'reset' | 'hang' | 'throttle' | 'revoke' | 'revoke-storm' | 'short-token' | 'latency' | 'resync' | 'none';

export interface Counts {
  runs: number;
  succeeded: number;
  failed: number;
  /** Runs that ended with the previous picture although it differed from the new one. */
  keptPrevious: number;
  /** Runs asked as incremental / that stayed incremental. */
  incrementalAsked: number;
  incrementalDone: number;
  faults: Record<string, number>;
  changes: Record<string, number>;
  requests: number;
  violations: string[];
  /** Event sequences a name-keyed Crowd client could not apply (it falls back to a full sync). */
  replayConflicts: string[];
  /** Slowest run, ms. */
  slowestRunMs: number;
  kill9: number;
}

export function emptyCounts(): Counts {
  return {
    runs: 0,
    succeeded: 0,
    failed: 0,
    keptPrevious: 0,
    incrementalAsked: 0,
    incrementalDone: 0,
    faults: {},
    changes: {},
    requests: 0,
    violations: [],
    replayConflicts: [],
    slowestRunMs: 0,
    kill9: 0,
  };
}

export function mergeCounts(into: Counts, from: Counts): Counts {
  for (const key of [
    'runs',
    'succeeded',
    'failed',
    'keptPrevious',
    'incrementalAsked',
    'incrementalDone',
    'requests',
    'kill9',
  ] as const)
    into[key] += from[key];
  for (const [k, v] of Object.entries(from.faults)) into.faults[k] = (into.faults[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.changes)) into.changes[k] = (into.changes[k] ?? 0) + v;
  into.violations.push(...from.violations);
  into.replayConflicts.push(...from.replayConflicts);
  into.slowestRunMs = Math.max(into.slowestRunMs, from.slowestRunMs);
  return into;
}

export interface LaneOptions {
  readonly kind: Kind;
  readonly seed: number;
  readonly runs: number;
  readonly tenant?: Partial<TenantSpec>;
  /** A run taking longer than this is a hang (violation); default 30 s. */
  readonly runBoundMs?: number;
  readonly log?: (line: string) => void;
}

/** The new picture: a fault-free full sync of the tenant as it is now, into a fresh store. */
export class Oracle {
  private cached: { seq: number; picture: StorePicture; requests: number } | undefined;

  constructor(private readonly counted: CountedEmulator) {}

  async picture(): Promise<{ picture: StorePicture; requests: number }> {
    const seq = this.counted.emu.state.latestSeq;
    if (this.cached?.seq === seq) return this.cached;
    const saved = this.counted.emu.faults.settings;
    this.counted.emu.faults.reset();
    const root = mkdtempSync(join(tmpdir(), `crowdgate-oracle-${this.counted.kind}-`));
    const store = openSqliteStore(root);
    const provider = this.counted.provider(GENEROUS, this.counted.variants[0]!);
    try {
      const [directory] = await store.upsertDirectories([{ name: 'corp', provider: this.counted.kind }]);
      const engine = new SyncEngine(store, [{ directory: directory!, provider, settings: SETTINGS }], silentLogger);
      const before = this.counted.requests();
      const run = await engine.sync('corp', { mode: 'full', trigger: 'manual' });
      if (run.status !== 'succeeded') throw new Error(`oracle sync failed: ${run.error}`);
      const picture = await readPicture(store, directory!.id);
      this.cached = { seq, picture, requests: this.counted.requests() - before };
      return this.cached;
    } finally {
      await provider.close();
      await store.close();
      rmSync(root, { recursive: true, force: true });
      this.counted.emu.faults.update(saved);
    }
  }
}

/** Retries for the oracle and the final convergence run: patient, as in production. */
export const GENEROUS: Policy = {
  maxAttempts: 5,
  maxThrottleRetries: 10,
  baseDelayMs: 20,
  maxDelayMs: 200,
  requestTimeoutMs: 15_000,
};

export interface Checked {
  readonly violations: string[];
  readonly conflicts: string[];
  readonly kept: 'previous' | 'new' | 'both' | 'neither';
}

/**
 * The three invariants for one run. `status` is the run's status when known (in-process runs);
 * null for a killed process.
 */
export async function checkRun(
  label: string,
  store: Store,
  directoryId: number,
  previous: StorePicture,
  fresh: StorePicture,
  eventToken: string,
  status: SyncRun['status'] | null,
): Promise<Checked> {
  const violations: string[] = [];
  const after = await readPicture(store, directoryId);
  const isPrevious = samePicture(after, previous);
  const isNew = samePicture(after, fresh);
  const kept = isPrevious && isNew ? 'both' : isPrevious ? 'previous' : isNew ? 'new' : 'neither';
  if (kept === 'neither') {
    violations.push(
      `${label}: the store is neither the previous nor the new picture; vs new: ${diffPictures(after, fresh).join('; ')}; vs previous: ${diffPictures(after, previous).join('; ')}`,
    );
  } else if (status === 'succeeded' && kept === 'previous') {
    violations.push(
      `${label}: the run succeeded but the store kept the previous picture; vs new: ${diffPictures(after, fresh).join('; ')}`,
    );
  } else if (status === 'failed' && kept === 'new') {
    violations.push(`${label}: the run failed but the store changed to the new picture`);
  }

  // Events match the store.
  const since = await store.eventsSince(eventToken, [directoryId]);
  let conflicts: string[] = [];
  if (since.kind === 'expired') violations.push(`${label}: the event token taken before the run is expired after it`);
  else {
    const events = since.events.map((e) => e.event);
    if (kept === 'previous' && events.length > 0)
      violations.push(`${label}: the store did not change but ${events.length} events were appended`);
    const view = crowdView(previous.state);
    const met = replay(view, events);
    conflicts = met.filter((c) => c.unavoidable).map((c) => `${label}: ${c.text}`);
    for (const c of met)
      if (!c.unavoidable) violations.push(`${label}: a Crowd client cannot apply the events in this order: ${c.text}`);
    // After an unavoidable conflict (a rename cycle) a client resyncs in full: nothing to compare.
    const mismatch = conflicts.length > 0 ? [] : diffViews(view, crowdView(after.state));
    if (mismatch.length > 0)
      violations.push(
        `${label}: replaying the run's ${events.length} events on the previous picture does not give the store: ${mismatch.join('; ')}`,
      );
  }

  // No user removed who is still upstream.
  for (const id of previous.users.keys()) {
    if (!after.users.has(id) && fresh.users.has(id))
      violations.push(`${label}: user ${id} was removed but is still upstream`);
  }
  return { violations, conflicts, kept };
}

interface Plan {
  readonly kinds: FaultKind[];
  /** The fault settings from request `from` (relative to the run's first request) until `to`. */
  readonly windows: { from: number; to: number; patch: Partial<FaultSettings> | 'revoke'; every?: number }[];
  readonly mode: 'full' | 'incremental';
}

/** Draws the faults of one run; `scale` is how many requests a clean full run makes. */
function drawPlan(r: Random, counted: CountedEmulator, scale: number, incrementalPossible: boolean): Plan {
  const pool: FaultKind[] = ['5xx', 'reset', 'hang', 'throttle', 'revoke', 'revoke-storm', 'short-token', 'latency'];
  if (counted.delta) pool.push('resync');
  const kinds: FaultKind[] = [];
  if (!r.chance(0.12)) {
    const n = r.chance(0.7) ? 1 : r.chance(0.7) ? 2 : 3;
    for (let i = 0; i < n; i++) {
      const k = r.pick(pool);
      if (!kinds.includes(k)) kinds.push(k);
    }
  } else kinds.push('none');
  const point = () => (r.chance(0.25) ? 0 : r.int(1, Math.max(2, scale)));
  const windows: Plan['windows'] = [];
  for (const kind of kinds) {
    const from = point();
    const to = r.chance(0.5) ? Number.MAX_SAFE_INTEGER : from + r.int(1, Math.max(2, scale));
    switch (kind) {
      case '5xx':
        windows.push({ from, to, patch: { serverErrorRate: r.pick([0.05, 0.1, 0.2, 0.5, 1]) } });
        break;
      case 'reset':
        windows.push({ from, to, patch: { resetRate: r.pick([0.05, 0.1, 0.2, 0.5, 1]) } });
        break;
      case 'hang': {
        const paths = ['.', 'token', '/users', '/groups', 'members|\\$batch|/delta|/logs', '/logs|delta'];
        windows.push({ from, to, patch: { hangPathPattern: r.pick(paths) } });
        break;
      }
      case 'throttle': {
        const budget =
          counted.kind === 'entra' ? r.int(10, 120) : counted.kind === 'okta' ? r.int(8, 40) : r.int(5, 40);
        windows.push({ from, to: Number.MAX_SAFE_INTEGER, patch: { throttle: { enabled: true, budget } } });
        break;
      }
      case 'revoke':
        windows.push({ from: Math.max(1, from), to: Math.max(1, from) + 1, patch: 'revoke' });
        break;
      case 'revoke-storm':
        windows.push({ from: Math.max(1, from), to, patch: 'revoke', every: r.int(1, 4) });
        break;
      case 'short-token':
        windows.push({ from: 0, to: Number.MAX_SAFE_INTEGER, patch: { tokenLifetimeSeconds: 1 } });
        break;
      case 'latency':
        windows.push({ from, to, patch: { latencyMs: r.int(0, 3), jitterMs: r.int(1, 15) } });
        break;
      case 'resync':
        windows.push({ from: 0, to: Number.MAX_SAFE_INTEGER, patch: { forceResync: true } });
        break;
      case 'none':
        break;
    }
  }
  const mode = incrementalPossible && (kinds.includes('resync') || r.chance(0.6)) ? 'incremental' : 'full';
  return { kinds, windows, mode };
}

/** Arms a plan's windows on the emulator from its current request count. */
function arm(counted: CountedEmulator, plan: Plan): void {
  const start = counted.requests();
  const faults = counted.emu.faults;
  for (const w of plan.windows) {
    if (w.patch === 'revoke') {
      const every = w.every ?? Number.MAX_SAFE_INTEGER;
      const last = Math.min(w.to, w.from + 200);
      for (let n = w.from; n < last; n += every)
        counted.at(start + n, () => faults.update({ revokeTokensBefore: Date.now() + 1 }));
      continue;
    }
    const patch = w.patch;
    const undo: Partial<FaultSettings> = {};
    for (const key of Object.keys(patch) as (keyof FaultSettings)[])
      (undo as Record<string, unknown>)[key] = (faults.settings as unknown as Record<string, unknown>)[key];
    if (w.from === 0) faults.update(patch);
    else counted.at(start + w.from, () => faults.update(patch));
    if (w.to < Number.MAX_SAFE_INTEGER) counted.at(start + w.to, () => faults.update(undo));
  }
}

function drawPolicy(r: Random): Policy {
  return {
    maxAttempts: r.int(1, 4),
    maxThrottleRetries: r.int(0, 2),
    baseDelayMs: r.int(1, 10),
    maxDelayMs: 40,
    requestTimeoutMs: r.pick([300, 600, 1_500]),
  };
}

/** `promise`, or `undefined` when it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const DEFAULT_TENANT = { users: 60, groups: 12 };

/**
 * One lane: one emulator, one store, `runs` faulty runs in episodes (a provider + engine with a
 * random retry policy lives for 1–4 runs, so incremental runs have a mirror to continue from), then
 * one fault-free run that must reach the new picture.
 */
export async function runLane(options: LaneOptions): Promise<Counts> {
  const counts = emptyCounts();
  const r = new Random(seedOf(options.kind, options.seed));
  const tenant: TenantSpec = {
    seed: `fault-matrix-${options.kind}-${options.seed}`,
    domain: 'faults.test',
    ...DEFAULT_TENANT,
    ...options.tenant,
  };
  const counted = await startCounted(options.kind, tenant, options.seed);
  const changer = new TenantChanger(counted.emu.state, r.fork(), {
    nesting: counted.nesting,
    protectedIds: counted.protectedIds,
  });
  const oracle = new Oracle(counted);
  const root = mkdtempSync(join(tmpdir(), `crowdgate-faults-${options.kind}-`));
  const store = openSqliteStore(root);
  const bound = options.runBoundMs ?? 30_000;
  const log = options.log ?? (() => {});
  let provider: ClosableProvider | undefined;
  try {
    const [directory] = await store.upsertDirectories([{ name: 'corp', provider: options.kind }]);
    const directoryId = directory!.id;
    let engine: SyncEngine | undefined;
    let left = 0;
    for (let i = 0; i < options.runs; i++) {
      if (left === 0 || !engine) {
        await provider?.close();
        provider = counted.provider(drawPolicy(r), r.pick(counted.variants));
        engine = new SyncEngine(store, [{ directory: directory!, provider, settings: SETTINGS }], silentLogger);
        left = r.int(1, 4);
      }
      left--;
      if (i === 0 || r.chance(0.65)) changer.apply(i === 0 ? 0 : r.int(1, 6), counts.changes);
      const { picture: fresh, requests: scale } = await oracle.picture();
      const previous = await readPicture(store, directoryId);
      const token = await store.currentEventToken();
      const plan = drawPlan(r, counted, scale, counted.delta);
      for (const k of plan.kinds) counts.faults[k] = (counts.faults[k] ?? 0) + 1;
      if (counted.kind === 'entra') (counted.emu as unknown as { resetThrottle(): void }).resetThrottle();
      const label = `${options.kind} seed ${options.seed} run ${i} [${plan.mode}; ${plan.kinds.join('+')}]`;
      const firstRequest = counted.requests();
      arm(counted, plan);
      const started = Date.now();
      const run = await within(engine.sync('corp', { mode: plan.mode, trigger: 'manual' }), bound);
      const ms = Date.now() - started;
      counted.clearTriggers();
      counted.emu.faults.reset();
      counts.requests += counted.requests() - firstRequest;
      counts.runs++;
      counts.slowestRunMs = Math.max(counts.slowestRunMs, ms);
      if (run === undefined) {
        counts.violations.push(`${label}: the run did not end within ${bound} ms (a hang without timeout?)`);
        // Unstick it (closing the provider aborts its reads) and give up on this engine.
        await provider?.close();
        if (
          (await within(
            engine.idle(directoryId).then(() => true),
            bound,
          )) === undefined
        ) {
          counts.violations.push(`${label}: the run was still stuck after its provider was closed; lane stopped`);
          break;
        }
        engine = undefined;
        left = 0;
        continue;
      }
      if (plan.mode === 'incremental') counts.incrementalAsked++;
      if (run.mode === 'incremental') counts.incrementalDone++;
      if (run.status === 'succeeded') counts.succeeded++;
      else counts.failed++;
      if (run.status !== 'succeeded' && run.status !== 'failed')
        counts.violations.push(`${label}: unexpected status ${run.status}`);
      const checked = await checkRun(label, store, directoryId, previous, fresh, token, run.status);
      if (checked.kept === 'previous') counts.keptPrevious++;
      counts.violations.push(...checked.violations);
      counts.replayConflicts.push(...checked.conflicts);
      log(
        `${label}: ${run.status} in ${ms} ms${run.error ? ` (${run.error.slice(0, 160)})` : ''}${checked.violations.length > 0 ? ` — ${checked.violations.length} VIOLATIONS` : ''}`,
      );
    }

    // Convergence: with the faults gone, one run reaches the new picture.
    await provider?.close();
    provider = counted.provider(GENEROUS, counted.variants[0]!);
    const engine2 = new SyncEngine(store, [{ directory: directory!, provider, settings: SETTINGS }], silentLogger);
    changer.apply(r.int(0, 4), counts.changes);
    const { picture: fresh } = await oracle.picture();
    const previous = await readPicture(store, directoryId);
    const token = await store.currentEventToken();
    const final = await within(engine2.sync('corp', { mode: 'full', trigger: 'manual' }), bound);
    const label = `${options.kind} seed ${options.seed} final fault-free run`;
    if (final === undefined) counts.violations.push(`${label}: did not end within ${bound} ms`);
    else {
      if (final.status !== 'succeeded') counts.violations.push(`${label}: ${final.status}: ${final.error}`);
      const checked = await checkRun(label, store, directoryId, previous, fresh, token, final.status);
      counts.violations.push(...checked.violations);
      counts.replayConflicts.push(...checked.conflicts);
    }
    return counts;
  } finally {
    counted.clearTriggers();
    counted.emu.faults.reset();
    await provider?.close();
    await store.close();
    await counted.close();
    rmSync(root, { recursive: true, force: true });
  }
}
