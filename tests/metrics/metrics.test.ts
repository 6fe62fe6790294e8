import CrowdClient from 'atlassian-crowd-client';
import { randomUUID } from 'node:crypto';
import type { TenantState } from '../../src/emulators/core/tenant-state';
import type { Exposition } from './parse';
import { graphql, JIRA_PASSWORD, moved, scrape, startDemoCrowdgate, type DemoCrowdgate } from './harness';

const REQUESTS = 'crowdgate_http_requests_total';
const LATENCY = 'crowdgate_http_request_duration_seconds';
const REFUSALS = 'crowdgate_crowd_application_auth_failures_total';
const PASSWORDS = 'crowdgate_password_checks_total';
const SESSIONS = 'crowdgate_crowd_sso_sessions';
const RUNS = 'crowdgate_sync_runs_total';
const RUN_SECONDS = 'crowdgate_sync_run_duration_seconds';
const CHANGES = 'crowdgate_sync_changes_total';

/** GraphQL `SyncCounts` fields → the `object`/`change` labels of crowdgate_sync_changes_total. */
const CHANGE_LABELS = {
  usersAdded: ['users', 'added'],
  usersUpdated: ['users', 'updated'],
  usersRenamed: ['users', 'renamed'],
  usersDeactivated: ['users', 'deactivated'],
  usersRemoved: ['users', 'removed'],
  groupsAdded: ['groups', 'added'],
  groupsUpdated: ['groups', 'updated'],
  groupsRemoved: ['groups', 'removed'],
  membershipsAdded: ['memberships', 'added'],
  membershipsRemoved: ['memberships', 'removed'],
} as const;
type SyncCounts = Record<keyof typeof CHANGE_LABELS, number>;
const COUNTS = Object.keys(CHANGE_LABELS).join(' ');

/**
 * The metrics of one crowdgate process (`server.workers: 1`), read from `GET /metrics` as a
 * scraper reads them, around real traffic: the demo (engine, in-process Entra emulator, real
 * server), the npm Crowd client, GraphQL. Each test brackets what it does with two scrapes and
 * asserts that the counters moved by exactly that. A scrape is itself a request (`admin`/`metrics`),
 * counted once its answer is sent, so no other family moves with it.
 */
