/**
 * Entra connector benchmark: the real sync engine reading the Entra emulator through
 * the connector (Graph SDK, $batch, delta, RU pacing) into a fresh SQLite store.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/entra-sync.js [users groups memberships] [--latency MS] [--full-only] [--default-heap]
 *
 * The emulator runs in a child process (its own heap and event loop), so the peak RSS reported
 * is the crowdgate process alone. Default tenant 100k users, 20k groups, 1M memberships, 20 ms
 * added latency per request. Phases:
 *   1. full sync, throttling off at Graph (the connector still paces itself at its default
 *      client budget, 7,200 RU per 10 s) — goal ≤ 30 s, peak RSS ≤ 512 MB (with the heap policy
 *      of `crowdgate`, src/server/heap-tuning.ts; `--default-heap` shows V8's own);
 *   2. incremental sync of 100 upstream changes — goal ≤ 2 s;
 *   3. full sync into a fresh store with Graph throttling on at the large-tenant budget (8,000 RU
 *      per 10 s) — no failed run; wall time within 1.2× of the floor that budget allows. Group
 *      delta spends few RU, so this run is latency-bound: its floor is the larger of the RU floor
 *      (RU spent / 800 per s) and the same sync unthrottled (phase 1) — the ratio is then the
 *      price of throttling;
 *   4. the same with per-group member pages (`memberReads: 'pages'`, /groups/{id}/members), which
 *      is RU-bound: wall time against the budget floor — goal ≤ 1.2×.
 */
import 'reflect-metadata';
import type { EntraDirectoryConfig } from '../src/emulators/entra';
import { createEntraProvider, parseEntraSettings, type EntraProvider } from '../src/providers/entra';
import { tuneHeapGrowth } from '../src/server/heap-tuning';
import type { SyncRun } from '../src/store/sync-records';
import {
  applyChanges,
  benchArgs,
  type BenchSpec,
  type BenchTarget,
  benchTarget,
  benchTenant,
  childLink,
  describeRun,
  disposeTarget,
  startEmulatorChild,
  Goals,
  mb,
  peakRss,
  runBench,
  secs,
} from './provider-bench';

type Spec = BenchSpec;

type ToEmulator =
  | { readonly type: 'changes'; readonly count: number }
  | { readonly type: 'throttle'; readonly budget: number | null }
  | { readonly type: 'stop' };

type FromEmulator =
  | {
      readonly type: 'ready';
      readonly config: EntraDirectoryConfig;
      readonly users: number;
      readonly groups: number;
      readonly memberships: number;
      readonly nested: number;
      readonly startupMs: number;
    }
  | { readonly type: 'done'; readonly detail: string };

// ---- emulator side (child process) ---------------------------------------------------------------

async function serve(spec: Spec): Promise<void> {
  const { startEntraEmulator } = await import('../src/emulators/entra');
  const started = Date.now();
  const tenant = await benchTenant(spec);
  const emu = await startEntraEmulator({ tenant, faults: { latencyMs: spec.latencyMs } });
  const send = childLink<ToEmulator, FromEmulator>((message) => {
    if (message.type === 'changes') send({ type: 'done', detail: applyChanges(emu.state, message.count) });
    else if (message.type === 'throttle') {
      emu.faults.update({ throttle: { enabled: message.budget !== null, budget: message.budget } });
      emu.resetThrottle();
      send({ type: 'done', detail: `throttle ${message.budget ?? 'off'}` });
    } else void emu.close().then(() => process.exit(0));
  });
  send({
    type: 'ready',
    config: emu.directoryConfig('bench'),
    users: tenant.users.length,
    groups: tenant.groups.length,
    memberships: tenant.membershipCount,
    nested: tenant.nestedGroupLinkCount,
    startupMs: Date.now() - started,
  });
}

// ---- crowdgate side (parent process) -------------------------------------------------------------

type Provider = EntraProvider;

function target(
  config: EntraDirectoryConfig,
  budget?: number,
  memberReads: 'delta' | 'pages' = 'delta',
): Promise<BenchTarget<Provider>> {
  const settings = parseEntraSettings(
    { ...config.entra, ...(budget !== undefined ? { resourceUnitBudget: budget } : {}) },
    'bench',
  );
  return benchTarget('entra', createEntraProvider(settings, { memberReads }));
}

