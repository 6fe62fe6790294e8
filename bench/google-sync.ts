/**
 * Google Workspace connector benchmark: the real sync engine reading the Google emulator
 * through the connector (googleapis unmodified, client-side quota pace) into a fresh SQLite store.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/google-sync.js [users groups memberships] [--latency MS] [--skip-quota]
 *
 * The emulator runs in a child process (its own heap and event loop), so the peak RSS reported
 * is the crowdgate process alone. Default tenant 100k users, 20k groups, 1M memberships, 20 ms
 * added latency per request. Phases:
 *   1. full sync with the emulator's default quota on (2,400 queries per minute per impersonated
 *      user → 403 userRateLimitExceeded; > 20 in flight → 429): no failed run, and wall time
 *      within 1.2× of the floor the quota allows (requests needed / 40 per s);
 *   2. full sync into a fresh store, quota off and the client pace set to its maximum
 *      (`queriesPerMinute: 1000000`, as for a project whose quota was raised) — goal ≤ 60 s;
 *   3. 100 upstream changes, then an incremental request: Google has no change feed, so the
 *      engine runs a full listing and writes only the changes.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import type { GoogleDirectoryConfig } from '../src/emulators/google';
import { createGoogleProvider, parseGoogleSettings, type GoogleProvider } from '../src/providers/google';
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
  EmulatorLink,
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
  | { readonly type: 'throttle'; readonly enabled: boolean }
  | { readonly type: 'stats' }
  | { readonly type: 'cpu' }
  | { readonly type: 'stop' };

interface Expected {
  readonly users: number;
  readonly groups: number;
  readonly userMemberships: number;
  readonly groupMemberships: number;
  /** Requests a full listing needs: users pages (500) + groups pages (200) + member pages (200, ≥ 1 per group). */
  readonly requests: number;
}

type FromEmulator =
  | {
      readonly type: 'ready';
      readonly config: GoogleDirectoryConfig;
      readonly expected: Expected;
      readonly startupMs: number;
    }
  | { readonly type: 'done'; readonly detail: string; readonly expected?: Expected };

// ---- emulator side (child process) ---------------------------------------------------------------

async function serve(spec: Spec): Promise<void> {
  const { startGoogleEmulator } = await import('../src/emulators/google');
  const started = Date.now();
  const tenant = await benchTenant(spec);
  const emu = await startGoogleEmulator({ tenant, faults: { latencyMs: spec.latencyMs } });
  const send = childLink<ToEmulator, FromEmulator>((message) => {
    if (message.type === 'changes')
      send({
        type: 'done',
        detail: applyChanges(emu.state, message.count, {
          domain: emu.domain,
          update: (i) => ({ jobTitle: `Bench ${i}`, displayName: `Bench Person ${i}` }),
        }),
        expected: expected(emu),
      });
    else if (message.type === 'throttle') {
      emu.faults.update({ throttle: { enabled: message.enabled, budget: null } });
      send({ type: 'done', detail: `quota ${message.enabled ? 'on' : 'off'}` });
    } else if (message.type === 'cpu') {
      const cpu = process.cpuUsage();
      send({ type: 'done', detail: String((cpu.user + cpu.system) / 1000) });
    } else if (message.type === 'stats') {
      send({
        type: 'done',
        detail: `emulator: ${emu.stats.apiRequests} API requests, ${emu.stats.tokensIssued} tokens issued`,
      });
    } else void emu.close().then(() => process.exit(0));
  });
  send({
    type: 'ready',
    config: emu.directoryConfig('bench'),
    expected: expected(emu),
    startupMs: Date.now() - started,
  });
}

