/**
 * Okta connector benchmark (issue 8): the real sync engine reading the Okta emulator through the
 * connector (official SDK, per-bucket rate-limit pacing, System Log) into a fresh SQLite store.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/okta-sync.js [users groups memberships] [--latency MS] [--window S] [--share F]
 *     [--concurrency N] [--lanes N]   (requests in flight, groups whose members are read at once)
 *
 * The emulator runs in a child process (its own heap and event loop), so the peak RSS reported
 * is the crowdgate process alone. Default tenant 100k users, 20k groups, 1M memberships (plus
 * the built-in Everyone group, which holds every user), 20 ms added latency per request, rate
 * limits ON with Okta's per-bucket limits (users 600, groups and members 500, logs 120 calls
 * per window). `--window S` (default 2) shortens the emulator's rate-limit window from Okta's
 * 60 s to S seconds (same calls per window), so that the limit-bound full sync takes minutes
 * instead of an hour and a half; the floor is computed for the window used. With shorter windows
 * the same work must be done at a higher request rate, so the run becomes CPU- and latency-bound
 * (the ratio then measures the machine, not the pacing). `--window 60` is Okta's own window: the
 * honest measure of the pacing, 82 minutes for the full tenant (0.99× on 2026-11-23). Phases:
 *   1. full sync, rate limits on — no failed run; wall time against the floor the configured
 *      share of the limits allows: max over buckets of calls ÷ (share × limit) windows — goal ≤ 1.2×;
 *   2. incremental sync of 100 upstream changes — visible in the store ≤ 5 s.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS } from '../src/config/sync-schema';
import { createOktaProvider, parseOktaSettings, type OktaProvider } from '../src/providers/okta';
import { silentLogger } from '../src/logging/logger';
import { openSqliteStore } from '../src/store/open';
import type { Store } from '../src/store/store';
import type { SyncRun } from '../src/store/sync-records';
import { SyncEngine } from '../src/sync/engine';
import { applyChanges, EmulatorLink, Goals, mb, peakRss, runBench, secs } from './provider-bench';

interface Spec {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  readonly latencyMs: number;
  readonly windowSeconds: number;
}

type ToEmulator = { readonly type: 'changes'; readonly count: number } | { readonly type: 'stop' };

type FromEmulator =
  | { readonly type: 'ready'; readonly okta: Record<string, unknown>; readonly users: number; readonly groups: number; readonly memberships: number; readonly startupMs: number }
  | { readonly type: 'done'; readonly detail: string };

// ---- emulator side (child process) ---------------------------------------------------------------

async function serve(spec: Spec): Promise<void> {
  const { startOktaEmulator } = await import('../src/emulators/okta');
  const { generateTenant } = await import('../src/emulators/tenant');
  const started = Date.now();
  const tenant = generateTenant({ seed: 'bench', users: spec.users, groups: spec.groups, memberships: spec.memberships });
  const emu = await startOktaEmulator({
    tenant,
    faults: { latencyMs: spec.latencyMs, throttle: { enabled: true, budget: null } },
    rateLimitWindowSeconds: spec.windowSeconds,
  });
  const send = (message: FromEmulator) => process.send?.(message);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToEmulator) => {
    if (message.type === 'changes') send({ type: 'done', detail: applyChanges(emu.state, message.count) });
    else void emu.close().then(() => process.exit(0));
  });
  let memberships = 0;
  for (const g of emu.directory.groups.values()) memberships += emu.directory.groupMembers(g).length;
  const config = emu.directoryConfig('bench') as { okta: Record<string, unknown> };
  send({ type: 'ready', okta: config.okta, users: emu.directory.users.size, groups: emu.directory.groups.size, memberships, startupMs: Date.now() - started });
}


// ---- crowdgate side (parent process) -------------------------------------------------------------



interface Target {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly provider: OktaProvider;
  readonly root: string;
  readonly directoryId: number;
}

async function target(okta: Record<string, unknown>, share: number, tuning: { concurrency?: number; memberLanes?: number }): Promise<Target> {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-okta-bench-'));
  const store = openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'bench', provider: 'okta' }]);
  const provider = createOktaProvider(parseOktaSettings({ ...okta, rateLimitShare: share }, 'bench'), tuning);
  const settings = { ...DEFAULT_SYNC_SETTINGS, localGroups: [], safety: { maxRemovalShare: 1, maxRemovals: 1_000_000 } };
  const engine = new SyncEngine(store, [{ directory: directory!, provider, settings }], silentLogger);
  return { store, engine, provider, root, directoryId: directory!.id };
}

async function dispose(t: Target): Promise<void> {
  await t.provider.close();
  await t.store.close();
  rmSync(t.root, { recursive: true, force: true });
}

/** Runs one sync; samples the engine's phase every 100 ms (where the time and memory go). */
async function timed(t: Target, mode: 'full' | 'incremental'): Promise<{ run: SyncRun; ms: number; phases: string }> {
  const started = Date.now();
  const marks: { stage: string; at: number; rss: number }[] = [];
  const sample = (): void => {
    const progress = t.engine.progress(t.directoryId);
    const read = progress?.read;
    const stage = !progress ? 'done' : progress.phase !== 'reading' ? progress.phase : read!.groups === 0 ? 'reading users' : read!.groupsWithMembers === 0 ? 'reading groups' : 'reading members';
    const rss = process.memoryUsage().rss;
    const last = marks[marks.length - 1];
    if (last?.stage !== stage) marks.push({ stage, at: Date.now() - started, rss });
    else last.rss = Math.max(last.rss, rss);
  };
  const timer = setInterval(sample, 100);
  const run = await t.engine.sync('bench', { mode, trigger: 'manual' });
  clearInterval(timer);
  sample();
  return { run, ms: Date.now() - started, phases: marks.map((m) => `${m.stage}@${secs(m.at)} (RSS ≤ ${mb(m.rss)})`).join(', ') };
}

