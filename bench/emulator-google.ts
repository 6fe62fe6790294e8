/**
 * Benchmark of the Google Workspace Directory API emulator.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/emulator-google.js [users groups memberships] [concurrency]
 *
 * Defaults: 100_000 users, 20_000 groups, 1_000_000 memberships, concurrency 8. The emulator runs
 * in a worker thread (its own event loop and core); this thread is the client: it takes a token
 * with the JWT-bearer grant, then with plain `fetch` (keep-alive) pages every user (maxResults
 * 500), every group (200) and every group's members (200; `concurrency` groups at a time), quota
 * and latency off. Prints wall time, requests and client latency per phase, and the emulator's
 * own time per request. Exits 1 when a listing does not match the tenant, so it doubles as a
 * smoke test.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

interface Setup {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
}

interface Ready {
  readonly type: 'ready';
  readonly url: string;
  readonly tokenUrl: string;
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly adminEmail: string;
  readonly startMs: number;
  readonly expectedUsers: number;
  readonly expectedGroups: number;
  /** Direct member entries over all groups (users, externals, child groups, CUSTOMER). */
  readonly expectedMembers: number;
  readonly rssMb: number;
}

interface Stats {
  readonly type: 'stats';
  readonly apiSucceeded: number;
  readonly apiServerMs: number;
  readonly byResource: Record<'users' | 'groups' | 'members', { succeeded: number; serverMs: number }>;
}

type FromWorker = Ready | Stats;

const SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
];

// ---------------------------------------------------------------- worker: the emulator

async function runEmulator(setup: Setup): Promise<void> {
  const { startGoogleEmulator } = await import('../src/emulators/google');
  const started = process.hrtime.bigint();
  const emu = await startGoogleEmulator({
    tenant: { seed: 'bench', users: setup.users, groups: setup.groups, memberships: setup.memberships },
  });
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  let members = 0;
  for (const g of emu.directory.groups.values())
    members += g.live.userIds.size + g.live.groupIds.size + (g.customerMember ? 1 : 0);
  const port = parentPort;
  if (port === null) throw new Error('not a worker');
  const ready: Ready = {
    type: 'ready',
    url: emu.url,
    tokenUrl: emu.tokenUrl,
    clientEmail: emu.serviceAccountKey.client_email,
    privateKey: emu.serviceAccountKey.private_key,
    adminEmail: emu.adminEmail,
    startMs,
    expectedUsers: emu.directory.userList('email', false).length,
    expectedGroups: emu.directory.groups.size,
    expectedMembers: members,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
  port.postMessage(ready);
  port.on('message', (message: string) => {
    if (message === 'stats') {
      const stats: Stats = {
        type: 'stats',
        apiSucceeded: emu.stats.apiSucceeded,
        apiServerMs: emu.stats.apiServerMs,
        byResource: emu.stats.byResource,
      };
      port.postMessage(stats);
    } else if (message === 'close') {
      void emu.close().then(() => process.exit(0));
    }
  });
}

// ---------------------------------------------------------------- main: the client

function argument(position: number, fallback: number): number {
  const raw = process.argv[2 + position];
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error('usage: node dist/bench/emulator-google.js [users groups memberships] [concurrency]');
    process.exit(2);
  }
  return value;
}

/** The JWT-bearer assertion googleapis would send (RS256, aud = Google's token URL). */
function assertion(ready: Ready): string {
  const iat = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256' })}.${part({ iss: ready.clientEmail, scope: SCOPES.join(' '), aud: 'https://oauth2.googleapis.com/token', exp: iat + 3600, iat, sub: ready.adminEmail })}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), createPrivateKey(ready.privateKey)).toString('base64url')}`;
}

class Phase {
  requests = 0;
  items = 0;
  latencyMs = 0;
  private readonly started = process.hrtime.bigint();
  wallMs = 0;

  constructor(readonly name: string) {}

  end(): this {
    this.wallMs = Number(process.hrtime.bigint() - this.started) / 1e6;
    return this;
  }

  line(): string {
    return (
      `${this.name.padEnd(8)} ${String(this.items).padStart(9)} items  ${String(this.requests).padStart(6)} requests  ` +
      `${this.wallMs.toFixed(0).padStart(6)} ms wall  ${(this.latencyMs / Math.max(1, this.requests)).toFixed(2)} ms/request (client)  ` +
      `${((this.requests * 1000) / Math.max(1, this.wallMs)).toFixed(0)} requests/s`
    );
  }
}

interface ListPage {
  readonly nextPageToken?: string;
  readonly [field: string]: unknown;
}

