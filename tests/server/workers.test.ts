import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const AUTH = `Basic ${Buffer.from('demo:demo').toString('base64')}`;

/** Process ids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** One request on a connection of its own (no keep-alive), so that consecutive calls spread over the workers. */
function request(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; version?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: init.method ?? 'GET',
        agent: false,
        headers: { authorization: AUTH, accept: 'application/json', ...init.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            version: res.headers['x-embedded-crowd-version'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * `crowdgate serve --workers 2`: the primary runs the engine and the sessions, two workers serve
 * HTTP. A session made on one worker is valid on the other; GraphQL sync mutations and Crowd
 * password checks reach the engine in the primary; a dead worker is replaced; SIGTERM stops all.
 */
describe('serving workers', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-workers-'));
  let primary: ChildProcess;
  let base: string;
  beforeAll(async () => {
    primary = spawn(process.execPath, [CLI, 'serve', '--demo', '--workers', '2', '--port', '0', '--data', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: primary.stdout! }).on('line', (line) => {
        const match = /Crowd server URL .*: (http:\/\/\S+)$/.exec(line);
        if (match) resolve(match[1]!);
      });
      primary.once('exit', (code) => reject(new Error(`crowdgate exited with ${code}`)));
    });
  }, 60_000);
  afterAll(() => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const crowd = (path: string) => `${base}/rest/usermanagement/1${path}`;

  test('two worker processes serve; a session made on one is valid, renewed and ended on every worker', async () => {
    expect(childrenOf(primary.pid!)).toHaveLength(2);
    const created = await request(crowd('/session?validate-password=false'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'ada.white',
        'validation-factors': { 'validation-factors': [{ name: 'remote_address', value: '127.0.0.1' }] },
      }),
    });
    expect(created.status).toBe(201);
    const { token, 'expiry-date': expiry } = JSON.parse(created.body) as { token: string; 'expiry-date': number };
    await new Promise((resolve) => setTimeout(resolve, 20));
    const factors = JSON.stringify({ 'validation-factors': [{ name: 'remote_address', value: '127.0.0.1' }] });
    for (let i = 0; i < 2; i++) {
      const renewed = await request(crowd(`/session/${token}`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: factors,
      });
      expect(renewed.status).toBe(200);
      expect((JSON.parse(renewed.body) as { 'expiry-date': number })['expiry-date']).toBeGreaterThan(expiry); // the renewed session, not the old copy
    }
    // Round-robin over two workers: eight fresh connections reach both.
    for (let i = 0; i < 8; i++) {
      const found = await request(crowd(`/session/${token}`));
      expect(found.status).toBe(200);
      expect((JSON.parse(found.body) as { user: { name: string } }).user.name).toBe('ada.white');
    }
    expect((await request(crowd(`/session/${token}`), { method: 'DELETE' })).status).toBe(204);
    for (let i = 0; i < 4; i++) expect((await request(crowd(`/session/${token}`))).status).toBe(404);
  });

  test('configuration made through one worker is in effect on every worker: a new application logs in, a deleted one nowhere', async () => {
    const graphql = async <T>(query: string): Promise<T> => {
      const answer = await request(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer demo' },
        body: JSON.stringify({ query }),
      });
      return (JSON.parse(answer.body) as { data: T }).data;
    };
    const { createApplication } = await graphql<{ createApplication: { generatedPassword: string } }>(
      'mutation { createApplication(input: { name: "confluence", directories: ["demo"] }) { generatedPassword } }',
    );
    const auth = `Basic ${Buffer.from(`confluence:${createApplication.generatedPassword}`).toString('base64')}`;
    // Eight fresh connections, round-robin over both workers, until all agree (the poll is 250 ms; bounded at 10 s).
    const allAnswer = async (status: number) => {
      let seen: number[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        seen = [];
        for (let i = 0; i < 8; i++)
          seen.push(
            (await request(crowd('/search?entity-type=user&max-results=1'), { headers: { authorization: auth } }))
              .status,
          );
        if (seen.every((s) => s === status)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return seen;
    };
    expect(await allAnswer(200)).toEqual(Array(8).fill(200));
    await graphql('mutation { deleteApplication(name: "confluence") }');
    expect(await allAnswer(401)).toEqual(Array(8).fill(401));
  });

  test('GraphQL sync, progress and connection test, and Crowd password checks, reach the engine in the primary', async () => {
    const graphql = async (query: string) =>
      JSON.parse(
        (
          await request(`${base}/graphql`, {
            method: 'POST',
            headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
            body: JSON.stringify({ query }),
          })
        ).body,
      ) as { data?: Record<string, unknown>; errors?: unknown[] };
    for (let i = 0; i < 2; i++) {
      const answer = await graphql('mutation { syncDirectory(name: "demo", full: false) { status mode trigger } }');
      expect(answer.data).toEqual({ syncDirectory: { status: 'succeeded', mode: 'incremental', trigger: 'manual' } });
    }
    expect(
      (await graphql('{ syncProgress(directory: "demo") { phase } testConnection(directory: "demo") { ok } }')).data,
    ).toEqual({
      syncProgress: null,
      testConnection: { ok: true },
    });
    const unknown = await graphql('mutation { syncDirectory(name: "nope") { status } }');
    expect(JSON.stringify(unknown.errors)).toMatch(/Directory nope does not exist/);
    for (let i = 0; i < 4; i++) {
      const good = await request(crowd('/authentication?username=ada.white'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"value":"demo"}',
      });
      expect(good.status).toBe(200);
      const bad = await request(crowd('/authentication?username=ada.white'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"value":"wrong"}',
      });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toMatchObject({ reason: 'INVALID_USER_AUTHENTICATION' });
    }
  });

  test('the HTTP limits hold in every worker: a 32 KiB URL is served, a 70 KiB one gets 431 with the Crowd version header', async () => {
    for (let i = 0; i < 4; i++) {
      // Several connections: round-robin reaches both workers.
      const long = await request(`${base}/rest/usermanagement/1/user?username=${'a'.repeat(32 * 1024)}`, {
        headers: { accept: 'application/xml' },
      });
      expect([400, 404]).toContain(long.status); // the facade's answer (no such user), never 431
      expect(long.version).toMatch(/^Crowd\//);
      const over = await request(`${base}/rest/usermanagement/1/user?username=${'a'.repeat(70 * 1024)}`);
      expect([over.status, over.version]).toEqual([431, expect.stringMatching(/^Crowd\//)]);
      expect(over.body).toContain('<reason>ILLEGAL_ARGUMENT</reason>');
    }
  });

  test('a worker that dies is replaced; SIGTERM stops the primary and every worker', async () => {
    const [victim, survivor] = childrenOf(primary.pid!);
    process.kill(victim!, 'SIGKILL');
    const deadline = Date.now() + 40_000; // a fork builds the schema and compiles the operations: seconds on a loaded machine
    let now: number[] = [];
    while (Date.now() < deadline) {
      now = childrenOf(primary.pid!);
      if (now.length === 2 && !now.includes(victim!)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(now).toHaveLength(2);
    expect(now).toContain(survivor);
    expect(now).not.toContain(victim);
    expect((await request(crowd('/user?username=ada.white'))).status).toBe(200);

    const workers = childrenOf(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(workers.filter(alive)).toEqual([]);
  }, 90_000);

  test('a port already taken: the workers cannot listen, crowdgate says so and exits 2', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-workers-taken-'));
    try {
      const port = (taken.address() as AddressInfo).port;
      const child = spawn(
        process.execPath,
        [CLI, 'serve', '--demo', '--workers', '2', '--port', String(port), '--data', dataDir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(stderr).toContain(`crowdgate: a serving worker could not start: bind EADDRINUSE 127.0.0.1:${port}`);
      expect(code).toBe(2);
    } finally {
      taken.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