/** The store the tenant should give (CUSTOMER expanded, outside addresses skipped), and the requests a listing needs. */
function expected(emu: import('../src/emulators/google').RunningGoogleEmulator): Expected {
  const dir = emu.directory;
  const domainUsers = new Set<string>();
  for (const r of dir.users.values()) if (!r.external && r.deletedAt === null) domainUsers.add(r.tenantId);
  let userMemberships = 0;
  let groupMemberships = 0;
  let memberPages = 0;
  for (const g of dir.groups.values()) {
    let direct = 0;
    for (const id of g.live.userIds) if (domainUsers.has(id)) direct++;
    userMemberships += g.customerMember ? domainUsers.size : direct;
    groupMemberships += g.live.groupIds.size;
    memberPages += Math.max(
      1,
      Math.ceil((g.live.userIds.size + g.live.groupIds.size + (g.customerMember ? 1 : 0)) / 200),
    );
  }
  const requests =
    Math.max(1, Math.ceil(domainUsers.size / 500)) + Math.max(1, Math.ceil(dir.groups.size / 200)) + memberPages;
  return { users: domainUsers.size, groups: dir.groups.size, userMemberships, groupMemberships, requests };
}

// ---- crowdgate side (parent process) -------------------------------------------------------------

/** queriesPerMinute for the quota-off phase: the settings maximum. */
const UNPACED = 1_000_000;

type Provider = GoogleProvider;

function target(config: GoogleDirectoryConfig, google: Record<string, unknown> = {}): Promise<BenchTarget<Provider>> {
  return benchTarget('google', createGoogleProvider(parseGoogleSettings({ ...config.google, ...google }, 'bench')));
}

/** Runs one sync; samples the engine's phase every 250 ms (where the time goes). */
async function timed(
  t: BenchTarget<Provider>,
  mode: 'full' | 'incremental',
  link: EmulatorLink<ToEmulator, FromEmulator>,
): Promise<{ run: SyncRun; ms: number; phases: string; cpu: string }> {
  const emuCpu0 = Number((await link.ask({ type: 'cpu' })).detail);
  const cpu0 = process.cpuUsage();
  const started = Date.now();
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
    if (stage !== last) {
      marks.push(`${stage}@${secs(Date.now() - started)} (rss ${mb(process.memoryUsage().rss)})`);
      last = stage;
    }
  };
  const timer = setInterval(sample, 250);
  const run = await t.engine.sync('bench', { mode, trigger: 'manual' });
  clearInterval(timer);
  sample();
  const ms = Date.now() - started;
  const c = process.cpuUsage(cpu0);
  const emuCpu = Number((await link.ask({ type: 'cpu' })).detail) - emuCpu0;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return {
    run,
    ms,
    phases: marks.join(', '),
    cpu: `CPU: crowdgate ${secs((c.user + c.system) / 1000)}, emulator ${secs(emuCpu)} (machine: ${cpus().length} cores, load average ${load})`,
  };
}

