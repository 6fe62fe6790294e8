import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOktaEmulator, type RunningOktaEmulator } from '../../src/emulators/okta';
import { closeAfterAnswerWhileDraining, closeGracefully, keepUnflushedAnswers } from '../../src/http/graceful-close';
import { hashPassword } from '../../src/security/password-hash';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { serve, type Serving } from '../helpers/serving-process';
import { scrubOktaEnvironment } from '../emulators/okta/helpers';

const APP = 'jira';
const APP_PASSWORD = 'jira-secret';
const AUTH = `Basic ${Buffer.from(`${APP}:${APP_PASSWORD}`).toString('base64')}`;
const ADMIN_TOKEN = 'graceful-stop-admin-token-0123';
const STOPPING = 'stopping: draining requests, abandoning runs that are still reading';
const ABANDONED = 'abandoned: crowdgate is stopping; nothing was applied';

async function writeConfig(dir: string, lines: readonly string[]): Promise<string> {
  const file = join(dir, 'crowdgate.yaml');
  writeFileSync(
    file,
    [
      ...lines,
      'dataDir: ./data',
      'adminTokens:',
      `  - { name: tests, token: ${ADMIN_TOKEN} }`,
      'applications:',
      `  - name: ${APP}`,
      `    passwordHash: "${await hashPassword(APP_PASSWORD)}"`,
      '    directories: [corp]',
      '',
    ].join('\n'),
  );
  return file;
}

/** Connects to the server of `url`; rejects with the socket's error (ECONNREFUSED once it stopped listening). */
async function connectTo(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await Promise.race([once(socket, 'connect'), once(socket, 'error').then(([error]) => Promise.reject(error))]);
  return socket;
}

/**
 * Connects until the port refuses; resolves with the number of attempts. "stopping" is logged just
 * before the listener closes, so one connection may still come in between: the server closes it
 * unanswered (idle) or the kernel resets it (queued, never accepted); the next one is refused.
 */
async function attemptsUntilRefused(url: string): Promise<number> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    try {
      const socket = await connectTo(url);
      socket.on('error', () => undefined);
      await once(socket, 'close');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED') return attempt;
      if (code !== 'ECONNRESET') throw error;
    }
  }
  throw new Error('the port still accepts connections');
}

/** Everything `socket` receives until the server closes it. */
function received(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) => socket.once('close', () => resolve(text)));
}

/** A GET on a connection of its own; resolves with the response as soon as its head has arrived. */
function get(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false, headers }, resolve).on('error', reject);
  });
}

/** A POST of a GraphQL document with the administrator token; resolves with the parsed answer. */
function graphql(url: string, query: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(body) as { data?: Record<string, unknown> }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ query }));
  });
}

/**
 * `crowdgate serve` stopping on SIGTERM, as a real process in production mode (src/cli/serve.ts,
 * src/http/graceful-close.ts, SyncEngine.abandonRuns): requests under way finish within
 * `server.shutdownGraceSeconds`, nothing new is accepted, a run still reading applies nothing,
 * and the process exits 0 once it logged "stopped". No step waits for a time: each waits for an
 * event (a log line, bytes, a provider request, the exit).
 */
