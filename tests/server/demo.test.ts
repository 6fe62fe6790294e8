import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from '../../src/config/demo';
import { startCrowdgate } from '../../src/server/bootstrap';
import { silentLogger } from '../../src/logging/logger';

/** `crowdgate serve --demo`, through the real provider → sync → store path, twice on one data dir. */
describe('the embedded demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function runOnce() {
    const crowdgate = await startCrowdgate(await demoConfig({ port: 0, dataDir }), silentLogger);
    try {
      await Promise.all(crowdgate.engine.directories().map((d) => crowdgate.engine.idle(d.directory.id)));
      const graphql = async <T>(query: string): Promise<T> => {
        const response = await fetch(`${crowdgate.server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer demo' },
          body: JSON.stringify({ query }),
        });
        return ((await response.json()) as { data: T }).data;
      };
      const counts = await graphql<{
        users: { totalCount: number; nodes: Array<{ name: string }> };
        active: { totalCount: number };
        groups: { totalCount: number };
        jsu: { local: boolean; users: { totalCount: number } };
        nested: { totalCount: number };
      }>(`
        {
          users(first: 1) {
            totalCount
            nodes {
              name
            }
          }
          active: users(filter: { active: false }) {
            totalCount
          }
          groups {
            totalCount
          }
          jsu: group(name: "jira-software-users") {
            local
            users {
              totalCount
            }
          }
          nested: groups(filter: { name: { equals: "jira-users" } }) {
            totalCount
          }
        }
      `);
      const user = counts.users.nodes[0]!.name;
      const crowd = await fetch(
        `${crowdgate.server.url}/rest/usermanagement/1/user?username=${encodeURIComponent(user)}`,
        {
          headers: { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` },
        },
      );
      const { syncRuns } = await graphql<{
        syncRuns: Array<{ status: string; trigger: string; counts: Record<string, number> }>;
      }>(
        '{ syncRuns(directory: "demo", first: 1) { status trigger counts { usersAdded usersUpdated usersRemoved groupsAdded membershipsAdded membershipsRemoved } } }',
      );
      return { counts, crowdStatus: crowd.status, crowdBody: await crowd.text(), synced: syncRuns[0] };
    } finally {
      await crowdgate.stop();
    }
  }

  test('serves a realistic directory, and a restart keeps the data without duplicating it', async () => {
    const first = await runOnce();
    expect(first.counts.users.totalCount).toBe(300);
    expect(first.counts.active.totalCount).toBeGreaterThan(0); // some disabled accounts
    expect(first.counts.groups.totalCount).toBe(31); // 30 generated + the local group
    expect(first.counts.nested.totalCount).toBe(1);
    // jira-software-users holds every active user.
    expect(first.counts.jsu).toEqual({ local: true, users: { totalCount: 300 - first.counts.active.totalCount } });
    expect(first.crowdStatus).toBe(200);
    expect(first.crowdBody).toMatch(/<active>(true|false)<\/active>.*|<key>/s);
    expect(first.synced).toMatchObject({
      status: 'succeeded',
      trigger: 'startup',
      counts: { usersAdded: 300, groupsAdded: 31 },
    });

    const second = await runOnce();
    expect(second.counts).toEqual(first.counts);
    expect(second.synced).toEqual({
      status: 'succeeded',
      trigger: 'startup',
      counts: {
        usersAdded: 0,
        usersUpdated: 0,
        usersRemoved: 0,
        groupsAdded: 0,
        membershipsAdded: 0,
        membershipsRemoved: 0,
      },
    });
  });
});
