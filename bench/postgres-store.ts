/**
 * The PostgreSQL store against the SQLite store, same run, same machine: the sync engine over a
 * generated tenant (default 100k users, 20k groups, 1M memberships) into each backend —
 * a first full run, then a full run with 1% churn — on a durable throwaway PostgreSQL server
 * (scripts/pg-cluster start --durable: fsync on, as in production) on loopback.
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/postgres-store.js [users groups memberships]
 *
 * Goals (issue 18): first run on PostgreSQL ≤ 1.5× SQLite; 1% churn run ≤ 1.5× SQLite.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS } from '../src/config/sync-schema';
import { TenantState } from '../src/emulators/core/tenant-state';
import { generateTenant } from '../src/emulators/tenant';
import { silentLogger } from '../src/logging/logger';
import { openSqliteStore } from '../src/store/open';
import { PostgresStore } from '../src/store/postgres/postgres-store';
import type { Store } from '../src/store/store';
import { SyncEngine } from '../src/sync/engine';
import { TenantProvider } from '../tests/helpers/tenant-provider';

const [users = 100_000, groups = 20_000, memberships = 1_000_000] = process.argv.slice(2).map(Number);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'pg-cluster');

interface Timings {
  readonly first: number;
  readonly churn: number;
}

/** A first full run and a 1% churn run of a fresh copy of the tenant into `store`. */
async function measure(label: string, store: Store, tenant: ReturnType<typeof generateTenant>): Promise<Timings> {
  const state = new TenantState(tenant);
  const [directory] = await store.upsertDirectories([{ name: 'bench', provider: 'demo' }]);
  const settings = {
    ...DEFAULT_SYNC_SETTINGS,
    localGroups: ['jira-software-users'],
    safety: { maxRemovalShare: 1, maxRemovals: 1_000_000 },
  };
  const engine = new SyncEngine(
    store,
    [{ directory: directory!, provider: new TenantProvider(state), settings }],
    silentLogger,
  );
  (globalThis as { gc?: () => void }).gc?.();
  let started = Date.now();
  const first = await engine.sync('bench', { mode: 'full', trigger: 'manual' });
  const firstMs = Date.now() - started;
  if (first.status !== 'succeeded') throw new Error(`${label}: first run ${first.status}: ${first.error}`);

  const ids = [...state.users.keys()];
  const groupIds = [...state.groups.keys()];
  const churn = Math.round(users / 100);
  for (let i = 0; i < churn; i++) {
    const id = ids[(i * 97) % ids.length]!;
    const user = state.users.get(id)!;
    if (i % 3 === 0) state.updateUser(id, { login: `renamed.${i}.${user.login}` });
    else if (i % 3 === 1) state.updateUser(id, { enabled: !user.enabled });
    else state.addMember(groupIds[i % groupIds.length]!, id);
  }
  (globalThis as { gc?: () => void }).gc?.();
  started = Date.now();
  const churned = await engine.sync('bench', { mode: 'full', trigger: 'manual' });
  const churnMs = Date.now() - started;
  if (churned.status !== 'succeeded') throw new Error(`${label}: churn run ${churned.status}: ${churned.error}`);
  console.log(`${label}: first full run ${firstMs} ms, 1% churn run ${churnMs} ms`, churned.counts);
  return { first: firstMs, churn: churnMs };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-bench-pg-'));
  const cluster = mkdtempSync(join(tmpdir(), 'crowdgate-bench-pg-cluster-'));
  const url = execFileSync(SCRIPT, ['start', cluster, '--durable'], { encoding: 'utf8' }).trim();
  try {
    const tenant = generateTenant({ seed: 'bench', users, groups, memberships });
    console.log(`tenant: ${users} users, ${groups} groups, ${tenant.membershipCount} memberships`);
    const sqlite = openSqliteStore(join(root, 'sqlite'));
    const baseline = await measure('sqlite', sqlite, tenant);
    await sqlite.close();
    const postgres = await PostgresStore.open({ url, poolSize: 10 });
    const measured = await measure('postgres', postgres, tenant);
    await postgres.close();
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `SUMMARY first: postgres ${measured.first} ms / sqlite ${baseline.first} ms = ${ratio(measured.first, baseline.first)}× (goal ≤ 1.5); ` +
        `churn: postgres ${measured.churn} ms / sqlite ${baseline.churn} ms = ${ratio(measured.churn, baseline.churn)}× (goal ≤ 1.5)`,
    );
  } finally {
    execFileSync(SCRIPT, ['stop', cluster]);
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
