/**
 * Benchmark of the Okta emulator: a full sync's worth of paging with plain fetch.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/emulator-okta.js [users groups memberships] [--concurrency N]
 *
 * Defaults to the full tenant: 100_000 users, 20_000 groups, 1_000_000 memberships. The emulator
 * runs in a child process (so the client's JSON parsing does not share its event loop) with rate
 * limits and latency off. The client pages, over keep-alive connections:
 *   1. every user: `GET /api/v1/users?limit=200` (all but DEPROVISIONED) and
 *      `filter=status eq "DEPROVISIONED"`, in parallel with
 *   2. every group: `GET /api/v1/groups?limit=200`, then
 *   3. every group's members: `GET /api/v1/groups/{id}/users?limit=1000`, N groups at a time
 *      (default 8).
 * Prints wall time per phase, requests, objects, client latency and the emulator's own
 * per-request time (handler start to response written). Exits 1 when the counts differ from the
 * tenant's, so it doubles as a smoke test.
 */
import { fork } from 'node:child_process';
import { startOktaEmulator, type RunningOktaEmulator, type ServerStats } from '../src/emulators/okta';
import { generateTenant, type TenantSpec } from '../src/emulators/tenant';

interface Ready {
  readonly type: 'ready';
  readonly url: string;
  readonly token: string;
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  readonly startMs: number;
  readonly rssMb: number;
}
interface StatsReply {
  readonly type: 'stats';
  readonly stats: ServerStats;
  readonly rssMb: number;
}

const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number);
}

/** Child: start the emulator, report readiness, answer stats requests. */
async function serve(spec: TenantSpec): Promise<void> {
  const start = process.hrtime.bigint();
  const tenant = generateTenant(spec);
  const emulator: RunningOktaEmulator = await startOktaEmulator({
    tenant,
    faults: { throttle: { enabled: false, budget: null }, latencyMs: 0 },
  });
  const ready: Ready = {
    type: 'ready',
    url: emulator.url,
    token: emulator.apiToken,
    users: tenant.users.length,
    groups: tenant.groups.length,
    memberships: tenant.membershipCount,
    startMs: msSince(start),
    rssMb: process.memoryUsage().rss / 1048576,
  };
  process.send?.(ready);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'reset') emulator.resetStats();
    if (message.type === 'stats') {
      const reply: StatsReply = { type: 'stats', stats: emulator.stats(), rssMb: process.memoryUsage().rss / 1048576 };
      process.send?.(reply, undefined, {}, () => {
        void emulator.close().then(() => process.exit(0));
      });
    }
  });
}

interface Client {
  requests: number;
  latencies: number[];
}

