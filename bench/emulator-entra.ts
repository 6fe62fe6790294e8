/**
 * Benchmark of the Entra / Graph emulator at full size.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/emulator-entra.js [users groups memberships] [--concurrency N] [--no-delta]
 *
 * A worker thread generates the tenant (default 100_000 users, 20_000 groups, 1_000_000
 * memberships) and runs the emulator (latency 0, throttling off) on its own event loop; the main
 * thread is the client: it obtains a client-credentials token, then pages through plain HTTPS
 * fetch (undici Agent trusting the emulator CA, keep-alive):
 *   1. every user (/users?$top=999) and every group (/groups?$top=999), the two chains in parallel;
 *   2. every group's direct members (/groups/{id}/members?$top=999), N (default 8) chains in flight;
 *   3. (unless --no-delta) a full initial delta round of users and of groups (members@delta).
 * For each phase it prints wall time, requests, requests/s, the client's mean latency, and the
 * emulator's server time per request (handler alone, and handler + handing the body to TLS), plus
 * the share of the wall time the emulator thread was busy. Exits 1 if counts differ from the tenant.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Agent } from 'undici';
import { generateTenant, type TenantSpec } from '../src/emulators/tenant';
import { startEntraEmulator, type StatsSummary } from '../src/emulators/entra';

const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

interface Ready {
  readonly type: 'ready';
  readonly url: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly ca: string;
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  readonly nestedLinks: number;
  readonly generationMs: number;
  readonly startupMs: number;
}
type ToWorker = { readonly type: 'stats'; readonly reset: boolean } | { readonly type: 'stop' };
type FromWorker = Ready | { readonly type: 'stats'; readonly stats: StatsSummary } | { readonly type: 'stopped' };

// ---- emulator side (worker thread) -------------------------------------------------------------

async function serve(spec: TenantSpec): Promise<void> {
  const port = parentPort!;
  let start = process.hrtime.bigint();
  const tenant = generateTenant(spec);
  const generationMs = msSince(start);
  start = process.hrtime.bigint();
  const emu = await startEntraEmulator({ tenant, faults: { latencyMs: 0, jitterMs: 0 } });
  const startupMs = msSince(start);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'stats') {
      const stats = emu.stats();
      if (message.reset) emu.resetStats();
      port.postMessage({ type: 'stats', stats } satisfies FromWorker);
    } else {
      void emu.close().then(() => port.postMessage({ type: 'stopped' } satisfies FromWorker));
    }
  });
  port.postMessage({
    type: 'ready',
    url: emu.graphBaseUrl,
    tenantId: emu.tenantId,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    ca: emu.caCertificate,
    users: tenant.users.length,
    groups: tenant.groups.length,
    memberships: tenant.membershipCount,
    nestedLinks: tenant.nestedGroupLinkCount,
    generationMs,
    startupMs,
  } satisfies FromWorker);
}

// ---- client side (main thread) -------------------------------------------------------------

interface Page {
  value: { id: string; '@odata.type'?: string; 'members@delta'?: unknown[] }[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

class Client {
  requests = 0;
  clientMs = 0;
  constructor(
    private readonly agent: Agent,
    private readonly token: string,
  ) {}

  async get(url: string): Promise<Page> {
    const start = process.hrtime.bigint();
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${this.token}` },
      dispatcher: this.agent,
    } as RequestInit);
    const body = (await response.json()) as Page;
    this.clientMs += msSince(start);
    this.requests++;
    if (response.status !== 200) throw new Error(`${url} → ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  }

  /** Follows nextLinks to the end; returns the number of objects. */
  async drain(url: string, onPage?: (page: Page) => void): Promise<number> {
    let next: string | undefined = url;
    let objects = 0;
    while (next !== undefined) {
      const page = await this.get(next);
      objects += page.value.length;
      onPage?.(page);
      next = page['@odata.nextLink'];
    }
    return objects;
  }
}

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

class WorkerLink {
  private waiting: ((message: FromWorker) => void)[] = [];
  constructor(readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => this.waiting.shift()?.(message));
  }
  next(): Promise<FromWorker> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  async stats(reset: boolean): Promise<StatsSummary> {
    const reply = this.next();
    this.worker.postMessage({ type: 'stats', reset } satisfies ToWorker);
    const message = await reply;
    if (message.type !== 'stats') throw new Error('unexpected worker message');
    return message.stats;
  }
}

interface PhaseResult {
  readonly name: string;
  readonly wallMs: number;
  readonly requests: number;
  readonly objects: string;
  readonly stats: StatsSummary;
  readonly clientMeanMs: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const concurrencyAt = args.indexOf('--concurrency');
  const concurrency = concurrencyAt >= 0 ? Number(args[concurrencyAt + 1]) : 8;
  const delta = !args.includes('--no-delta');
  const positional = args.filter((a, i) => !a.startsWith('--') && (concurrencyAt < 0 || i !== concurrencyAt + 1));
  const num = (i: number, fallback: number): number =>
    positional[i] === undefined ? fallback : Number(positional[i]!.replace(/_/g, ''));
  const spec: TenantSpec = {
    seed: 'bench',
    users: num(0, 100_000),
    groups: num(1, 20_000),
    memberships: num(2, 1_000_000),
  };