describe('crowdgate serve stops gracefully on SIGTERM', () => {
  const dirs: string[] = [];
  let serving: Serving | undefined;
  const workDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'crowdgate-graceful-stop-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    if (serving && serving.child.exitCode === null && serving.child.signalCode === null) {
      serving.child.kill('SIGKILL');
      await serving.exited;
    }
    serving = undefined;
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a membership stream under way ends as a whole document, a request arriving while draining is answered with Connection: close, new connections are refused, exit 0', async () => {
    // 500 groups, ~2 MB of XML: far more than the sockets buffer while the client does not read.
    const config = await writeConfig(workDir(), [
      'server: { host: 127.0.0.1, port: 0 }',
      'directories:',
      '  - { name: corp, provider: demo, demo: { users: 5000, groups: 500 } }',
    ]);
    serving = await serve(config);
    const { url } = serving;

    // A request whose head is still arriving when SIGTERM comes: the drain waits for it.
    const late = await connectTo(url);
    const lateAnswer = received(late);
    late.write('GET /healthz HTTP/1.1\r\nHost: crowdgate\r\n');

    // A stream read through a raw client that stops reading after the first bytes.
    const stream = await get(`${url}/rest/usermanagement/1/group/membership`, { authorization: AUTH });
    expect(stream.statusCode).toBe(200);
    let body = '';
    stream.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      stream.once('data', (chunk: string) => {
        body += chunk;
        stream.pause();
        resolve();
      }),
    );
    const streamEnded = new Promise<void>((resolve, reject) => {
      stream.once('end', resolve);
      stream.once('aborted', () => reject(new Error(`stream cut after ${body.length} characters`)));
      stream.once('error', reject);
    });
    let exitedFirst = false;
    void serving.exited.then(() => (exitedFirst = true));

    const stopping = serving.logged(STOPPING);
    serving.child.kill('SIGTERM');
    await stopping;

    // New connections are refused while the drain goes on.
    expect(await attemptsUntilRefused(url)).toBeLessThanOrEqual(2);

    // The late request is answered, and its connection closed after the answer.
    late.write('\r\n');
    const answer = await lateAnswer;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer.endsWith('{"status":"ok"}')).toBe(true);

    // The stream goes on where it paused and ends as a complete document.
    expect(exitedFirst).toBe(false); // the process waits for it
    stream.on('data', (chunk: string) => (body += chunk));
    stream.resume();
    await streamEnded;
    expect(body.startsWith('<?xml')).toBe(true);
    expect(body.endsWith('</memberships>')).toBe(true);
    expect(body.match(/<membership /g)).toHaveLength(500);
    expect(body.match(/<\/membership>/g)).toHaveLength(500);

    expect(await serving.exited).toBe(0);
    const messages = serving.lines().map((line) => line.message);
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf(STOPPING));
  }, 120_000);

  describe('a full sync reading from a slow provider', () => {
    let emulator: RunningOktaEmulator;
    beforeAll(async () => {
      scrubOktaEnvironment();
      emulator = await startOktaEmulator({
        tenant: { seed: 'graceful-stop', users: 400, groups: 100, domain: 'example.test' },
      });
    });
    afterAll(() => emulator.close());

    test('SIGTERM while it reads: the run is recorded as failed ("abandoned"), the directory keeps exactly what it had, the waiting syncDirectory is answered, exit 0', async () => {
      const dir = workDir();
      const okta = (emulator.directoryConfig('corp') as { okta: Record<string, unknown> }).okta;
      const config = await writeConfig(dir, [
        'server: { host: 127.0.0.1, port: 0 }',
        'directories:',
        '  - name: corp',
        '    provider: okta',
        `    okta: ${JSON.stringify(okta)}`,
        // No scheduled runs: the only run during the test is the one it asks for.
        '    schedule: { fullMinutes: 0, incrementalSeconds: 0 }',
      ]);
      // The first start synchronises the directory before it serves (it never was).
      serving = await serve(config);
      const store: Store = openSqliteStore(join(dir, 'data'));
      try {
        const corp = (await store.listDirectories()).find((d) => d.name === 'corp')!;
        const before = await store.loadDirectoryContents(corp.id);
        expect(before.users.length).toBeGreaterThan(300);
        expect(before.userMemberships.length).toBeGreaterThan(0);
        const runsBefore = await store.listRuns({ directoryId: corp.id, limit: 10 });
        expect(runsBefore.map((run) => run.status)).toEqual(['succeeded']);

        // Upstream changes that a completed run would apply; every request now takes 300 ms.
        const members = [...emulator.state.users.values()].filter((u) => emulator.state.groupsOfUser(u.id).length > 0);
        emulator.state.deleteUser(members[0]!.id);
        emulator.state.updateUser(members[1]!.id, { displayName: 'Changed While Stopping' });
        emulator.faults.update({ latencyMs: 300 });
        // The run is reading once the provider is asked for a group's members (the sync's page size: 1000).
        const reading = new Promise<void>((resolve) => {
          const intercept = emulator.faults.intercept.bind(emulator.faults);
          emulator.faults.intercept = (request, response) => {
            if (/^\/api\/v1\/groups\/[^/?]+\/users\?limit=1000/.test(request.url ?? '')) resolve();
            return intercept(request, response);
          };
        });

        const answer = graphql(serving.url, 'mutation { syncDirectory(name: "corp", full: true) { status error } }');
        await reading;
        serving.child.kill('SIGTERM');

        expect(await answer).toEqual({ data: { syncDirectory: { status: 'failed', error: ABANDONED } } });
        expect(await serving.exited).toBe(0);
        expect(serving.lines().map((line) => line.message)).toContain('stopped');

        expect(await store.loadDirectoryContents(corp.id)).toEqual(before);
        const [latest, ...older] = await store.listRuns({ directoryId: corp.id, limit: 10 });
        expect(latest).toMatchObject({ status: 'failed', mode: 'full', trigger: 'manual', error: ABANDONED });
        expect(latest!.finishedAt).toBeInstanceOf(Date);
        expect(older).toEqual(runsBefore);
      } finally {
        await store.close();
      }
    }, 120_000);
  });

  test('a request that never ends does not hold the stop: it is cut after server.shutdownGraceSeconds and the process exits 0', async () => {
    const config = await writeConfig(workDir(), [
      'server: { host: 127.0.0.1, port: 0, shutdownGraceSeconds: 1 }',
      'directories:',
      '  - { name: corp, provider: demo, demo: { users: 20, groups: 3 } }',
    ]);
    serving = await serve(config);

    // An upload that stops after its first byte; `100 Continue` proves the server took the request.
    const upload = await connectTo(serving.url);
    const uploadReceived = received(upload);
    const continued = new Promise<void>((resolve) =>
      upload.on('data', (chunk: Buffer) => chunk.toString().startsWith('HTTP/1.1 100 Continue') && resolve()),
    );
    upload.write(
      [
        'POST /rest/usermanagement/1/authentication?username=nobody HTTP/1.1',
        'Host: crowdgate',
        `Authorization: ${AUTH}`,
        'Content-Type: application/json',
        'Accept: application/json',
        'Content-Length: 100000',
        'Expect: 100-continue',
        '',
        '',
      ].join('\r\n'),
    );
    await continued;
    upload.write('{');

    const signalled = Date.now();
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
    // Not before the grace period (the request was under way), and the connection was cut.
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(900);
    expect(await uploadReceived).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    expect(serving.lines().map((line) => line.message)).toContain('stopped');
  }, 60_000);
});