/** Pages a listing to the end; returns the parsed items. */
async function pageAll(client: Client, first: string, headers: Record<string, string>): Promise<{ id: string }[]> {
  const items: { id: string }[] = [];
  let url: string | null = first;
  while (url !== null) {
    const started = process.hrtime.bigint();
    const response: Response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { id: string }[];
    client.latencies.push(msSince(started));
    client.requests++;
    for (const item of page) items.push(item);
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '');
    url = next === null ? null : (next[1] as string);
  }
  return items;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--serve') {
    await serve({ seed: 'bench', users: Number(args[1]), groups: Number(args[2]), memberships: Number(args[3]) });
    return;
  }
  const concurrencyAt = args.indexOf('--concurrency');
  const concurrency = concurrencyAt >= 0 ? Number(args[concurrencyAt + 1]) : 8;
  const positional = args.filter((_, i) => i !== concurrencyAt && i !== concurrencyAt + 1);
  const number = (i: number, fallback: number): number =>
    positional[i] === undefined ? fallback : Number(positional[i]!.replace(/_/g, ''));
  const spec = { users: number(0, 100_000), groups: number(1, 20_000), memberships: number(2, 1_000_000) };

  const child = fork(__filename, ['--serve', String(spec.users), String(spec.groups), String(spec.memberships)], {
    stdio: 'inherit',
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  console.log(`tenant: ${ready.users} users, ${ready.groups} groups, ${ready.memberships} memberships`);
  console.log(
    `emulator start (generate tenant + build Okta view + listen): ${ready.startMs.toFixed(0)} ms, RSS ${ready.rssMb.toFixed(0)} MB`,
  );

  const headers = { Authorization: `SSWS ${ready.token}`, Accept: 'application/json' };
  const client: Client = { requests: 0, latencies: [] };
  const total = process.hrtime.bigint();

  const phase1 = process.hrtime.bigint();
  let usersMs = 0;
  let groupsMs = 0;
  const [active, deprovisioned, groups] = await Promise.all([
    pageAll(client, `${ready.url}/api/v1/users?limit=200`, headers),
    (async () => {
      const started = process.hrtime.bigint();
      const items = await pageAll(
        client,
        `${ready.url}/api/v1/users?limit=200&filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`,
        headers,
      );
      usersMs = msSince(started);
      return items;
    })(),
    (async () => {
      const started = process.hrtime.bigint();
      const items = await pageAll(client, `${ready.url}/api/v1/groups?limit=200`, headers);
      groupsMs = msSince(started);
      return items;
    })(),
  ]);
  const phase1Ms = msSince(phase1);
  const requestsPhase1 = client.requests;

  const phase2 = process.hrtime.bigint();
  let memberships = 0;
  let nextGroup = 0;
  const tenantGroups = groups.filter((g) => !(g as { type?: string }).type?.startsWith('BUILT_IN'));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextGroup < tenantGroups.length) {
        const group = tenantGroups[nextGroup++] as { id: string };
        const members = await pageAll(client, `${ready.url}/api/v1/groups/${group.id}/users?limit=1000`, headers);
        memberships += members.length; // not `+= await …`: that would read the total before the await
      }
    }),
  );
  const phase2Ms = msSince(phase2);
  const totalMs = msSince(total);

  child.send({ type: 'stats' });
  const reply = await new Promise<StatsReply>((resolve) => child.once('message', (m) => resolve(m as StatsReply)));
  const server = reply.stats;
  const samples = [...server.samples].sort((a, b) => a - b);
  const latencies = [...client.latencies].sort((a, b) => a - b);
  const users = active.length + deprovisioned.length;

  console.log(
    `phase 1 users + groups (3 lanes): ${phase1Ms.toFixed(0)} ms — ${users} users (${active.length} + ${deprovisioned.length} DEPROVISIONED; deprovisioned lane ${usersMs.toFixed(0)} ms), ${groups.length} groups incl. Everyone (${groupsMs.toFixed(0)} ms), ${requestsPhase1} requests`,
  );
  console.log(
    `phase 2 members (${concurrency} at a time): ${phase2Ms.toFixed(0)} ms — ${memberships} memberships of ${tenantGroups.length} groups, ${client.requests - requestsPhase1} requests`,
  );
  console.log(
    `total: ${totalMs.toFixed(0)} ms wall, ${client.requests} requests, ${(client.requests / (totalMs / 1000)).toFixed(0)} req/s`,
  );
  console.log(
    `client latency per request: mean ${(latencies.reduce((a, b) => a + b, 0) / latencies.length).toFixed(2)} ms, p50 ${percentile(latencies, 0.5).toFixed(2)}, p99 ${percentile(latencies, 0.99).toFixed(2)}, max ${percentile(latencies, 1).toFixed(2)}`,
  );
  console.log(
    `server time per request: mean ${(server.totalMs / server.requests).toFixed(3)} ms, p50 ${percentile(samples, 0.5).toFixed(3)}, p99 ${percentile(samples, 0.99).toFixed(3)}, max ${server.maxMs.toFixed(2)}; total ${server.totalMs.toFixed(0)} ms over ${server.requests} requests (${((server.totalMs / totalMs) * 100).toFixed(0)}% of wall); emulator RSS after ${reply.rssMb.toFixed(0)} MB`,
  );

  const ok = users === ready.users && groups.length === ready.groups + 1 && memberships === ready.memberships;
  if (!ok) {
    console.error(
      `MISMATCH: expected ${ready.users} users, ${ready.groups + 1} groups, ${ready.memberships} memberships`,
    );
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