/** Runs one sync; samples RSS and the engine's phase every 100 ms (where the time and memory go). */
async function timed(
  t: BenchTarget<Provider>,
  mode: 'full' | 'incremental',
): Promise<{ run: SyncRun; ms: number; phases: string }> {
  const started = Date.now();
  const seen = new Map<string, { from: number; to: number; rss: number }>();
  const marks: string[] = [];
  let last = '';
  const sample = (): void => {
    const progress = t.engine.progress(t.directoryId);
    const read = progress?.read;
    const stage = !progress
      ? 'done'
      : progress.phase !== 'reading'
        ? progress.phase
        : read!.groups === 0
          ? 'reading users'
          : read!.groupsWithMembers === 0
            ? 'reading groups'
            : 'reading members';
    const phase = stage;
    const at = Date.now() - started;
    if (stage !== last) {
      const m = process.memoryUsage();
      marks.push(
        `${stage}@${secs(at)} (rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)}, external ${mb(m.external)})`,
      );
      last = stage;
    }
    const rss = process.memoryUsage().rss;
    const entry = seen.get(phase);
    if (entry) {
      entry.to = at;
      entry.rss = Math.max(entry.rss, rss);
    } else seen.set(phase, { from: at, to: at, rss });
  };
  const timer = setInterval(sample, 100);
  const run = await t.engine.sync('bench', { mode, trigger: 'manual' });
  clearInterval(timer);
  sample();
  const phases =
    [...seen].map(([phase, e]) => `${phase} ${secs(e.from)}–${secs(e.to)} (RSS ≤ ${mb(e.rss)})`).join(', ') +
    `\n     marks: ${marks.join(', ')}`;
  return { run, ms: Date.now() - started, phases };
}

