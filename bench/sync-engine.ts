/**
 * Sync engine benchmark: a provider double holding a generated tenant (default 100k
 * users, 20k groups, 1M memberships) synchronised into a fresh SQLite store.
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/sync-engine.js [users groups memberships]
 *
 * Reports, each against a baseline measured in the same run:
 *  - baseline: raw better-sqlite3 bulk insert of the same rows into the same schema, one transaction;
 *  - first full run (read, map, plan, apply with events) — goal ≤ 15 s, peak RSS ≤ 512 MB;
 *  - a later full run with 1% churn — goal ≤ 5 s;
 *  - an incremental run of 1,000 upstream changes — goal ≤ 1 s.
 */
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS } from '../src/config/sync-schema';
import { TenantState } from '../src/emulators/core/tenant-state';
import { generateTenant } from '../src/emulators/tenant';
import { foldName } from '../src/domain/names';
import { TenantProvider } from '../tests/helpers/tenant-provider';
import { silentLogger } from '../src/logging/logger';
import { MIGRATIONS } from '../src/store/sqlite/migrations';
import { openSqliteStore } from '../src/store/open';
import { SyncEngine } from '../src/sync/engine';

const [users = 100_000, groups = 20_000, memberships = 1_000_000] = process.argv.slice(2).map(Number);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-bench-'));
  const t0 = Date.now();
  const tenant = generateTenant({ seed: 'bench', users, groups, memberships });
  const state = new TenantState(tenant);
  console.log(
    `tenant: ${users} users, ${groups} groups, ${tenant.membershipCount} memberships, ${tenant.nestedGroupLinkCount} nested links (generated in ${Date.now() - t0} ms)`,
  );

  // Baseline: the same rows, raw, in one transaction.
  const baselineMs = rawInsert(join(root, 'raw.sqlite'), tenant);
  console.log(`baseline raw better-sqlite3 insert: ${baselineMs} ms`);

  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  const store = openSqliteStore(join(root, 'engine'));
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

  let started = Date.now();
  const first = await engine.sync('bench', { mode: 'full', trigger: 'manual' });
  const firstMs = Date.now() - started;
  const peak = peakRss();
  console.log(
    `first full run: ${first.status} in ${firstMs} ms (${(firstMs / baselineMs).toFixed(2)}× baseline); RSS before ${mb(rssBefore)} (tenant double included), peak ${mb(peak)}, growth ${mb(peak - rssBefore)}`,
  );

  // 1% churn: renames, disables and membership moves on 1% of users.
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
  started = Date.now();
  const churned = await engine.sync('bench', { mode: 'full', trigger: 'manual' });
  const churnMs = Date.now() - started;
  console.log(`full run with 1% churn (${churn} users): ${churned.status} in ${churnMs} ms`, churned.counts);

  for (let i = 0; i < 1000; i++) {
    const id = ids[(i * 131 + 7) % ids.length]!;
    if (i % 2 === 0) state.updateUser(id, { displayName: `Changed ${i}` });
    else state.addMember(groupIds[(i * 7) % groupIds.length]!, id);
  }
  started = Date.now();
  const inc = await engine.sync('bench', { mode: 'incremental', trigger: 'manual' });
  const incMs = Date.now() - started;
  console.log(`incremental run of 1000 changes: ${inc.status} (${inc.mode}) in ${incMs} ms`, inc.counts);
  console.log(`peak RSS of the whole process: ${mb(peakRss())}`);
  console.log(
    `SUMMARY first=${firstMs}ms (goal 15000) churn=${churnMs}ms (goal 5000) incremental=${incMs}ms (goal 1000) baseline=${baselineMs}ms ratio=${(firstMs / baselineMs).toFixed(2)} peakRSS=${mb(peakRss())}`,
  );
  await store.close();
  rmSync(root, { recursive: true, force: true });
}

function rawInsert(file: string, tenant: ReturnType<typeof generateTenant>): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const sql of MIGRATIONS) db.exec(sql);
  const started = Date.now();
  db.transaction(() => {
    db.prepare(
      "INSERT INTO directories (name, name_lower, provider, position, created_at) VALUES ('raw', 'raw', 'demo', 0, 0)",
    ).run();
    const user = db.prepare(
      'INSERT INTO users (directory_id, external_id, name, name_lower, first_name, last_name, display_name, email, email_lower, active, created_at, updated_at, attributes) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)',
    );
    const userIds = new Map<string, number>();
    for (const u of tenant.users) {
      const info = user.run(
        u.id,
        u.login,
        foldName(u.login),
        u.givenName,
        u.surname,
        u.displayName,
        u.mail,
        foldName(u.mail),
        u.enabled ? 1 : 0,
        JSON.stringify({ department: [u.department] }),
      );
      userIds.set(u.id, Number(info.lastInsertRowid));
    }
    const group = db.prepare(
      "INSERT INTO groups (directory_id, external_id, name, name_lower, description, active, local, created_at, updated_at, attributes) VALUES (1, ?, ?, ?, ?, 1, 0, 0, 0, '{}')",
    );
    const groupIds = new Map<string, number>();
    for (const g of tenant.groups)
      groupIds.set(g.id, Number(group.run(g.id, g.name, foldName(g.name), g.description).lastInsertRowid));
    const member = db.prepare('INSERT INTO user_groups (group_id, user_id) VALUES (?, ?)');
    const child = db.prepare('INSERT INTO group_groups (parent_id, child_id) VALUES (?, ?)');
    for (const g of tenant.groups) {
      const gid = groupIds.get(g.id)!;
      for (const u of g.memberUserIds) member.run(gid, userIds.get(u)!);
      for (const c of g.memberGroupIds) child.run(gid, groupIds.get(c)!);
    }
  })();
  const elapsed = Date.now() - started;
  db.close();
  return elapsed;
}

void main();