async function main(): Promise<void> {
  const args = benchArgs(['--latency']);
  const spec: Spec = { ...args.tenant(), latencyMs: args.option('--latency', 20) };
  const skipQuota = args.has('--skip-quota');

  const { link, ready } = await startEmulatorChild<ToEmulator, FromEmulator>(__filename, spec);
  const exp = ready.expected;
  console.log(
    `Google connector benchmark — tenant: ${exp.users} domain users, ${exp.groups} groups, ${exp.userMemberships} user memberships (CUSTOMER expanded) + ${exp.groupMemberships} nested links; ${spec.latencyMs} ms added latency per request`,
  );
  console.log(
    `  emulator child process ready in ${secs(ready.startupMs)} (tenant generation included); requests a full listing needs: ${exp.requests}`,
  );
  const goals = new Goals();
  const { check } = goals;
  const storeMatches = async (t: BenchTarget<Provider>, e: Expected): Promise<string> => {
    const state = await t.store.loadDirectoryContents(t.directoryId);
    const ok =
      state.users.length === e.users &&
      state.groups.length === e.groups &&
      state.userMemberships.length === e.userMemberships &&
      state.groupMemberships.length === e.groupMemberships;
    check(
      `store = tenant: ${state.users.length} users, ${state.groups.length} groups, ${state.userMemberships.length} + ${state.groupMemberships.length} memberships`,
      ok,
    );
    return '';
  };
  try {
    // 1. Quota on (emulator default: 2,400 queries/min per impersonated user, 20 in flight).
    if (!skipQuota) {
      await link.ask({ type: 'throttle', enabled: true });
      const t = await target(ready.config);
      const qpm = t.provider.settings.queriesPerMinute;
      const r = await timed(t, 'full', link);
      const usage = t.provider.usage;
      const floorMs = (exp.requests / qpm) * 60_000;
      const burstFloorMs = (Math.max(0, exp.requests - 2_400) / qpm) * 60_000;
      console.log(
        `\n  1. full sync, emulator quota ON (2,400/min; client pace ${qpm}/min, ${t.provider.settings.maxConcurrency} in flight): ${describeRun(r.run)}`,
      );
      console.log(
        `     wall ${secs(r.ms)}; requests sent ${usage.requests} (needed ${exp.requests}), quota refusals met ${usage.throttled}; peak RSS of this process ${mb(peakRss())}`,
      );
      console.log(
        `     floor = requests needed / quota rate = ${exp.requests} / ${qpm} per min = ${secs(floorMs)} → ratio ${(r.ms / floorMs).toFixed(3)}×`,
      );
      if (exp.requests > 2_400)
        console.log(
          `     (counting the emulator's bucket, which starts with a full minute of ${2_400} queries: floor ${secs(burstFloorMs)} → ${(r.ms / Math.max(1, burstFloorMs)).toFixed(3)}×)`,
        );
      console.log(`     engine phases: ${r.phases}`);
      console.log(`     ${r.cpu}`);
      check('quota-on full sync succeeded (no failed run)', r.run.status === 'succeeded');
      await storeMatches(t, exp);
      check(`wall ≤ 1.2× floor (${(r.ms / floorMs).toFixed(3)}×)`, r.ms <= 1.2 * floorMs);
      await disposeTarget(t);
      await link.ask({ type: 'throttle', enabled: false });
    }

    // 2. Quota off, 20 ms latency. The client pace is set far above the requests a run needs
    //    (queriesPerMinute 1,000,000: a project whose quota Google raised); concurrency stays default.
    const t = await target(ready.config, { queriesPerMinute: UNPACED });
    const r = await timed(t, 'full', link);
    const peak = peakRss();
    console.log(
      `\n  2. full sync, quota OFF, ${spec.latencyMs} ms latency (client pace ${UNPACED}/min, ${t.provider.settings.maxConcurrency} in flight): ${describeRun(r.run)}`,
    );
    console.log(`     wall ${secs(r.ms)}; requests ${t.provider.usage.requests}; peak RSS of this process ${mb(peak)}`);
    console.log(`     engine phases: ${r.phases}`);
    console.log(`     ${r.cpu}`);
    check('quota-off full sync succeeded', r.run.status === 'succeeded');
    await storeMatches(t, exp);
    check(`quota-off full sync ≤ 60 s (${secs(r.ms)})`, r.ms <= 60_000);

    // 3. 100 changes, then an incremental request (a full listing diffed by the engine).
    const changes = await link.ask({ type: 'changes', count: 100 });
    const before = t.provider.usage.requests;
    const inc = await timed(t, 'incremental', link);
    console.log(`\n  3. incremental request after 100 changes (${changes.detail}): ${describeRun(inc.run)}`);
    console.log(
      `     wall ${secs(inc.ms)}; requests ${t.provider.usage.requests - before}; engine phases: ${inc.phases}`,
    );
    console.log(`     ${inc.cpu}`);
    check('incremental request succeeded as a full listing', inc.run.status === 'succeeded' && inc.run.mode === 'full');
    if (changes.expected) await storeMatches(t, changes.expected);
    await disposeTarget(t);
    console.log(`\n  ${(await link.ask({ type: 'stats' })).detail}; peak RSS of this process overall ${mb(peakRss())}`);
  } finally {
    await link.stop({ type: 'stop' });
  }
  goals.finish();
}

runBench(serve, main);
