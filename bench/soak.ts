/**
 * Soak: Jira-like traffic through the Crowd facade for minutes while the identity provider changes
 * under crowdgate and its scheduled syncs run. Not a timed test; a benchmark that reports
 * stability: errors, latency per minute, memory growth, sync runs.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/soak.js [--minutes 10] [--users 2000] [--groups 200]
 *        [--rate 150] [--connections 8] [--churn-seconds 2] [--warmup-minutes 2]
 *
 * Set-up (loopback only): an Entra ID emulator in this process (the tenant, its live changes), and
 * crowdgate in a CHILD process (bench/fuzz-server.js, so its RSS is its own) serving a YAML
 * configuration: one `entra` directory reading the emulator through the real connector and Graph
 * SDK, password checks by ROPC, `schedule: { incrementalSeconds: 10, fullMinutes: 2 }`.
 *
 * Traffic (paced at --rate requests/s over --connections keep-alive connections, as Jira's
 * HttpClient pool does), against 200 "hot" users the churn never touches:
 *   lookup   GET /user?username=U                                   45%
 *   groups   GET /user/group/nested?username=U&max-results=-1       25%
 *   login    POST /authentication?username=U (password `demo`)      12%
 *   session  POST /session, POST /session/{token} (validate), then
 *            DELETE /session/{token} (sign-out)                      8% (three requests)
 *   group    GET /group?groupname=G                                 10%
 * and Jira's synchronisation beside it: an incremental sync (`GET /event/{token}`) every 15 s
 * and a full sync every 2 minutes (`GET /event`, `POST /search` users and groups with
 * max-results=-1, `GET /search?entity-type=user&max-results=-1`, `GET /group/membership`).
 *
 * Churn: one change every --churn-seconds (default 2 s: with 2,000 users that is 1% of the users
 * every 40 s — 1%/hour scaled 90×): profile updates, disables and re-enables, renames, membership
 * changes, users created and deleted.
 *
 * Goals: 0 errors (any status other than the expected one; a 410 on /event/{token} is Jira's
 * "do a full sync" and counted apart); p99 stable per minute (no minute after warm-up above 2× the
 * median minute + 5 ms, per request kind); server RSS slope after warm-up ≤ 10 MB per 10 minutes
 * (least squares over each minute's smallest sample: scheduled full syncs lift RSS for a while;
 * needs 3 whole minutes after warm-up, so not judged by a 2-minute run); every finished sync run
 * succeeded. Prints `SUMMARY {json}` and exits 1 when a goal fails.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEntraEmulator, type RunningEntraEmulator } from '../src/emulators/entra';
import { hashPassword } from '../src/security/password-hash';
import { rssOf } from './crowd-bench-client';
import { percentile } from './http-load';
import { MB, slope, startServerChild, type ServerChild } from './server-child';

const APP = { name: 'jira', password: 'jira-soak-password' };
const ADMIN_TOKEN = 'soak-admin-token-0123456789abcdef';
const USER_PASSWORD = 'demo';
const BASE = '/rest/usermanagement/1';
const NULL_RESTRICTION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><null-search-restriction/>';

interface Options {
  minutes: number;
  users: number;
  groups: number;
  rate: number;
  connections: number;
  churnSeconds: number;
  warmupMinutes: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      users: { type: 'string' },
      groups: { type: 'string' },
      rate: { type: 'string' },
      connections: { type: 'string' },
      'churn-seconds': { type: 'string' },
      'warmup-minutes': { type: 'string' },
    },
    strict: true,
  });
  const minutes = Number(values.minutes ?? 10);
  return {
    minutes,
    users: Number(values.users ?? 2000),
    groups: Number(values.groups ?? 200),
    rate: Number(values.rate ?? 150),
    connections: Number(values.connections ?? 8),
    churnSeconds: Number(values['churn-seconds'] ?? 2),
    warmupMinutes: Number(values['warmup-minutes'] ?? Math.min(2, minutes / 4)),
  };
}

// ---------------------------------------------------------------------------------------------
// Measurements

type Kind = 'lookup' | 'groups' | 'login' | 'session' | 'validate' | 'logout' | 'group' | 'incremental' | 'full-sync';

class Stats {
  readonly started = performance.now();
  /** kind → minute → latencies (ms). */
  private readonly latencies = new Map<Kind, number[][]>();
  readonly requests = new Map<Kind, number>();
  readonly errors: Array<{ kind: Kind; status: number | string; at: number; detail: string }> = [];
  errorCount = 0;
  expired = 0;

  minute(): number {
    return Math.floor((performance.now() - this.started) / 60_000);
  }
  record(kind: Kind, ms: number): void {
    this.requests.set(kind, (this.requests.get(kind) ?? 0) + 1);
    const minutes = this.latencies.get(kind) ?? [];
    this.latencies.set(kind, minutes);
    (minutes[this.minute()] ??= []).push(ms);
  }
  error(kind: Kind, status: number | string, detail: string): void {
    this.errorCount++;
    if (this.errors.length < 20)
      this.errors.push({
        kind,
        status,
        at: Math.round((performance.now() - this.started) / 1000),
        detail: detail.slice(0, 200),
      });
  }
  /** kind → per minute { n, p50, p99 }. */
  perMinute(): Record<string, Array<{ minute: number; n: number; p50: number; p99: number }>> {
    const out: Record<string, Array<{ minute: number; n: number; p50: number; p99: number }>> = {};
    for (const [kind, minutes] of this.latencies) {
      out[kind] = minutes.flatMap((values, minute) => {
        if (!values || values.length === 0) return [];
        const sorted = [...values].sort((a, b) => a - b);
        return [
          {
            minute,
            n: sorted.length,
            p50: +percentile(sorted, 50).toFixed(2),
            p99: +percentile(sorted, 99).toFixed(2),
          },
        ];
      });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function call(
  agent: http.Agent,
  url: string,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}${path}`,
      {
        agent,
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${APP.name}:${APP.password}`).toString('base64')}`,
          ...init.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          // Large sync answers are counted, and only their start kept.
          if (size < 65_536) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: response.headers,
          }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(60_000, () => request.destroy(new Error('timeout after 60 s')));
    request.on('error', reject);
    request.end(init.body);
  });
}

async function timed(
  stats: Stats,
  kind: Kind,
  expected: number[],
  run: () => Promise<Answer>,
): Promise<Answer | undefined> {
  const started = performance.now();
  try {
    const answer = await run();
    stats.record(kind, performance.now() - started);
    if (!expected.includes(answer.status)) stats.error(kind, answer.status, answer.body);
    return answer;
  } catch (error) {
    stats.error(kind, 'network', (error as Error).message);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Traffic

class Traffic {
  private stopped = false;
  private sent = 0;
  private readonly agent: http.Agent;
  private eventToken: string | undefined;

  constructor(
    private readonly url: string,
    private readonly stats: Stats,
    private readonly users: readonly string[],
    private readonly groups: readonly string[],
    private readonly opts: Options,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections + 2 });
  }

  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.agent.destroy();
  }

  /** Paced mixed traffic on `connections` loops: request i is due at start + i / rate. */
  async mixed(until: number): Promise<void> {
    const started = performance.now();
    let next = 0;
    const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
    await Promise.all(
      Array.from({ length: this.opts.connections }, async () => {
        while (!this.stopped && performance.now() < until) {
          const i = next++;
          const due = started + (i * 1000) / this.opts.rate;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (this.stopped || performance.now() >= until) break;
          this.sent++;
          const user = encodeURIComponent(pick(this.users));
          const roll = Math.random();
          if (roll < 0.45)
            await timed(this.stats, 'lookup', [200], () =>
              call(this.agent, this.url, 'GET', `${BASE}/user?username=${user}`),
            );
          else if (roll < 0.7)
            await timed(this.stats, 'groups', [200], () =>
              call(
                this.agent,
                this.url,
                'GET',
                `${BASE}/user/group/nested?username=${user}&start-index=0&max-results=-1`,
              ),
            );
          else if (roll < 0.82) {
            await timed(this.stats, 'login', [200], () =>
              call(this.agent, this.url, 'POST', `${BASE}/authentication?username=${user}`, {
                body: `<password><value>${USER_PASSWORD}</value></password>`,
                headers: { 'content-type': 'application/xml' },
              }),
            );
          } else if (roll < 0.9) {
            const name = decodeURIComponent(user);
            const body = `<authentication-context><username>${name}</username><password>${USER_PASSWORD}</password><validation-factors><validation-factor><name>remote_address</name><value>10.1.2.${Math.floor(Math.random() * 200)}</value></validation-factor></validation-factors></authentication-context>`;
            const created = await timed(this.stats, 'session', [201], () =>
              call(this.agent, this.url, 'POST', `${BASE}/session`, {
                body,
                headers: { 'content-type': 'application/xml' },
              }),
            );
            const token = created?.body.match(/<token>([^<]+)<\/token>/)?.[1];
            if (token) {
              const factors = /<validation-factors>.*<\/validation-factors>/.exec(body)![0];
              await timed(this.stats, 'validate', [200], () =>
                call(this.agent, this.url, 'POST', `${BASE}/session/${encodeURIComponent(token)}`, {
                  body: factors,
                  headers: { 'content-type': 'application/xml' },
                }),
              );
              // The user signs out, as Jira's logout does: sessions do not pile up for their 30 minutes.
              await timed(this.stats, 'logout', [204], () =>
                call(this.agent, this.url, 'DELETE', `${BASE}/session/${encodeURIComponent(token)}`),
              );
            } else if (created?.status === 201) this.stats.error('session', 201, 'no token in the session entity');
          } else {
            await timed(this.stats, 'group', [200], () =>
              call(this.agent, this.url, 'GET', `${BASE}/group?groupname=${encodeURIComponent(pick(this.groups))}`),
            );
          }
        }
      }),
    );
  }

  /** Jira's directory synchronisation: incremental every 15 s, full every 2 minutes (and on 410). */
  async jiraSync(until: number): Promise<{ incremental: number; full: number; expired: number }> {
    const counts = { incremental: 0, full: 0, expired: 0 };
    let lastFull = -Infinity;
    while (!this.stopped && performance.now() < until) {
      if (this.eventToken === undefined || performance.now() - lastFull >= 120_000) {
        await this.fullSync();
        counts.full++;
        lastFull = performance.now();
      } else {
        const answer = await timed(this.stats, 'incremental', [200, 410], () =>
          call(this.agent, this.url, 'GET', `${BASE}/event/${encodeURIComponent(this.eventToken!)}`),
        );
        counts.incremental++;
        if (answer?.status === 410) {
          counts.expired++;
          this.stats.expired++;
          this.eventToken = undefined; // Jira falls back to a full sync
          continue;
        }
        const token = answer?.body.match(/newEventToken="([^"]+)"/)?.[1];
        if (token) this.eventToken = token;
      }
      await sleepUntil(Math.min(until, performance.now() + 15_000), () => this.stopped);
    }
    return counts;
  }

  private async fullSync(): Promise<void> {
    const started = performance.now();
    const xml = { 'content-type': 'application/xml; charset=UTF-8', accept: 'application/xml' };
    const steps: Array<[string, string, string | undefined]> = [
      ['GET', `${BASE}/event`, undefined],
      ['POST', `${BASE}/search?entity-type=user&start-index=0&max-results=-1&expand=user`, NULL_RESTRICTION],
      ['POST', `${BASE}/search?entity-type=group&start-index=0&max-results=-1&expand=group`, NULL_RESTRICTION],
      ['GET', `${BASE}/search?entity-type=user&max-results=-1`, undefined],
      ['GET', `${BASE}/group/membership`, undefined],
    ];
    let token: string | undefined;
    for (const [method, path, body] of steps) {
      try {
        const answer = await call(
          this.agent,
          this.url,
          method,
          path,
          body ? { body, headers: xml } : { headers: { accept: 'application/xml' } },
        );
        if (answer.status !== 200) this.stats.error('full-sync', answer.status, `${method} ${path}: ${answer.body}`);
        if (path.endsWith('/event')) token = answer.body.match(/newEventToken="([^"]+)"/)?.[1];
      } catch (error) {
        this.stats.error('full-sync', 'network', `${method} ${path}: ${(error as Error).message}`);
      }
    }
    this.stats.record('full-sync', performance.now() - started);
    this.eventToken = token;
  }
}

function sleepUntil(at: number, stopped: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = () =>
      stopped() || performance.now() >= at ? resolve() : setTimeout(tick, Math.min(500, at - performance.now()));
    tick();
  });
}

// ---------------------------------------------------------------------------------------------
// Churn at the provider

class Churn {
  readonly counts: Record<string, number> = {};
  private created: string[] = [];
  private disabled: string[] = [];
  private n = 0;

  constructor(
    private readonly emulator: RunningEntraEmulator,
    /** Users the traffic uses: never changed. */
    private readonly protectedIds: ReadonlySet<string>,
  ) {}

  private bump(kind: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  change(): void {
    const state = this.emulator.state;
    const candidates = [...state.users.values()].filter((u) => !this.protectedIds.has(u.id) && !u.guest);
    const user = candidates[Math.floor(Math.random() * candidates.length)]!;
    const groups = [...state.groups.values()];
    const group = groups[Math.floor(Math.random() * groups.length)]!;
    const roll = Math.random();
    this.n++;
    if (roll < 0.35) {
      state.updateUser(user.id, {
        displayName: `${user.givenName} ${user.surname} (${this.n})`,
        jobTitle: `Title ${this.n}`,
      });
      this.bump('updated');
    } else if (roll < 0.45) {
      const back = this.disabled.shift();
      if (back && state.users.has(back)) {
        state.updateUser(back, { enabled: true });
        this.bump('re-enabled');
      } else {
        state.updateUser(user.id, { enabled: false });
        this.disabled.push(user.id);
        this.bump('disabled');
      }
    } else if (roll < 0.55) {
      const [local, domain] = user.login.split('@');
      state.updateUser(user.id, { login: `${local!.replace(/\.r\d+$/, '')}.r${this.n}@${domain}` });
      this.bump('renamed');
    } else if (roll < 0.85) {
      if (group.userIds.has(user.id)) {
        state.removeMember(group.id, user.id);
        this.bump('member-removed');
      } else {
        state.addMember(group.id, user.id);
        this.bump('member-added');
      }
    } else if (roll < 0.93 || this.created.length === 0) {
      const id = randomUUID();
      const local = `soak.user${this.n}`;
      state.createUser({
        id,
        givenName: 'Soak',
        surname: `User${this.n}`,
        displayName: `Soak User${this.n}`,
        login: `${local}@${this.emulator.tenantDomain}`,
        mail: `${local}@${this.emulator.tenantDomain}`,
        mailNickname: local,
        samAccountName: null,
        department: 'Soak',
        jobTitle: 'Tester',
        employeeId: String(900000 + this.n),
        enabled: true,
        guest: false,
      });
      state.addMember(group.id, id);
      this.created.push(id);
      this.bump('created');
    } else {
      const id = this.created.shift()!;
      if (state.users.has(id)) state.deleteUser(id);
      this.bump('deleted');
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function graphql<T>(url: string, query: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

async function main(): Promise<void> {
  const opts = options();
  const work = mkdtempSync(join(tmpdir(), 'crowdgate-soak-'));
  const emulator = await startEntraEmulator({
    tenant: { seed: 'soak', users: opts.users, groups: opts.groups },
    host: '127.0.0.1',
    port: 0,
  });
  let server: ServerChild | undefined;
  let traffic: Traffic | undefined;
  let exitCode = 1;
  try {
    for (const id of emulator.state.users.keys()) emulator.setUserPassword(id, USER_PASSWORD);
    const config = {
      server: { host: '127.0.0.1', port: 0 },
      dataDir: join(work, 'data'),
      adminTokens: [{ name: 'soak', token: ADMIN_TOKEN }],
      directories: [
        {
          name: 'corp',
          provider: 'entra',
          entra: { ...emulator.directoryConfig('corp').entra, passwordAuthentication: true },
          username: { stripDomain: true },
          localGroups: ['jira-software-users'],
          schedule: { incrementalSeconds: 10, fullMinutes: 2 },
          safety: { maxRemovalShare: 1, maxRemovals: 100_000 },
        },
      ],
      applications: [
        {
          name: APP.name,
          passwordHash: await hashPassword(APP.password),
          allowedAddresses: ['127.0.0.1/32'],
          directories: ['corp'],
        },
      ],
    };
    const configFile = join(work, 'crowdgate.yaml');
    writeFileSync(configFile, JSON.stringify(config, null, 2)); // JSON is YAML
    const setupStarted = Date.now();
    server = await startServerChild(['--config', configFile]);
    const pid = server.child.pid!;
    console.log(
      `crowdgate (pid ${pid}) serving ${opts.users} users / ${opts.groups} groups from the Entra emulator after ${Date.now() - setupStarted} ms`,
    );

    // Hot users: active members (no guests), by their Crowd names; the churn leaves them alone.
    const { users, groups } = await graphql<{
      users: { nodes: Array<{ name: string; externalId: string }> };
      groups: { nodes: Array<{ name: string }> };
    }>(
      server.url,
      '{ users(first: 200, filter: { active: true }) { nodes { name externalId } } groups(first: 100) { nodes { name } } }',
    );
    const hot = users.nodes.filter((u) => !emulator.state.users.get(u.externalId)?.guest);
    const churn = new Churn(emulator, new Set(hot.map((u) => u.externalId)));
    const stats = new Stats();
    traffic = new Traffic(
      server.url,
      stats,
      hot.map((u) => u.name),
      groups.nodes.map((g) => g.name),
      opts,
    );
    const end = performance.now() + opts.minutes * 60_000;
    const warmupEnd = stats.started + opts.warmupMinutes * 60_000;

    // RSS every 5 s; heap after GC at the end of warm-up and at the end.
    const rss: Array<[number, number]> = [];
    const sampler = setInterval(() => rss.push([(performance.now() - stats.started) / 60_000, rssOf(pid) / MB]), 5_000);
    const churner = setInterval(() => churn.change(), opts.churnSeconds * 1000);
    let heapAfterWarmup: NodeJS.MemoryUsage | undefined;
    const warmupTimer = setTimeout(
      () => void server!.memory().then((m) => (heapAfterWarmup = m)),
      Math.max(0, warmupEnd - performance.now()),
    );
    const progress = setInterval(() => {
      const total = [...stats.requests.values()].reduce((s, n) => s + n, 0);
      console.log(
        `  ${stats.minute()} min: ${total} requests, ${stats.errorCount} errors, server RSS ${(rssOf(pid) / MB).toFixed(0)} MB, ${Object.values(churn.counts).reduce((s, n) => s + n, 0)} changes`,
      );
    }, 60_000);
    const [, sync] = await Promise.all([traffic.mixed(end), traffic.jiraSync(end)]);
    clearInterval(sampler);
    clearInterval(churner);
    clearInterval(progress);
    clearTimeout(warmupTimer);
    const heapEnd = await server.memory();

    const runs = await graphql<{
      syncRuns: Array<{ status: string; mode: string; trigger: string; error: string | null }>;
    }>(server.url, '{ syncRuns(directory: "corp", first: 1000) { status mode trigger error } }');
    const runCounts: Record<string, number> = {};
    for (const r of runs.syncRuns)
      runCounts[`${r.trigger}/${r.mode}/${r.status}`] = (runCounts[`${r.trigger}/${r.mode}/${r.status}`] ?? 0) + 1;
    // A scheduled run still going when the soak ends is not a failure.
    const failedRuns = runs.syncRuns.filter((r) => r.status !== 'succeeded' && r.status !== 'running');

    const afterWarmup = rss.filter(([minute]) => minute >= opts.warmupMinutes);
    // Scheduled full syncs (every 2 minutes) lift RSS for a while: the goal uses the floor of
    // each minute (its smallest sample), the growth that stays; the slope of all samples is reported too.
    const floors = new Map<number, number>();
    // Whole minutes only: after the warm-up's last partial minute, before the end.
    for (const [minute, mb] of afterWarmup) {
      const m = Math.floor(minute);
      if (m >= Math.ceil(opts.warmupMinutes) && m < opts.minutes)
        floors.set(m, Math.min(floors.get(m) ?? Infinity, mb));
    }
    const floorPoints = [...floors].map(([minute, mb]) => [minute + 0.5, mb] as const);
    const rssSlopePer10 = slope(floorPoints) * 10;
    const rssSlopeAllPer10 = slope(afterWarmup) * 10;
    const slopeMeasured = floorPoints.length >= 3;
    const perMinute = Object.fromEntries(
      Object.entries(stats.perMinute()).map(([kind, minutes]) => [
        kind,
        minutes.filter((m) => m.minute < opts.minutes),
      ]),
    );
    // p99 stability per kind: after warm-up, no minute above 2× the median minute + 5 ms.
    const warmMinutes = Math.ceil(opts.warmupMinutes);
    const unstable: string[] = [];
    for (const [kind, minutes] of Object.entries(perMinute)) {
      const steady = minutes.filter((m) => m.minute >= warmMinutes && m.n >= 20);
      if (steady.length < 2) continue;
      const median = [...steady.map((m) => m.p99)].sort((a, b) => a - b)[Math.floor(steady.length / 2)]!;
      for (const m of steady)
        if (m.p99 > 2 * median + 5) unstable.push(`${kind} minute ${m.minute}: p99 ${m.p99} ms vs median ${median} ms`);
    }
    const logged = server.logged.filter((l) => l.level === 'error');
    const goals = {
      noErrors: stats.errorCount === 0,
      p99Stable: unstable.length === 0,
      rssSlope: !slopeMeasured || rssSlopePer10 <= 10,
      syncRunsSucceeded: failedRuns.length === 0 && runs.syncRuns.length > 0,
    };

    console.log('\nrequests by kind:', Object.fromEntries(stats.requests));
    console.log('p50 / p99 per minute (ms):');
    for (const [kind, minutes] of Object.entries(perMinute))
      console.log(`  ${kind.padEnd(11)} ${minutes.map((m) => `${m.minute}:${m.p50}/${m.p99}(${m.n})`).join('  ')}`);
    console.log(
      `errors: ${stats.errorCount}${stats.errors.length ? `\n  ${stats.errors.map((e) => `${e.at}s ${e.kind} ${e.status} ${e.detail}`).join('\n  ')}` : ''}`,
    );
    console.log(`Jira syncs: ${sync.full} full, ${sync.incremental} incremental (${sync.expired} answered 410 → full)`);
    console.log(`provider changes: ${JSON.stringify(churn.counts)}`);
    console.log(
      `crowdgate sync runs: ${JSON.stringify(runCounts)}${
        failedRuns.length
          ? ` failed: ${failedRuns
              .map((r) => r.error)
              .join(' | ')
              .slice(0, 500)}`
          : ''
      }`,
    );
    console.log(
      `server RSS: after warm-up ${afterWarmup[0]?.[1].toFixed(0)} MB, end ${rss[rss.length - 1]?.[1].toFixed(0)} MB, slope of the per-minute floor ${slopeMeasured ? `${rssSlopePer10.toFixed(1)} MB / 10 min (goal ≤ 10)` : 'not measured (fewer than 3 whole minutes after warm-up)'}, of all samples ${rssSlopeAllPer10.toFixed(1)} MB / 10 min; heap after GC ${heapAfterWarmup ? (heapAfterWarmup.heapUsed / MB).toFixed(1) : '?'} → ${(heapEnd.heapUsed / MB).toFixed(1)} MB`,
    );
    if (unstable.length) console.log(`p99 not stable: ${unstable.join('; ')}`);
    if (logged.length)
      console.log(`crowdgate logged ${logged.length} errors, e.g. ${JSON.stringify(logged.slice(0, 3)).slice(0, 800)}`);

    const summary = {
      minutes: opts.minutes,
      users: opts.users,
      rate: opts.rate,
      requests: Object.fromEntries(stats.requests),
      errors: stats.errorCount,
      eventTokensExpired: stats.expired,
      perMinute,
      jiraSyncs: sync,
      providerChanges: churn.counts,
      syncRuns: runCounts,
      failedSyncRuns: failedRuns.length,
      minuteFloorsMB: Object.fromEntries([...floors].map(([m, mb]) => [m, Math.round(mb)])),
      rssMB: {
        afterWarmup: afterWarmup[0] ? Math.round(afterWarmup[0][1]) : null,
        end: rss.length ? Math.round(rss[rss.length - 1]![1]) : null,
        floorSlopePer10Minutes: slopeMeasured ? +rssSlopePer10.toFixed(2) : null,
        allSamplesSlopePer10Minutes: +rssSlopeAllPer10.toFixed(2),
      },
      heapAfterGcMB: {
        afterWarmup: heapAfterWarmup ? +(heapAfterWarmup.heapUsed / MB).toFixed(1) : null,
        end: +(heapEnd.heapUsed / MB).toFixed(1),
      },
      errorsLogged: logged.length,
      unstable,
      goals,
    };
    console.log(`SUMMARY ${JSON.stringify(summary)}`);
    exitCode = Object.values(goals).every(Boolean) ? 0 : 1;
  } finally {
    traffic?.stop();
    traffic?.close();
    await server?.stop();
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
