import CrowdClient from 'atlassian-crowd-client';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOktaEmulator, type RunningOktaEmulator } from '../../src/emulators/okta';
import { hashPassword } from '../../src/security/password-hash';
import { PostgresStore } from '../../src/store/postgres/postgres-store';
import type { Store } from '../../src/store/store';
import type { SyncRun } from '../../src/store/sync-records';
import { scrubOktaEnvironment } from '../emulators/okta/helpers';
import { describePostgres, freshDatabase } from '../helpers/postgres';
import { serve, type Serving } from '../helpers/serving-process';

const APP = 'jira';
const APP_PASSWORD = 'jira-secret';
const ADMIN_TOKEN = 'two-nodes-admin-token-0123456789';
const USER_PASSWORD = 'correct horse battery staple';
const LEADS = 'this node leads: it runs the sync schedule';
const FOLLOWS = 'this node follows: another node runs the sync schedule';

/** Every node of one deployment shares the secret key (it opens the secrets sealed in the store). */
const SHARED_ENV = { CROWDGATE_SECRET_KEY: randomBytes(32).toString('base64') };

async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: T };
}

/** A Crowd REST call as Jira makes it (JSON), for what the npm client has no method for (events). */
async function crowdJson<T>(node: Serving, path: string): Promise<T> {
  const response = await fetch(`${node.url}/rest/usermanagement/1${path}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${APP}:${APP_PASSWORD}`).toString('base64')}`,
      accept: 'application/json',
    },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface EventPage {
  readonly newEventToken: string;
  readonly events: Array<{ type: string; operation: string; user?: { name: string; 'display-name'?: string } }>;
}

/** Polls `read` until `done` holds for its value (each poll is a store read; the jest timeout bounds it). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Two `crowdgate serve` processes on one PostgreSQL database (src/nodes/): exactly one leads and
 * runs the syncs, both serve Crowd and GraphQL from the shared store, SSO sessions and event
 * tokens are valid on both, configuration changes reach the other node, and when the leader is
 * killed in the middle of a sync the other takes over: nothing half-applied, the next run succeeds.
 */
describePostgres('several crowdgate nodes on one PostgreSQL store', () => {
  let emulator: RunningOktaEmulator;
  let url: string;
  let store: Store;
  const dirs: string[] = [];
  const nodes: Serving[] = [];

  beforeAll(async () => {
    scrubOktaEnvironment();
    emulator = await startOktaEmulator({
      tenant: { seed: 'two-nodes', users: 300, groups: 40, domain: 'example.test' },
      defaultPassword: USER_PASSWORD,
    });
  });
  afterAll(async () => {
    await emulator.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    url = await freshDatabase('nodes');
    store = await PostgresStore.open({ url, poolSize: 2 });
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) {
      if (node.child.exitCode === null && node.child.signalCode === null) {
        node.child.kill('SIGKILL');
        await node.exited;
      }
    }
    await store.close();
  });

  async function configFile(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'crowdgate-node-'));
    dirs.push(dir);
    const okta = (emulator.directoryConfig('corp') as { okta: Record<string, unknown> }).okta;
    const file = join(dir, 'crowdgate.yaml');
    writeFileSync(
      file,
      [
        'server: { host: 127.0.0.1, port: 0 }',
        `store: { kind: postgres, url: "${url}", poolSize: 4 }`,
        'dataDir: ./data',
        'adminTokens:',
        `  - { name: tests, token: ${ADMIN_TOKEN} }`,
        'directories:',
        '  - name: corp',
        '    provider: okta',
        `    okta: ${JSON.stringify({ ...okta, passwordAuthentication: true })}`,
        // No schedule: the runs are the leader's first run and those the test asks for.
        '    schedule: { fullMinutes: 0, incrementalSeconds: 0 }',
        'applications:',
        `  - name: ${APP}`,
        `    passwordHash: "${await hashPassword(APP_PASSWORD)}"`,
        '    directories: [corp]',
        '',
      ].join('\n'),
    );
    return file;
  }

  async function startNode(): Promise<Serving> {
    const node = await serve(await configFile(), SHARED_ENV);
    nodes.push(node);
    return node;
  }

  const corpId = async () => (await store.listDirectories()).find((d) => d.name === 'corp')!.id;
  const runs = async (): Promise<SyncRun[]> => store.listRuns({ directoryId: await corpId(), limit: 20 });
  const crowd = (node: Serving) =>
    new CrowdClient({ baseUrl: `${node.url}/`, application: { name: APP, password: APP_PASSWORD } });

  /** Starts two nodes together; answers them leader first, once the leader's first run succeeded. */
  async function startPair(): Promise<[Serving, Serving]> {
    const pair = await Promise.all([startNode(), startNode()]);
    const leader = await Promise.race(pair.map((node) => node.logged(LEADS).then(() => node)));
    const follower = pair.find((node) => node !== leader)!;
    await until(runs, (list) => list.some((run) => run.status === 'succeeded'));
    return [leader, follower];
  }

  test('one first sync (not two); the follower serves every user to the npm Crowd client; an SSO session of one node is valid on the other', async () => {
    const [leader, follower] = await startPair();
    const all = await runs();
    expect(all.map((run) => [run.status, run.trigger])).toEqual([['succeeded', 'startup']]);
    expect(follower.lines().map((line) => line.message)).not.toContain(LEADS);

    // Every user through the follower, from the store the leader wrote.
    const expected = [...emulator.state.users.values()].length;
    const names = (await crowd(follower).search.user('name=*', false, 0, 10_000)) as string[];
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBe((await store.directoryCounts(await corpId())).users);
    expect(names.length).toBeLessThanOrEqual(expected);

    // SSO: created through the leader, validated, renewed and ended through the follower.
    const someone = names[0]!;
    const session = await crowd(leader).session.create(someone, USER_PASSWORD);
    const seen = await crowd(follower).session.getUser(session.token);
    expect(seen.username).toBe(someone);
    await crowd(follower).session.remove(session.token);
    await expect(crowd(leader).session.getUser(session.token)).rejects.toMatchObject({ type: 'INVALID_SSO_TOKEN' });

    // Still one run: the follower never ran one.
    expect((await runs()).length).toBe(1);
  }, 120_000);

  test('a change of configuration on one node is in effect on the other; a sync asked on the follower is run by the leader, and Jira-style incremental sync through the follower gets exactly its events', async () => {
    const [leader, follower] = await startPair();

    // An application made through the leader's GraphQL answers Crowd requests on the follower.
    const made = await graphql(
      leader.url,
      'mutation { createApplication(input: { name: "confluence", password: "confluence-secret-1", directories: ["corp"] }) { application { name } } }',
    );
    expect(made.errors).toBeUndefined();
    const confluence = new CrowdClient({
      baseUrl: `${follower.url}/`,
      application: { name: 'confluence', password: 'confluence-secret-1' },
    });
    const [someone] = (await crowd(follower).search.user('name=*', false, 0, 1)) as string[];
    await until(
      () =>
        confluence.user.get(someone!).then(
          () => true,
          () => false,
        ),
      (ok) => ok,
    );

    // Jira's incremental sync against the follower: a token, changes applied by the leader, the events.
    const { newEventToken: token } = await crowdJson<EventPage>(follower, '/event');
    const members = [...emulator.state.users.values()].filter((u) => emulator.state.groupsOfUser(u.id).length > 0);
    const renamed = members[0]!;
    emulator.state.updateUser(renamed.id, { displayName: 'Renamed On Leader' });
    const sync = await graphql<{ syncDirectory: { status: string } }>(
      follower.url,
      'mutation { syncDirectory(name: "corp", full: true) { status } }',
    );
    expect(sync).toEqual({ data: { syncDirectory: { status: 'succeeded' } } });
    const latest = (await runs())[0]!;
    expect(latest.trigger).toBe('manual');
    const page = await crowdJson<EventPage>(follower, `/event/${encodeURIComponent(token)}`);
    expect(page.events.map((event) => [event.type, event.operation, event.user?.['display-name']])).toEqual([
      ['userEvent', 'UPDATED', 'Renamed On Leader'],
    ]);
    // Read again from the new token: nothing more.
    expect((await crowdJson<EventPage>(leader, `/event/${encodeURIComponent(page.newEventToken)}`)).events).toEqual([]);
  }, 120_000);

  test('failed logins counted by one node count on the other', async () => {
    const [leader, follower] = await startPair();
    const wrong = (node: Serving) =>
      new CrowdClient({ baseUrl: `${node.url}/`, application: { name: APP, password: 'not-the-password' } });
    for (let i = 0; i < 10; i++)
      await expect(wrong(leader).user.get('anyone')).rejects.toMatchObject({ type: 'APPLICATION_ACCESS_DENIED' });
    type Limits = { loginLimits: { application: { blocked: number; refused: number; failed: number } } };
    const limits = async () =>
      (await graphql<Limits>(follower.url, '{ loginLimits { application { blocked refused failed } } }')).data!
        .loginLimits.application;
    await until(limits, (application) => application.blocked === 1);
    // The follower refuses the eleventh guess without checking it: it never saw a failure itself.
    await expect(wrong(follower).user.get('anyone')).rejects.toMatchObject({ type: 'APPLICATION_ACCESS_DENIED' });
    expect(await limits()).toEqual({ blocked: 1, refused: 1, failed: 0 });
  }, 120_000);

  test('kill -9 of the leader in the middle of a sync: the store is unchanged, the other node leads and its run succeeds', async () => {
    const [leader, follower] = await startPair();
    const corp = await corpId();
    const before = await store.loadDirectoryContents(corp);
    const runsBefore = await runs();

    const members = [...emulator.state.users.values()].filter((u) => emulator.state.groupsOfUser(u.id).length > 0);
    emulator.state.updateUser(members[1]!.id, { displayName: 'Changed While Failing Over' });
    emulator.faults.update({ latencyMs: 200 });
    const reading = new Promise<void>((resolve) => {
      const intercept = emulator.faults.intercept.bind(emulator.faults);
      emulator.faults.intercept = (request, response) => {
        if (/^\/api\/v1\/groups\/[^/?]+\/users\?limit=1000/.test(request.url ?? '')) resolve();
        return intercept(request, response);
      };
    });
    try {
      // Asked on the follower, run by the leader, which dies while it reads.
      const answer = graphql<{ syncDirectory: { status: string } }>(
        follower.url,
        'mutation { syncDirectory(name: "corp", full: true) { status } }',
      );
      await reading;
      const running = await until(runs, (list) => list[0]?.status === 'running');
      leader.child.kill('SIGKILL');
      await leader.exited;
      expect(await store.loadDirectoryContents(corp)).toEqual(before);

      await follower.logged(LEADS);
      const failed = await answer;
      expect(failed.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      emulator.faults.update({ latencyMs: 0 });
      const after = await until(runs, (list) => list[0]?.status === 'succeeded' && list.length > runsBefore.length + 1);
      const orphan = after.find((run) => run.id === running[0]!.id)!;
      expect(orphan).toMatchObject({ status: 'failed' });
      expect(orphan.error).toMatch(/stopped before it finished/);
      expect(after[0]).toMatchObject({ status: 'succeeded', trigger: 'startup' });
      const changed = (await store.loadDirectoryContents(corp)).users.filter(
        (u) => u.displayName === 'Changed While Failing Over',
      );
      expect(changed.length).toBe(1);
      expect(follower.lines().map((line) => line.message)).toContain(FOLLOWS);
    } finally {
      emulator.faults.update({ latencyMs: 0 });
    }
  }, 180_000);
});