describe('metrics of one crowdgate process', () => {
  let demo: DemoCrowdgate;
  let jira: CrowdClient;
  let users: string[];
  beforeAll(async () => {
    demo = await startDemoCrowdgate();
    jira = new CrowdClient({ baseUrl: `${demo.url}/`, application: { name: 'jira', password: JIRA_PASSWORD } });
    const answer = await graphql<{ users: { nodes: Array<{ name: string; active: boolean }> } }>(
      demo.url,
      '{ users(first: 100) { nodes { name active } } }',
    );
    users = answer.data!.users.nodes.filter((u) => u.active).map((u) => u.name);
  }, 60_000);
  afterAll(() => demo.stop());

  const tenant = () => (demo.crowdgate.engine.directories()[0]!.provider as unknown as { state: TenantState }).state;

  /** Every (door, route) of the latency histogram counts what the request counter counts, over all status classes. */
  function expectHistogramFollowsCounter(m: Exposition): void {
    const count = m.samples(`${LATENCY}_count`);
    expect(count.length).toBeGreaterThan(0);
    for (const { labels, value } of count) {
      expect([labels, value]).toEqual([labels, m.total(REQUESTS, labels)]);
      const buckets = m.samples(`${LATENCY}_bucket`, labels);
      expect(buckets.find((b) => b.labels['le'] === '+Inf')?.value).toBe(value);
      const values = buckets.map((b) => b.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  }

  test('N Crowd user lookups through atlassian-crowd-client: crowd/user/2xx moves by N, a missing user by one 4xx, nothing else in the crowd door', async () => {
    const before = await scrape(demo.url);
    const looked = users.slice(0, 7);
    for (const name of looked) expect((await jira.user.get(name)).username).toBe(name);
    await expect(jira.user.get('nobody-at-all')).rejects.toMatchObject({ type: 'USER_NOT_FOUND' });
    const after = await scrape(demo.url);

    expect(moved(before, after, REQUESTS, { door: 'crowd', route: 'user', status: '2xx' })).toBe(looked.length);
    expect(moved(before, after, REQUESTS, { door: 'crowd', route: 'user', status: '4xx' })).toBe(1);
    expect(moved(before, after, REQUESTS, { door: 'crowd' })).toBe(looked.length + 1);
    expect(moved(before, after, REQUESTS, { door: 'graphql' })).toBe(0);
    // The first scrape is counted once its answer is sent: the second sees it, never itself.
    expect(moved(before, after, REQUESTS, { door: 'admin', route: 'metrics', status: '2xx' })).toBe(1);
    expect(moved(before, after, `${LATENCY}_count`, { door: 'crowd', route: 'user' })).toBe(looked.length + 1);
    expect(moved(before, after, `${LATENCY}_sum`, { door: 'crowd', route: 'user' })).toBeGreaterThan(0);
    expectHistogramFollowsCounter(after);
    // Lookups counted, no password check or refusal.
    expect(moved(before, after, PASSWORDS)).toBe(0);
    expect(moved(before, after, REFUSALS)).toBe(0);
  });

  test('refused applications: a wrong password of jira counts (jira, credentials), an unknown name "(unknown)", a forbidden address (remote, address)', async () => {
    const before = await scrape(demo.url);
    const wrong = new CrowdClient({
      baseUrl: `${demo.url}/`,
      application: { name: 'jira', password: 'not-the-jira-password' },
    });
    await expect(wrong.user.get(users[0]!)).rejects.toMatchObject({ type: 'APPLICATION_ACCESS_DENIED' });
    const stranger = new CrowdClient({
      baseUrl: `${demo.url}/`,
      application: { name: 'confluence-nobody-configured', password: 'whatever-it-is' },
    });
    await expect(stranger.user.get(users[0]!)).rejects.toMatchObject({ type: 'APPLICATION_ACCESS_DENIED' });
    const remote = new CrowdClient({
      baseUrl: `${demo.url}/`,
      application: { name: 'remote', password: JIRA_PASSWORD },
    });
    await expect(remote.user.get(users[0]!)).rejects.toMatchObject({ type: 'APPLICATION_PERMISSION_DENIED' });
    const after = await scrape(demo.url);

    expect(moved(before, after, REFUSALS, { application: 'jira', reason: 'credentials' })).toBe(1);
    expect(moved(before, after, REFUSALS, { application: '(unknown)', reason: 'credentials' })).toBe(1);
    expect(moved(before, after, REFUSALS, { application: 'remote', reason: 'address' })).toBe(1);
    expect(moved(before, after, REFUSALS)).toBe(3);
    // An unknown name is not a label: the set of applications stays bounded.
    expect(
      after
        .samples(REFUSALS)
        .map((s) => s.labels['application'])
        .sort(),
    ).toEqual(['(unknown)', 'jira', 'remote']);
    expect(moved(before, after, REQUESTS, { door: 'crowd', route: 'user', status: '4xx' })).toBe(3);
    expect(moved(before, after, REQUESTS, { door: 'crowd', route: 'user', status: '2xx' })).toBe(0);
    expect(after.text).not.toContain('not-the-jira-password');
    expect(after.text).not.toContain('confluence-nobody-configured');
  });

  test('GraphQL requests count in the graphql door (a refused one as 4xx), not in the crowd door', async () => {
    const before = await scrape(demo.url);
    for (let i = 0; i < 3; i++) expect((await graphql(demo.url, '{ directories { name } }')).status).toBe(200);
    expect((await graphql(demo.url, '{ directories { name } }', {}, 'not-an-admin-token')).status).toBe(401);
    const after = await scrape(demo.url);

    expect(moved(before, after, REQUESTS, { door: 'graphql', route: 'graphql', status: '2xx' })).toBe(3);
    expect(moved(before, after, REQUESTS, { door: 'graphql', route: 'graphql', status: '4xx' })).toBe(1);
    expect(moved(before, after, REQUESTS, { door: 'graphql' })).toBe(4);
    expect(moved(before, after, REQUESTS, { door: 'crowd' })).toBe(0);
    expect(moved(before, after, `${LATENCY}_count`, { door: 'graphql', route: 'graphql' })).toBe(4);
    expectHistogramFollowsCounter(after);
  });

  test('password checks at the provider, by outcome: POST /authentication right and wrong, GraphQL authenticateUser; an unknown user checks nothing', async () => {
    const [user] = users;
    const before = await scrape(demo.url);
    expect(await jira.authentication.authenticate(user!, 'demo')).toMatchObject({ username: user });
    await expect(jira.authentication.authenticate(user!, 'not-demo')).rejects.toMatchObject({
      type: 'INVALID_USER_AUTHENTICATION',
    });
    await expect(jira.authentication.authenticate('nobody-at-all', 'demo')).rejects.toMatchObject({
      type: 'USER_NOT_FOUND',
    });
    const middle = await scrape(demo.url);
    const viaGraphql = await graphql(
      demo.url,
      'mutation($n: String!) { authenticateUser(name: $n, password: "demo") { name } }',
      {
        n: user,
      },
    );
    expect(viaGraphql.data).toEqual({ authenticateUser: { name: user } });
    const after = await scrape(demo.url);

    expect(moved(before, middle, PASSWORDS, { outcome: 'valid' })).toBe(1);
    expect(moved(before, middle, PASSWORDS, { outcome: 'invalid' })).toBe(1);
    expect(moved(before, middle, PASSWORDS)).toBe(2);
    expect(moved(before, middle, REQUESTS, { door: 'crowd', route: 'authentication' })).toBe(3);
    expect(moved(middle, after, PASSWORDS, { outcome: 'valid' })).toBe(1);
    expect(moved(middle, after, PASSWORDS)).toBe(1);
    expect(after.text).not.toContain('not-demo');
  });

  test('POST /session: one more live SSO session (and one password check); its removal takes it back', async () => {
    const before = await scrape(demo.url);
    const session = await jira.session.create(users[1]!, 'demo');
    const during = await scrape(demo.url);
    await jira.session.remove(session.token);
    const after = await scrape(demo.url);

    expect(moved(before, during, SESSIONS)).toBe(1);
    expect(moved(before, during, PASSWORDS, { outcome: 'valid' })).toBe(1);
    expect(moved(before, during, REQUESTS, { door: 'crowd', route: 'session', status: '2xx' })).toBe(1);
    expect(after.value(SESSIONS)).toBe(before.value(SESSIONS));
    expect(during.text).not.toContain(session.token);
  });

  /** `directories { counts warnings }`, the same sources the gauges read. */
  async function directoryView() {
    const answer = await graphql<{
      directories: Array<{
        name: string;
        counts: { users: number; activeUsers: number; groups: number; memberships: number };
        warnings: string[];
      }>;
    }>(demo.url, '{ directories { name counts { users activeUsers groups memberships } warnings } }');
    return answer.data!.directories;
  }

  /** The store gauges say what GraphQL says, and the alerts gauge counts the warnings, directory by directory. */
  async function expectGaugesMatchApi(m: Exposition) {
    const directories = await directoryView();
    expect(directories.length).toBeGreaterThan(0);
    for (const d of directories) {
      const objects = (object: string) => m.value('crowdgate_store_objects', { directory: d.name, object });
      expect({
        users: objects('users'),
        activeUsers: objects('active_users'),
        groups: objects('groups'),
        memberships: objects('memberships'),
      }).toEqual(d.counts);
      expect(m.total('crowdgate_directory_alerts', { directory: d.name })).toBe(d.warnings.length);
    }
    return directories;
  }

  function changesMoved(before: Exposition, after: Exposition): SyncCounts {
    const result = {} as SyncCounts;
    for (const [field, [object, change]] of Object.entries(CHANGE_LABELS))
      result[field as keyof SyncCounts] = moved(before, after, CHANGES, { directory: 'demo', object, change });
    return result;
  }

  test("a sync run: one succeeded run, its duration observed, sync_changes_total moved by the run's counts, store_objects as GraphQL counts them", async () => {
    const state = tenant();
    const [someone, other, leaver] = [...state.users.values()].filter((u) => u.enabled);
    const group = [...state.groups.values()].find((g) => !g.userIds.has(other!.id))!;
    state.updateUser(someone!.id, { displayName: 'Metrics Renamed-Display' });
    state.createUser({
      ...someone!,
      id: randomUUID(),
      login: 'new.starter@example.com',
      mail: 'new.starter@example.com',
      mailNickname: 'new.starter',
      givenName: 'New',
      surname: 'Starter',
      displayName: 'New Starter',
      employeeId: '999001',
    });
    state.deleteUser(leaver!.id);
    state.addMember(group.id, other!.id);
    state.createGroup({ ...group, id: randomUUID(), name: 'Metrics Guild', mailNickname: 'metrics-guild' });
    const before = await scrape(demo.url);
    await expectGaugesMatchApi(before);
    const run = await graphql<{ syncDirectory: { status: string; mode: string; counts: SyncCounts } }>(
      demo.url,
      `mutation { syncDirectory(name: "demo") { status mode counts { ${COUNTS} } } }`,
    );
    const after = await scrape(demo.url);

    const { status, mode, counts } = run.data!.syncDirectory;
    expect([status, mode]).toEqual(['succeeded', 'full']);
    expect(counts).toMatchObject({ usersAdded: 1, usersUpdated: 1, groupsAdded: 1 });
    expect(changesMoved(before, after)).toEqual(counts);
    expect(moved(before, after, RUNS, { directory: 'demo', mode: 'full', outcome: 'succeeded' })).toBe(1);
    expect(moved(before, after, RUNS)).toBe(1);
    expect(moved(before, after, `${RUN_SECONDS}_count`, { directory: 'demo', mode: 'full' })).toBe(1);
    expect(moved(before, after, `${RUN_SECONDS}_sum`, { directory: 'demo', mode: 'full' })).toBeGreaterThan(0);
    expect(after.value('crowdgate_sync_last_success_age_seconds', { directory: 'demo' })).toBeLessThan(30);
    expect(after.value('crowdgate_sync_runs_awaiting_approval', { directory: 'demo' })).toBe(0);
    // The store gauges were recounted: the directory's data version moved.
    const [directory] = await expectGaugesMatchApi(after);
    expect(after.value('crowdgate_store_objects', { directory: 'demo', object: 'groups' })).toBe(
      before.value('crowdgate_store_objects', { directory: 'demo', object: 'groups' })! + 1,
    );
    expect(directory!.warnings).toEqual([]);
  });

  test('a plan over the removal threshold: counted awaiting-approval, the alert and the gauge as GraphQL warns; its approval counts the applied changes, its time once', async () => {
    const state = tenant();
    for (const id of [...state.users.keys()].slice(0, 8)) state.deleteUser(id);
    const before = await scrape(demo.url);
    const held = await graphql<{ syncDirectory: { id: number; status: string; counts: SyncCounts } }>(
      demo.url,
      `mutation { syncDirectory(name: "demo") { id status counts { ${COUNTS} } } }`,
    );
    expect(held.data!.syncDirectory.status).toBe('awaiting-approval');
    const waiting = await scrape(demo.url);

    expect(moved(before, waiting, RUNS, { directory: 'demo', mode: 'full', outcome: 'awaiting-approval' })).toBe(1);
    expect(moved(before, waiting, RUNS)).toBe(1);
    expect(moved(before, waiting, `${RUN_SECONDS}_count`)).toBe(1);
    expect(Object.values(changesMoved(before, waiting))).toEqual(Array(10).fill(0));
    expect(waiting.value('crowdgate_sync_runs_awaiting_approval', { directory: 'demo' })).toBe(1);
    expect(waiting.value('crowdgate_directory_alerts', { directory: 'demo', alert: 'AWAITING_APPROVAL' })).toBe(1);
    const [directory] = await expectGaugesMatchApi(waiting);
    expect(directory!.warnings).toHaveLength(1);

    const approved = await graphql<{ approveSync: { status: string; counts: SyncCounts } }>(
      demo.url,
      `mutation { approveSync(runId: ${held.data!.syncDirectory.id}) { status counts { ${COUNTS} } } }`,
    );
    expect(approved.data!.approveSync.status).toBe('succeeded');
    const after = await scrape(demo.url);

    expect(moved(waiting, after, RUNS, { directory: 'demo', mode: 'full', outcome: 'succeeded' })).toBe(1);
    expect(moved(waiting, after, RUNS)).toBe(1);
    // The plan's time was observed when it was held; the approval adds a run, not a duration.
    expect(moved(waiting, after, `${RUN_SECONDS}_count`)).toBe(0);
    const applied = changesMoved(waiting, after);
    expect(applied).toEqual(approved.data!.approveSync.counts);
    expect(applied.usersRemoved + applied.usersDeactivated).toBe(8);
    expect(after.value('crowdgate_sync_runs_awaiting_approval', { directory: 'demo' })).toBe(0);
    expect(after.total('crowdgate_directory_alerts')).toBe(0);
    await expectGaugesMatchApi(after);
  });

  test("Node's default process metrics are there, and every crowdgate family is described", async () => {
    const m = await scrape(demo.url);
    expect(m.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(m.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(m.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    for (const family of m.families.values())
      if (family.name.startsWith('crowdgate_'))
        expect([family.name, family.help]).toEqual([family.name, expect.any(String)]);
    expect([...m.families.values()].filter((f) => f.name.startsWith('crowdgate_') && f.help === '')).toEqual([]);
    // No TLS configured: no certificate expiry.
    expect(m.has('crowdgate_tls_certificate_expiry_seconds')).toBe(false);
  });
});