  const link = new WorkerLink(new Worker(__filename, { workerData: spec }));
  const ready = await link.next();
  if (ready.type !== 'ready') throw new Error('worker did not start');
  const agent = new Agent({ connect: { ca: ready.ca }, connections: concurrency * 2, keepAliveTimeout: 30_000 });
  let failures = 0;
  try {
    const tokenResponse = await fetch(`${ready.url}/${ready.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: ready.clientId,
        client_secret: ready.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: agent,
    } as RequestInit);
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const client = new Client(agent, token);
    const base = `${ready.url}/v1.0`;
    const results: PhaseResult[] = [];
    const phase = async (name: string, objects: () => string, run: () => Promise<void>): Promise<void> => {
      await link.stats(true);
      const requestsBefore = client.requests;
      const clientMsBefore = client.clientMs;
      const start = process.hrtime.bigint();
      await run();
      const wallMs = msSince(start);
      const requests = client.requests - requestsBefore;
      results.push({
        name,
        wallMs,
        requests,
        objects: objects(),
        stats: await link.stats(true),
        clientMeanMs: (client.clientMs - clientMsBefore) / Math.max(1, requests),
      });
    };

    let users = 0;
    let groups = 0;
    const groupIds: string[] = [];
    await phase(
      'users + groups ($top=999)',
      () => `${users} users, ${groups} groups`,
      async () => {
        await Promise.all([
          client
            .drain(`${base}/users?$top=999&$select=id,userPrincipalName,displayName,mail,accountEnabled,userType`)
            .then((n) => (users = n)),
          client
            .drain(`${base}/groups?$top=999`, (p) => groupIds.push(...p.value.map((g) => g.id)))
            .then((n) => (groups = n)),
        ]);
      },
    );

    const byType: Record<string, number> = {};
    await phase(
      `members of every group (${concurrency} chains)`,
      () =>
        Object.entries(byType)
          .map(([t, n]) => `${n} ${t.replace('#microsoft.graph.', '')}`)
          .join(', '),
      async () => {
        await pool(groupIds, concurrency, async (id) => {
          await client.drain(`${base}/groups/${id}/members?$top=999&$select=id`, (p) => {
            for (const m of p.value) byType[m['@odata.type'] ?? '?'] = (byType[m['@odata.type'] ?? '?'] ?? 0) + 1;
          });
        });
      },
    );

    if (delta) {
      let deltaUsers = 0;
      let deltaGroups = 0;
      let memberEntries = 0;
      await phase(
        'delta initial round (users ∥ groups)',
        () => `${deltaUsers} user, ${deltaGroups} group entries (replays incl.), ${memberEntries} members@delta`,
        async () => {
          await Promise.all([
            client
              .drain(`${base}/users/delta?$select=id,userPrincipalName,displayName,accountEnabled`)
              .then((n) => (deltaUsers = n)),
            client
              .drain(`${base}/groups/delta`, (p) => {
                for (const g of p.value) memberEntries += g['members@delta']?.length ?? 0;
              })
              .then((n) => (deltaGroups = n)),
          ]);
        },
      );
    }

    const expectedMembers = ready.memberships + ready.nestedLinks;
    const gotMembers = (byType['#microsoft.graph.user'] ?? 0) + (byType['#microsoft.graph.group'] ?? 0);
    const checks: [string, boolean][] = [
      [`users listed ${users} = tenant ${ready.users}`, users === ready.users],
      [`groups listed ${groups} = tenant ${ready.groups}`, groups === ready.groups],
      [`user+group members listed ${gotMembers} = tenant ${expectedMembers}`, gotMembers === expectedMembers],
    ];

    console.log(
      `Entra emulator benchmark — ${ready.users} users, ${ready.groups} groups, ${ready.memberships} memberships (+${ready.nestedLinks} nested group links)`,
    );
    console.log(
      `  emulator thread: tenant generation ${ready.generationMs.toFixed(0)} ms, start (state, indexes, certificate, listen) ${ready.startupMs.toFixed(0)} ms`,
    );
    console.log(`  client thread: plain fetch over HTTPS keep-alive (undici Agent with the emulator CA)`);
    console.log('');
    const pad = (s: string, n: number): string => s.padEnd(n);
    const f = (n: number): string => n.toFixed(2).padStart(6);
    for (const r of results) {
      const h = r.stats.graphHandlerMs;
      const t = r.stats.graphTimeMs;
      console.log(`  ${r.name}`);
      console.log(
        `    ${pad(`wall ${(r.wallMs / 1000).toFixed(2)} s`, 16)}${pad(`${r.requests} requests`, 18)}${pad(`${(r.requests / (r.wallMs / 1000)).toFixed(0)} req/s`, 14)}client latency mean ${r.clientMeanMs.toFixed(2)} ms`,
      );
      console.log(
        `    server ms/request  handler: mean${f(h.mean)} p50${f(h.p50)} p95${f(h.p95)} p99${f(h.p99)} max${f(h.max)}`,
      );
      console.log(
        `                       +TLS write: mean${f(t.mean)} p50${f(t.p50)} p95${f(t.p95)} p99${f(t.p99)} max${f(t.max)}`,
      );
      console.log(
        `    emulator busy ${(t.total / 1000).toFixed(2)} s of ${(r.wallMs / 1000).toFixed(2)} s wall (${((100 * t.total) / r.wallMs).toFixed(0)}%)  → ${r.objects}`,
      );
    }
    console.log('');
    for (const [label, ok] of checks) {
      console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}`);
      if (!ok) failures++;
    }
  } finally {
    await agent.close();
    const stopped = link.next();
    link.worker.postMessage({ type: 'stop' } satisfies ToWorker);
    await stopped;
    await link.worker.terminate();
  }
  process.exit(failures === 0 ? 0 : 1);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  serve(workerData as TenantSpec).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
