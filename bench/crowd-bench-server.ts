/**
 * The server side of the Crowd benchmarks, run as a CHILD process so the parent can sample its RSS
 * and the load generator does not share its event loop.
 *
 *   node dist/bench/crowd-bench-server.js --data DIR [--fill USERS,GROUPS,MEMBERSHIPS] [--fill-only] [--workers N]
 *
 * --fill fills the store in DIR with the sync engine over a generated tenant (TenantProvider over
 * TenantState, as bench/sync-engine.ts does). Then, unless --fill-only, it serves the store with
 * the real crowdgate server (application `bench` / `bench` from loopback; no sync engine) and a
 * bare Koa route `GET /bare/user?username=` that reads the same store directly and renders the
 * same bytes with the facade's codec (the baseline of crowd-user-lookup). It prints one line
 * `READY {"crowd":URL,"bare":URL}` when both listen.
 *
 * --postgres URL keeps the store in that PostgreSQL database instead of SQLite under DIR.
 *
 * --workers N (N > 1) serves from N processes as `server.workers` does (node:cluster, connections
 * handed out round-robin, each process with its own store connection): the crowdgate server AND
 * the bare baseline, so that both sides of a comparison get the same processes.
 */
import 'reflect-metadata';
import Koa from 'koa';
import cluster from 'node:cluster';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { renderUser } from '../facades/crowd/codec/entities';
import { buildCrowdgateSchema } from '../resolvers/schema';
import type { Config } from '../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../src/config/sync-schema';
import { foldName } from '../src/domain/names';
import { userKey } from '../src/domain/user';
import { TenantState } from '../src/emulators/core/tenant-state';
import { generateTenant } from '../src/emulators/tenant';
import { TenantProvider } from '../tests/helpers/tenant-provider';
import { parseCidr } from '../src/security/cidr';
import { hashPassword } from '../src/security/password-hash';
import { tuneHeapGrowth } from '../src/server/heap-tuning';
import { silentLogger } from '../src/logging/logger';
import { startServer } from '../src/server/server';
import { openSqliteStore } from '../src/store/open';
import { PostgresStore } from '../src/store/postgres/postgres-store';
import type { Store } from '../src/store/store';
import { SyncEngine } from '../src/sync/engine';

export const BENCH_APPLICATION = { name: 'bench', password: 'bench' } as const;

async function fill(store: Store, users: number, groups: number, memberships: number): Promise<void> {
  const [directory] = await store.upsertDirectories([{ name: 'bench', provider: 'demo' }]);
  const state = new TenantState(generateTenant({ seed: 'crowd-bench', users, groups, memberships }));
  const settings = {
    ...DEFAULT_SYNC_SETTINGS,
    localGroups: ['jira-software-users'],
    safety: { maxRemovalShare: 1, maxRemovals: 10_000_000 },
  };
  const engine = new SyncEngine(
    store,
    [{ directory: directory!, provider: new TenantProvider(state), settings }],
    silentLogger,
  );
  const run = await engine.sync('bench', { mode: 'full', trigger: 'manual' });
  if (run.status !== 'succeeded') throw new Error(`fill failed: ${run.status} ${run.error ?? ''}`);
}