async function main(): Promise<void> {
  // The heap policy `crowdgate` runs with (src/cli/main.ts); `--default-heap` measures V8's own.
  const args = benchArgs(['--latency']);
  if (!args.has('--default-heap')) tuneHeapGrowth();
  const fullOnly = args.has('--full-only');
  const spec: Spec = { ...args.tenant(), latencyMs: args.option('--latency', 20) };

  const { link, ready } = await startEmulatorChild<ToEmulator, FromEmulator>(__filename, spec);
  console.log(
    `Entra connector benchmark — ${ready.users} users, ${ready.groups} groups, ${ready.memberships} memberships (+${ready.nested} nested links), ${spec.latencyMs} ms added latency per request`,
  );
  console.log(`  emulator child process ready in ${secs(ready.startupMs)} (tenant generation included)`);
  const goals = new Goals();
  const { check } = goals;
  let unthrottledMs = 0;
  try {
    console.log(`  RSS of this process before the first run: ${mb(process.memoryUsage().rss)}`);
    // 1. Full sync, Graph not throttling; the connector paces itself at its default budget.
    {
      const first = await target(ready.config);
      const full = await timed(first, 'full');
      unthrottledMs = full.ms;
      const peak1 = peakRss();
      const state = await first.store.loadDirectoryContents(first.directoryId);
      const usage1 = first.provider.usage;
      console.log(
        `\n  1. full sync (default client budget ${first.provider.settings.resourceUnitBudget} RU/10 s): ${describeRun(full.run)}`,
      );
      console.log(
        `     wall ${secs(full.ms)}, RU spent ${usage1.resourceUnits}, 429s ${usage1.throttled + usage1.batchItemsThrottled}; peak RSS of this process ${mb(peak1)}`,
      );
      console.log(`     engine phases: ${full.phases}`);
      console.log(
        `     RU floor at the client budget: ${secs(Math.max(0, usage1.resourceUnits - first.provider.settings.resourceUnitBudget) / (first.provider.settings.resourceUnitBudget / 10_000))} (bucket starts full)`,
      );
      check(
        `store = tenant counts: ${state.users.length} users, ${state.groups.length} groups, ${state.userMemberships.length} + ${state.groupMemberships.length} memberships`,
        state.users.length === ready.users &&
          state.groups.length === ready.groups &&
          state.userMemberships.length === ready.memberships &&
          state.groupMemberships.length === ready.nested,
      );
      check(`full sync ≤ 30 s (${secs(full.ms)})`, full.ms <= 30_000);
      check(`peak RSS ≤ 512 MB (${mb(peak1)})`, peak1 <= 512 * 1024 * 1024);

      // 2. Incremental sync of 100 upstream changes.
      if (!fullOnly) {
        const kinds = (await link.ask({ type: 'changes', count: 100 })).detail;
        const delta = first.provider.delta.bind(first.provider);
        let deltaMs = 0;
        first.provider.delta = async (cursor: string) => {
          const started = Date.now();
          try {
            return await delta(cursor);
          } finally {
            deltaMs = Date.now() - started;
          }
        };
        const incremental = await timed(first, 'incremental');
        console.log(`\n  2. incremental sync of 100 changes (${kinds}): ${describeRun(incremental.run)}`);
        console.log(
          `     wall ${secs(incremental.ms)}, of which the connector's delta() ${secs(deltaMs)}; engine phases: ${incremental.phases}`,
        );
        check(
          `incremental ran as incremental and ≤ 2 s (${secs(incremental.ms)})`,
          incremental.run.status === 'succeeded' && incremental.run.mode === 'incremental' && incremental.ms <= 2_000,
        );
      }
      await disposeTarget(first);
    }

    // 3. Full sync into a fresh store with Graph throttling at the large-tenant budget.
    if (!fullOnly) {
      await link.ask({ type: 'throttle', budget: 8_000 });
      const throttled = await target(ready.config);
      const slow = await timed(throttled, 'full');
      const usage3 = throttled.provider.usage;
      const floorMs = (usage3.resourceUnits / 8_000) * 10_000;
      const serverMinMs = (Math.max(0, usage3.resourceUnits - 8_000) / 8_000) * 10_000;
      console.log(`\n  3. full sync, Graph throttling at 8,000 RU/10 s: ${describeRun(slow.run)}`);
      console.log(
        `     wall ${secs(slow.ms)}, RU spent ${usage3.resourceUnits}, 429s ${usage3.throttled} requests + ${usage3.batchItemsThrottled} batch items`,
      );
      console.log(
        `     floor (RU / 8,000 per 10 s) ${secs(floorMs)} → ratio ${(slow.ms / floorMs).toFixed(2)}×; (floor counting Graph's initially full bucket: ${secs(serverMinMs)} → ${(slow.ms / Math.max(1, serverMinMs)).toFixed(2)}×)`,
      );
      const floor3 = Math.max(floorMs, unthrottledMs);
      console.log(
        `     floor = max(RU floor, unthrottled phase 1 ${secs(unthrottledMs)}) = ${secs(floor3)} → ratio ${(slow.ms / floor3).toFixed(2)}×`,
      );
      check('throttled full sync succeeded', slow.run.status === 'succeeded');
      check(
        `no 429 reached the run (${usage3.throttled + usage3.batchItemsThrottled})`,
        usage3.throttled + usage3.batchItemsThrottled === 0,
      );
      check(`wall ≤ 1.2× the floor (${(slow.ms / floor3).toFixed(2)}×)`, slow.ms <= 1.2 * floor3);
      await disposeTarget(throttled);
    }

    // 4. The same with per-group member pages (/groups/{id}/members): RU-bound, so the ratio
    //    measures how close the pacing gets to the budget.
    if (!fullOnly) {
      const paged = await target(ready.config, undefined, 'pages');
      await link.ask({ type: 'throttle', budget: 8_000 });
      const pagedRun = await timed(paged, 'full');
      const usage4 = paged.provider.usage;
      const floor4 = (usage4.resourceUnits / 8_000) * 10_000;
      console.log(
        `\n  4. full sync with per-group member pages (memberReads: pages), Graph throttling at 8,000 RU/10 s: ${describeRun(pagedRun.run)}`,
      );
      console.log(
        `     wall ${secs(pagedRun.ms)}, RU spent ${usage4.resourceUnits}, 429s ${usage4.throttled} requests + ${usage4.batchItemsThrottled} batch items`,
      );
      console.log(
        `     floor (RU / 8,000 per 10 s) ${secs(floor4)} → ratio ${(pagedRun.ms / floor4).toFixed(2)}×; peak RSS of this process so far ${mb(peakRss())}`,
      );
      check('per-group throttled full sync succeeded', pagedRun.run.status === 'succeeded');
      check(
        `per-group: wall ≤ 1.2× the budget floor (${(pagedRun.ms / floor4).toFixed(2)}×)`,
        pagedRun.ms <= 1.2 * floor4,
      );
      await disposeTarget(paged);
    }
  } finally {
    await link.stop({ type: 'stop' });
  }
  goals.finish();
}

runBench(serve, main);
