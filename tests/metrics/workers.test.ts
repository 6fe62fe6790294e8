import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hashPassword } from '../../src/security/password-hash';
import { parseExposition, type Exposition } from './parse';
import { basic, JIRA_PASSWORD, moved } from './harness';

/** The compiled CLI (`npx tsc -p tsconfig.json` first; `npm test` builds). */
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const AUTH = basic('jira', JIRA_PASSWORD);

/** One request on a connection of its own (no keep-alive): consecutive calls go round-robin over the workers. */
function request(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', agent: false, headers: { accept: 'application/json', ...init.headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * `crowdgate serve` with `server.workers: 2` (a child process, as in production): the primary
 * runs the engine and the SSO sessions, two workers serve HTTP, and one `/metrics` answer (from
 * whichever worker gets it) is the sum of every worker's registry and the primary's. Requests on
 * fresh connections are handed out round-robin, so both workers serve some; the sum must be
 * exactly what was sent, with nothing counted twice and no family listed twice.
 */
describe('metrics summed over serving workers', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-metrics-workers-'));
  let primary: ChildProcess;
  let base: string;
  beforeAll(async () => {
    const configFile = join(dataDir, 'crowdgate.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        server: { host: '127.0.0.1', port: 0, workers: 2 },
        dataDir: join(dataDir, 'data'),
        adminTokens: [{ name: 'ops', token: 'workers-metrics-admin-token' }],
        directories: [
          {
            name: 'demo',
            provider: 'demo',
            demo: { seed: 'workers-metrics', users: 40, groups: 6 },
            schedule: { fullMinutes: 0, incrementalSeconds: 0 },
          },
        ],
        applications: [{ name: 'jira', passwordHash: await hashPassword(JIRA_PASSWORD), directories: ['demo'] }],
      }),
    );
    primary = spawn(process.execPath, [CLI, 'serve', '--config', configFile, '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: primary.stdout! }).on('line', (line) => {
        const match = /Crowd server URL .*: (http:\/\/\S+)$/.exec(line);
        if (match) resolve(match[1]!);
      });
      primary.once('exit', (code) => reject(new Error(`crowdgate exited with ${code}`)));
    });
  }, 90_000);
  afterAll(async () => {
    if (primary.exitCode === null) {
      const exited = new Promise((resolve) => primary.once('exit', resolve));
      primary.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const crowd = (path: string) => `${base}/rest/usermanagement/1${path}`;
  const scrape = async (): Promise<Exposition> => {
    const answer = await request(`${base}/metrics`, { headers: { accept: 'text/plain' } });
    expect(answer.status).toBe(200);
    return parseExposition(answer.body);
  };

  let first: Exposition;

  test('K Crowd requests on fresh connections, then one /metrics answer: the crowd door sums to exactly K, and the primary’s sync metrics are in it', async () => {
    const names = JSON.parse(
      (await request(crowd('/search?entity-type=user&max-results=12'), { headers: { authorization: AUTH } })).body,
    ) as { users: Array<{ name: string }> };
    const found = names.users.map((u) => u.name);
    expect(found).toHaveLength(12);
    for (const name of found)
      expect(
        (await request(crowd(`/user?username=${encodeURIComponent(name)}`), { headers: { authorization: AUTH } }))
          .status,
      ).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await request(crowd(`/user?username=nobody-${i}`), { headers: { authorization: AUTH } })).status).toBe(
        404,
      );
    const K = 1 + found.length + 3;
    first = await scrape();

    expect(first.total('crowdgate_http_requests_total', { door: 'crowd' })).toBe(K);
    expect(first.value('crowdgate_http_requests_total', { door: 'crowd', route: 'search', status: '2xx' })).toBe(1);
    expect(first.value('crowdgate_http_requests_total', { door: 'crowd', route: 'user', status: '2xx' })).toBe(12);
    expect(first.value('crowdgate_http_requests_total', { door: 'crowd', route: 'user', status: '4xx' })).toBe(3);
    expect(first.value('crowdgate_http_request_duration_seconds_count', { door: 'crowd', route: 'user' })).toBe(15);
    // Nothing else was asked of any worker before this scrape (which is counted once it is answered).
    expect(first.total('crowdgate_http_requests_total')).toBe(K);
    // The engine's metrics, from the primary.
    expect(first.value('crowdgate_sync_runs_total', { directory: 'demo', mode: 'full', outcome: 'succeeded' })).toBe(1);
    expect(first.value('crowdgate_sync_run_duration_seconds_count', { directory: 'demo', mode: 'full' })).toBe(1);
    expect(first.value('crowdgate_sync_changes_total', { directory: 'demo', object: 'users', change: 'added' })).toBe(
      40,
    );
    expect(first.value('crowdgate_store_objects', { directory: 'demo', object: 'users' })).toBe(40);
    expect(first.value('crowdgate_crowd_sso_sessions')).toBe(0);
    // Every process's default metrics, summed into one series each (the parser refuses a duplicate).
    expect(first.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(first.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  test('a session and a password check made through a worker show in the next answer, and the previous scrape is counted once', async () => {
    const created = await request(crowd('/session'), {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: JSON.parse(
          (await request(crowd('/search?entity-type=user&max-results=1'), { headers: { authorization: AUTH } })).body,
        ).users[0].name,
        password: 'demo',
        'validation-factors': { 'validation-factors': [{ name: 'remote_address', value: '127.0.0.1' }] },
      }),
    });
    expect(created.status).toBe(201);
    const second = await scrape();

    expect(second.value('crowdgate_crowd_sso_sessions')).toBe(1);
    expect(second.value('crowdgate_password_checks_total', { outcome: 'valid' })).toBe(1);
    expect(
      moved(first, second, 'crowdgate_http_requests_total', { door: 'admin', route: 'metrics', status: '2xx' }),
    ).toBe(1);
    expect(moved(first, second, 'crowdgate_http_requests_total', { door: 'crowd' })).toBe(2);
    expect(moved(first, second, 'crowdgate_http_requests_total')).toBe(3);
  });
});
