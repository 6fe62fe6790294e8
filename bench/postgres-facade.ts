/**
 * The Crowd facade served from PostgreSQL against the same facade served from SQLite, same run:
 * each store is filled with the same generated tenant (crowd-bench-server.ts --fill, the sync
 * engine), then served by a fresh child process; the PostgreSQL server is a durable throwaway
 * cluster on loopback (scripts/pg-cluster start --durable).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/postgres-facade.js [users=100000 groups=20000 memberships=1000000] [requests=20000]
 *
 * Measured per backend: Jira's full synchronisation (users, groups, memberships, one after the
 * other) and `GET /user` at 50 keep-alive connections: a warm-up, two rounds of names not asked
 * for before (p99 averaged: the goal's measure), one round repeating names (the PostgreSQL store's
 * lookup cache answers those).
 * Goals (issue 18): full sync on PostgreSQL ≤ 1.3× SQLite; `GET /user` p99 ≤ 1.3× SQLite.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServerChild } from './crowd-bench-client';
import { allUsernames, jiraFullSync, lookups, round } from './crowd-lookups';

const [users = 100_000, groups = 20_000, memberships = 1_000_000, requests = 20_000] = process.argv
  .slice(2)
  .map(Number);
const CONCURRENCY = 50;
const WARM_UP = 5_000;
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'pg-cluster');

interface Measured {
  readonly fullSyncMs: number;
  readonly p99: number;
  readonly rps: number;
  readonly hotP99: number;
}

async function measure(label: string, storeArgs: string[]): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), `crowdgate-bench-${label}-`));
  try {
    const fill = ['--data', dataDir, ...storeArgs, '--fill', `${users},${groups},${memberships}`, '--fill-only'];
    await runServerChild(fill);
    const server = await runServerChild(['--data', dataDir, ...storeArgs]);
    try {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      await jiraFullSync(server.crowd, agent); // warm-up: statements, caches, JIT
      const sync = await jiraFullSync(server.crowd, agent);
      agent.destroy();
      const names = await allUsernames(server.crowd);
      if (names.length < WARM_UP + 2 * requests) throw new Error(`${names.length} users: too few for distinct rounds`);
      // Each name once per slice: the cold rounds ask for names nobody asked for before (the
      // PostgreSQL store's lookup cache cannot help); the hot round repeats the first cold one.
      const slice = (from: number, count: number) =>
        lookups(
          server.crowd,
          (n) => `/rest/usermanagement/1/user?username=${encodeURIComponent(n)}`,
          names.slice(from, from + count),
        );
      await round(slice(0, WARM_UP), WARM_UP, CONCURRENCY);
      const cold = [
        await round(slice(WARM_UP, requests), requests, CONCURRENCY),
        await round(slice(WARM_UP + requests, requests), requests, CONCURRENCY),
      ];
      const hot = await round(slice(WARM_UP, requests), requests, CONCURRENCY);
      const p99 = (cold[0]!.p99 + cold[1]!.p99) / 2;
      const rps = (cold[0]!.rps + cold[1]!.rps) / 2;
      const errors = cold[0]!.errors + cold[1]!.errors + hot.errors;
      console.log(
        `${label}: Jira full sync ${sync.wallMs.toFixed(0)} ms (${sync.steps.map(([n, r]) => `${n} ${r.totalMs.toFixed(0)} ms`).join(', ')}); ` +
          `GET /user cold ${rps.toFixed(0)} req/s p99 ${p99.toFixed(2)} ms; hot ${hot.rps.toFixed(0)} req/s p99 ${hot.p99.toFixed(2)} ms; errors ${errors}`,
      );
      return { fullSyncMs: sync.wallMs, p99, rps, hotP99: hot.p99 };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const cluster = mkdtempSync(join(tmpdir(), 'crowdgate-bench-pg-cluster-'));
  const url = execFileSync(SCRIPT, ['start', cluster, '--durable'], { encoding: 'utf8' }).trim();
  try {
    const sqlite = await measure('sqlite', []);
    const postgres = await measure('postgres', ['--postgres', url]);
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `SUMMARY full sync: postgres ${postgres.fullSyncMs.toFixed(0)} ms / sqlite ${sqlite.fullSyncMs.toFixed(0)} ms = ${ratio(postgres.fullSyncMs, sqlite.fullSyncMs)}× (goal ≤ 1.3); ` +
        `GET /user p99 (names not asked before): postgres ${postgres.p99.toFixed(2)} ms / sqlite ${sqlite.p99.toFixed(2)} ms = ${ratio(postgres.p99, sqlite.p99)}× (goal ≤ 1.3); ` +
        `repeated names: ${postgres.hotP99.toFixed(2)} / ${sqlite.hotP99.toFixed(2)} ms = ${ratio(postgres.hotP99, sqlite.hotP99)}×; ` +
        `throughput ${postgres.rps.toFixed(0)} / ${sqlite.rps.toFixed(0)} req/s`,
    );
  } finally {
    execFileSync(SCRIPT, ['stop', cluster]);
  }
}

void main();