async function getJson(url: string, token: string, phase: Phase): Promise<ListPage> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as ListPage;
  phase.latencyMs += Number(process.hrtime.bigint() - t0) / 1e6;
  phase.requests++;
  if (res.status !== 200) throw new Error(`${url} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Pages one listing to the end; returns the number of items. */
async function pageAll(base: string, field: string, token: string, phase: Phase): Promise<number> {
  let count = 0;
  let pageToken: string | undefined;
  do {
    const url = pageToken === undefined ? base : `${base}&pageToken=${encodeURIComponent(pageToken)}`;
    const page = await getJson(url, token, phase);
    const items = page[field];
    count += Array.isArray(items) ? items.length : 0;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  phase.items += count;
  return count;
}

async function main(): Promise<void> {
  const setup: Setup = {
    users: argument(0, 100_000),
    groups: argument(1, 20_000),
    memberships: argument(2, 1_000_000),
  };
  const concurrency = Math.max(1, argument(3, 8));
  const worker = new Worker(__filename, { workerData: setup });
  const messages: ((m: FromWorker) => void)[] = [];
  worker.on('message', (m: FromWorker) => messages.shift()?.(m));
  worker.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  const next = () => new Promise<FromWorker>((resolve) => messages.push(resolve));

  const ready = (await next()) as Ready;
  console.log(
    `emulator: ${setup.users} users, ${setup.groups} groups, ${setup.memberships} memberships; ` +
      `started in ${ready.startMs.toFixed(0)} ms (tenant generation + key + index), RSS ${ready.rssMb.toFixed(0)} MB`,
  );

  const tokenRes = await fetch(ready.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: assertion(ready),
    }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const api = `${ready.url}/admin/directory/v1`;
  const total = process.hrtime.bigint();

  // Users and groups are two sequential page chains; they run side by side.
  const users = new Phase('users');
  const groupsPhase = new Phase('groups');
  const groupIds: string[] = [];
  const collectGroups = async (): Promise<void> => {
    let pageToken: string | undefined;
    do {
      const url = `${api}/groups?customer=my_customer&maxResults=200${pageToken === undefined ? '' : `&pageToken=${encodeURIComponent(pageToken)}`}`;
      const page = await getJson(url, token, groupsPhase);
      for (const g of (page.groups as { id: string }[] | undefined) ?? []) groupIds.push(g.id);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    groupsPhase.items = groupIds.length;
  };
  await Promise.all([
    pageAll(`${api}/users?customer=my_customer&maxResults=500`, 'users', token, users).then(() => users.end()),
    collectGroups().then(() => groupsPhase.end()),
  ]);

  // Every group's members, `concurrency` groups at a time.
  const members = new Phase('members');
  let nextGroup = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextGroup < groupIds.length) {
        const id = groupIds[nextGroup++] as string;
        await pageAll(`${api}/groups/${id}/members?maxResults=200`, 'members', token, members);
      }
    }),
  );
  members.end();
  const wallMs = Number(process.hrtime.bigint() - total) / 1e6;

  worker.postMessage('stats');
  const stats = (await next()) as Stats;
  worker.postMessage('close');

  for (const phase of [users, groupsPhase, members]) {
    const server = stats.byResource[phase.name as keyof Stats['byResource']];
    console.log(
      `${phase.line()}  ${((server.serverMs / Math.max(1, server.succeeded)) * 1000).toFixed(0)} µs/request (server)`,
    );
  }
  const requests = users.requests + groupsPhase.requests + members.requests;
  console.log(
    `total    ${requests} requests in ${wallMs.toFixed(0)} ms wall (concurrency ${concurrency} for members), ` +
      `${((requests * 1000) / wallMs).toFixed(0)} requests/s`,
  );
  console.log(
    `server   ${stats.apiSucceeded} API requests, ${stats.apiServerMs.toFixed(0)} ms handling in total, ` +
      `${((stats.apiServerMs / Math.max(1, stats.apiSucceeded)) * 1000).toFixed(0)} µs per request (arrival → answer written)`,
  );

  const problems: string[] = [];
  if (users.items !== ready.expectedUsers) problems.push(`users: got ${users.items}, expected ${ready.expectedUsers}`);
  if (groupsPhase.items !== ready.expectedGroups)
    problems.push(`groups: got ${groupsPhase.items}, expected ${ready.expectedGroups}`);
  if (members.items !== ready.expectedMembers)
    problems.push(`members: got ${members.items}, expected ${ready.expectedMembers}`);
  if (problems.length > 0) {
    console.error(`MISMATCH: ${problems.join('; ')}`);
    process.exit(1);
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  runEmulator(workerData as Setup).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