function describe(run: SyncRun): string {
  if (run.status !== 'succeeded') return `${run.status}: ${run.error ?? ''}`;
  const c = run.counts;
  return `${run.status} (${run.mode}); users +${c['usersAdded'] ?? 0} ~${c['usersUpdated'] ?? 0} r${c['usersRenamed'] ?? 0} -${c['usersRemoved'] ?? 0}, groups +${c['groupsAdded'] ?? 0} -${c['groupsRemoved'] ?? 0}, memberships +${c['membershipsAdded'] ?? 0} -${c['membershipsRemoved'] ?? 0}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const num = (i: number, fallback: number): number => (positional[i] === undefined ? fallback : Number(positional[i]!.replace(/_/g, '')));
  const spec: Spec = { users: num(0, 100_000), groups: num(1, 20_000), memberships: num(2, 1_000_000), latencyMs: option('--latency', 20), windowSeconds: option('--window', 2) };
  const share = option('--share', 0.5);
  const tuning = { ...(args.includes('--concurrency') ? { concurrency: option('--concurrency', 16) } : {}), ...(args.includes('--lanes') ? { memberLanes: option('--lanes', 12) } : {}) };

  const child = fork(__filename, ['--serve', JSON.stringify(spec)], { execArgv: ['--max-old-space-size=6144'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const link = new EmulatorLink<ToEmulator, FromEmulator>(child);
  const ready = await link.next();
  if (ready.type !== 'ready') throw new Error('emulator did not start');
  console.log(`Okta connector benchmark — ${ready.users} users, ${ready.groups} groups (Everyone included), ${ready.memberships} memberships served (Everyone's included), ${spec.latencyMs} ms added latency per request`);
  console.log(`  rate limits ON: Okta's per-bucket limits per ${spec.windowSeconds} s window (Okta: 60 s); crowdgate's share ${share}`);
  console.log(`  emulator child process ready in ${secs(ready.startupMs)} (tenant generation included)`);
  const goals = new Goals();
  const { check } = goals;
  try {
    const t = await target(ready.okta, share, tuning);
    const full = await timed(t, 'full');
    const state = await t.store.loadDirectoryState(t.directoryId);
    const usage = t.provider.usage();
    console.log(`\n  1. full sync: ${describe(full.run)}`);
    console.log(`     wall ${secs(full.ms)}; peak RSS of this process ${mb(peakRss())}; phases: ${full.phases}`);
    let floorMs = 0;
    let sumMs = 0;
    for (const [bucket, b] of usage) {
      const perWindow = b.limit === null ? null : share * b.limit;
      const ms = perWindow === null ? 0 : (b.calls / perWindow) * spec.windowSeconds * 1000;
      floorMs = Math.max(floorMs, ms);
      sumMs += ms;
      console.log(`     bucket ${bucket.padEnd(6)} ${String(b.calls).padStart(7)} calls, 429s ${b.throttled}, limit ${b.limit ?? '?'}/window → ${perWindow === null ? '-' : `${perWindow} per window for crowdgate, floor ${secs(ms)}`}`);
    }
    console.log(`     floor (busiest bucket: calls ÷ (share × limit) windows) ${secs(floorMs)} → ratio ${(full.ms / floorMs).toFixed(3)}×  (sum over buckets, read one after another: ${secs(sumMs)} → ${(full.ms / sumMs).toFixed(3)}×)`);
    check('full sync succeeded', full.run.status === 'succeeded');
    check(`store = org counts: ${state.users.length} users, ${state.groups.length} groups, ${state.userMemberships.length} memberships`, state.users.length === ready.users && state.groups.length === ready.groups && state.userMemberships.length === ready.memberships);
    check(`wall ≤ 1.2× the floor (${(full.ms / floorMs).toFixed(3)}×)`, full.ms <= 1.2 * floorMs);

    const kinds = (await link.ask({ type: 'changes', count: 100 })).detail;
    const changedAt = Date.now();
    const incremental = await timed(t, 'incremental');
    const visibleMs = Date.now() - changedAt;
    console.log(`\n  2. incremental sync of 100 changes (${kinds}): ${describe(incremental.run)}`);
    console.log(`     wall ${secs(incremental.ms)}; changes visible in the store ${secs(visibleMs)} after they were made`);
    check(`incremental ran as incremental and ≤ 5 s (${secs(visibleMs)})`, incremental.run.status === 'succeeded' && incremental.run.mode === 'incremental' && visibleMs <= 5_000);
    const totals = [...t.provider.usage()].map(([b, u]) => `${b} ${u.calls}`).join(', ');
    console.log(`     calls so far per bucket: ${totals}; peak RSS ${mb(peakRss())}`);
    await dispose(t);
  } finally {
    child.send({ type: 'stop' } satisfies ToEmulator);
    await new Promise((resolve) => child.once('exit', resolve));
  }
  goals.finish();
}

runBench(serve, main);