async function serve(store: Store, dataDir: string): Promise<void> {
  const directories = await store.listDirectories();
  const names = directories.map((d) => d.name);
  const config: Config = {
    server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
    dataDir,
    adminTokens: [],
    directories: names.map((name) => ({
      name,
      provider: 'demo' as const,
      localGroups: [],
      ...DEFAULT_SYNC_SETTINGS,
      demo: { seed: 'x', users: 1, groups: 1 },
    })),
    applications: [
      {
        name: BENCH_APPLICATION.name,
        passwordHash: await hashPassword(BENCH_APPLICATION.password),
        allowedAddresses: [parseCidr('127.0.0.1/32')],
        directories: names,
      },
    ],
    trustedProxies: [],
  };
  const crowd = await startServer({
    config,
    store,
    schema: await buildCrowdgateSchema(),
    logger: silentLogger,
  });

  // Baseline: the same lookup and the same bytes, without GraphQL, auth or the facade's layers.
  const ids = directories.map((d) => d.id);
  const bare = new Koa();
  bare.use(async (ctx) => {
    const name = String(ctx.query.username ?? '');
    const found = (await store.findUsersByName(ids, [foldName(name)]))[0];
    if (!found) {
      ctx.status = 404;
      return;
    }
    const view = {
      name: found.name,
      key: userKey(found),
      firstName: found.firstName,
      lastName: found.lastName,
      displayName: found.displayName,
      email: found.email,
      active: found.active,
      createdAt: found.createdAt.toISOString(),
      updatedAt: found.updatedAt.toISOString(),
    };
    ctx.set('X-Embedded-Crowd-Version', 'Crowd/5.1.6');
    ctx.set('Content-Type', 'application/xml');
    ctx.body = renderUser(view, 'xml', { baseUrl: `http://${ctx.host}/rest/usermanagement/1` }, false);
  });
  const bareServer = bare.listen(0, '127.0.0.1');
  await once(bareServer, 'listening');
  const barePort = (bareServer.address() as AddressInfo).port;
  if (process.env.CROWD_BENCH_MEMORY) {
    // Heap breakdown once a second, to tell JS heap from native memory (SQLite page cache, buffers).
    const m = (n: number) => `${Math.round(n / 1048576)}`;
    setInterval(() => {
      const u = process.memoryUsage();
      process.stdout.write(
        `MEM rss=${m(u.rss)} heapUsed=${m(u.heapUsed)} heapTotal=${m(u.heapTotal)} external=${m(u.external)} arrayBuffers=${m(u.arrayBuffers)} MB\n`,
      );
    }, 1000).unref();
  }
  process.once('SIGTERM', () => process.exit(0)); // a normal exit, so --cpu-prof can write its profile
  const ready = `READY ${JSON.stringify({ crowd: crowd.url, bare: `http://127.0.0.1:${barePort}` })}\n`;
  if (cluster.isWorker) process.send!({ ready });
  else process.stdout.write(ready);
}

/** Forks `count` serving processes (this file, as cluster workers) and prints their READY line once all listen. */
async function serveFromWorkers(count: number): Promise<void> {
  const workers = Array.from({ length: count }, () => cluster.fork());
  const lines = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<string>((resolve, reject) => {
          worker.on('message', (message: { ready?: string }) => message.ready && resolve(message.ready));
          worker.once('exit', (code) => reject(new Error(`serving worker exited with ${code}`)));
        }),
    ),
  );
  process.once('SIGTERM', () => {
    for (const worker of workers) worker.kill('SIGTERM');
    process.exit(0);
  });
  process.stdout.write(lines[0]!);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      fill: { type: 'string' },
      'fill-only': { type: 'boolean' },
      workers: { type: 'string' },
      postgres: { type: 'string' },
    },
    strict: true,
  });
  if (!values.data) throw new Error('--data DIR is required');
  const workers = Number(values.workers ?? 1);
  const postgres = values.postgres;
  const open = (): Promise<Store> =>
    postgres ? PostgresStore.open({ url: postgres, poolSize: 10 }) : Promise.resolve(openSqliteStore(values.data!));
  if (cluster.isWorker) return serve(await open(), values.data);
  const store = await open();
  if (values.fill) {
    const [users = 0, groups = 0, memberships = 0] = values.fill.split(',').map(Number);
    const started = Date.now();
    await fill(store, users, groups, memberships);
    process.stdout.write(
      `FILLED ${users} users, ${groups} groups, ${memberships} memberships in ${Date.now() - started} ms\n`,
    );
  }
  if (values['fill-only'] || workers > 1) {
    await store.close();
    if (workers > 1) await serveFromWorkers(workers);
    return;
  }
  await serve(store, values.data);
}

if (require.main === module) {
  // The heap policy `crowdgate serve` runs with (src/cli/main.ts); its serving workers keep V8's own.
  if (!cluster.isWorker) tuneHeapGrowth();
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