/** The drain itself (src/http/graceful-close.ts), on a plain Node server where every state can be watched. */
describe('closeGracefully', () => {
  test('an answer complete on the server but not yet read by a slow client is delivered whole', async () => {
    // 8 MiB: more than the sockets buffer while the client does not read, so the end stays in the process.
    const big = 'x'.repeat(8 * 1024 * 1024);
    let answer!: ServerResponse;
    let answered!: () => void;
    const ended = new Promise<void>((resolve) => (answered = resolve));
    const server = http.createServer((_request, response) => {
      answer = response;
      response.end(big);
      answered();
    });
    closeAfterAnswerWhileDraining(server);
    keepUnflushedAnswers(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true });
    try {
      const response = await new Promise<IncomingMessage>((resolve) =>
        http.get(`http://127.0.0.1:${port}/`, { agent }, resolve),
      );
      response.pause();
      await ended;
      expect(answer.writableFinished).toBe(false); // ended, still buffered here

      const closing = closeGracefully(server, 30_000);
      let length = 0;
      response.on('data', (chunk: Buffer) => (length += chunk.length));
      const outcome = new Promise<string>((resolve) => {
        response.once('end', () => resolve('end'));
        response.once('aborted', () => resolve('aborted'));
      });
      response.resume();
      expect([await outcome, length]).toEqual(['end', big.length]);
      await closing; // the keep-alive connection left idle is closed by the sweep
    } finally {
      agent.destroy();
      server.closeAllConnections();
    }
  });
});
