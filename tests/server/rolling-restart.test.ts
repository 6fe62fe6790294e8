import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI } from '../cli/helpers';

const AUTH = `Basic ${Buffer.from('demo:demo').toString('base64')}`;

interface LogLine {
  readonly message?: string;
  readonly [field: string]: unknown;
}

/** Process ids whose parent is `pid` (Linux /proc): the serving workers of a primary. */
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
  return children.sort((a, b) => a - b);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A request without an answer this long counts as failed (a lost connection), so the test never hangs. */
const ANSWER_TIMEOUT_MS = 15_000;

/** One request on a connection of its own (no keep-alive): consecutive requests spread over the workers. */
function request(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: init.method ?? 'GET',
        agent: false,
        timeout: ANSWER_TIMEOUT_MS,
        headers: { authorization: AUTH, accept: 'application/json', ...init.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer'), { code: 'NO_ANSWER' })));
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * `crowdgate serve --workers 2` as a real process in production mode (NODE_ENV unset: jest's
 * NODE_ENV=test changes libraries' signal handling): SIGUSR2 to the primary replaces the serving
 * workers one by one while a client sends requests back to back, each on a new connection, and
 * not one of them fails; the workers ignore SIGTERM sent to them directly; SIGTERM to the primary
 * drains every worker and exits 0. Every wait is for an event (a log line, an answer, an exit),
 * bounded by the tests' timeouts.
 */
describe('rolling restart of serving workers (SIGUSR2)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-rolling-'));
  let primary: ChildProcess;
  let base: string;
  const lines: LogLine[] = [];
  const waiting: Array<{ message: string; resolve: (line: LogLine) => void }> = [];
  /** The next log line with `message` written after this call. */
  const nextLogged = (message: string) => new Promise<LogLine>((resolve) => waiting.push({ message, resolve }));
  let exited: Promise<number | string | null>;

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CROWDGATE_LOG_FORMAT: 'json' };
    delete env['NODE_ENV'];
    delete env['CROWDGATE_LOG_LEVEL'];
    primary = spawn(process.execPath, [CLI, 'serve', '--demo', '--workers', '2', '--port', '0', '--data', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    exited = new Promise((resolve) => primary.once('exit', (code, signal) => resolve(code ?? signal)));
    createInterface({ input: primary.stderr! }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        return;
      }
      lines.push(line);
      for (const waiter of waiting.filter((w) => w.message === line.message)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    });
    base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: primary.stdout! }).on('line', (line) => {
        const match = /Crowd server URL .*: (http:\/\/\S+)$/.exec(line);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`crowdgate exited with ${code}`)));
    });
  }, 90_000);
  afterAll(() => {
    if (primary.exitCode === null && primary.signalCode === null) {
      for (const pid of childrenOf(primary.pid!)) process.kill(pid, 'SIGKILL');
      primary.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const crowd = (path: string) => `${base}/rest/usermanagement/1${path}`;
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

  test('SIGUSR2 replaces both workers one by one while requests on new connections go on: none fails', async () => {
    const before = childrenOf(primary.pid!);
    expect(before).toHaveLength(2);

    // Requests back to back, each on a new connection, until told to stop.
    let served = 0;
    /** When SIGUSR2 was sent: a failure says how long after. */
    let t0 = Date.now();
    const failures: string[] = [];
    let running = true;
    let firstServed!: () => void;
    const warmedUp = new Promise<void>((resolve) => (firstServed = resolve));
    const client = (async () => {
      while (running) {
        try {
          const answer = await request(crowd('/user?username=ada.white'));
          if (answer.status === 200) served++;
          else failures.push(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
        } catch (error) {
          failures.push(`${String((error as NodeJS.ErrnoException).code ?? error)} at ${Date.now() - t0} ms`);
        }
        if (served >= 5 || failures.length > 0) firstServed();
      }
    })();
    try {
      await warmedUp;
      const replaced = nextLogged('serving workers replaced');
      const servedBefore = served;
      t0 = Date.now();
      primary.kill('SIGUSR2');
      const done = await replaced;
      const servedDuring = served - servedBefore;

      const after = childrenOf(primary.pid!);
      expect(after).toHaveLength(2);
      expect(after.filter((pid) => before.includes(pid))).toEqual([]);
      expect([...(done['workerPids'] as number[])].sort((a, b) => a - b)).toEqual(after);
      expect(before.filter(alive)).toEqual([]);
      expect(servedDuring).toBeGreaterThan(0);
    } finally {
      running = false;
      await client;
    }
    expect(failures).toEqual([]);
    // Both new workers serve.
    for (let i = 0; i < 4; i++) expect((await request(crowd('/user?username=ada.white'))).status).toBe(200);
  }, 120_000);

  test('a worker ignores SIGTERM and SIGINT sent to it (the primary decides): both still serve Crowd and GraphQL', async () => {
    const workers = childrenOf(primary.pid!);
    expect(workers).toHaveLength(2);
    for (const pid of workers) {
      process.kill(pid, 'SIGTERM');
      process.kill(pid, 'SIGINT');
    }
    // Round-robin over two workers: eight new connections reach both.
    for (let i = 0; i < 8; i++) {
      expect((await request(crowd('/user?username=ada.white'))).status).toBe(200);
      expect(await graphql('{ syncProgress(directory: "demo") { phase } }')).toEqual({
        data: { syncProgress: null },
      });
    }
    expect(childrenOf(primary.pid!)).toEqual(workers);
    expect(workers.filter(alive)).toEqual(workers);
  }, 60_000);

  test('SIGTERM to the primary drains every worker and exits 0', async () => {
    const workers = childrenOf(primary.pid!);
    expect(workers).toHaveLength(2);
    const stopped = nextLogged('stopped');
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await stopped;
    expect(workers.filter(alive)).toEqual([]);
    expect(lines.filter((line) => line.message === 'serving worker exited; starting another')).toEqual([]);
  }, 90_000);
});
