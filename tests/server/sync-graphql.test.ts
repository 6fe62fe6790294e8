import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from '../../src/config/demo';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';
import { silentLogger } from '../../src/logging/logger';

/** The sync engine through GraphQL: runs, dry runs, approval. */
describe('GraphQL sync API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-syncql-'));
  let crowdgate: Crowdgate;
  beforeAll(async () => {
    const config = await demoConfig({ port: 0, dataDir });
    crowdgate = await startCrowdgate(
      {
        ...config,
        directories: config.directories.map((d) => ({
          ...d,
          demo: { seed: 's', users: 40, groups: 6 },
          safety: { maxRemovalShare: 0.1, maxRemovals: 500 },
        })),
      },
      silentLogger,
    );
  });
  afterAll(async () => {
    await crowdgate.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function graphql<T>(
    query: string,
  ): Promise<{ data?: T; errors?: Array<{ message: string; extensions: { code: string } }> }> {
    const response = await fetch(`${crowdgate.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: T };
  }

  test('syncDirectory runs now; syncRuns lists runs with their counts', async () => {
    const run = await graphql<{
      syncDirectory: { id: number; status: string; mode: string; trigger: string; counts: { usersAdded: number } };
    }>('mutation { syncDirectory(name: "demo") { id status mode trigger counts { usersAdded } } }');
    expect(run.data!.syncDirectory).toMatchObject({
      status: 'succeeded',
      mode: 'full',
      trigger: 'manual',
      counts: { usersAdded: 0 },
    });
    const runs = await graphql<{ syncRuns: Array<{ id: number; trigger: string; directory: { name: string } }> }>(
      '{ syncRuns(directory: "demo") { id trigger directory { name } } }',
    );
    expect(runs.data!.syncRuns.map((r) => r.trigger)).toEqual(['manual', 'startup']);
    expect(runs.data!.syncRuns[0]!.id).toBe(run.data!.syncDirectory.id);
  });

  test('a dry run shows the plan; a plan over the threshold waits, and approve applies it', async () => {
    const state = (
      crowdgate.engine.directories()[0]!.provider as unknown as {
        state: import('../../src/emulators/core/tenant-state').TenantState;
      }
    ).state;
    const victims = [...state.users.keys()].slice(0, 8);
    for (const id of victims) state.deleteUser(id);
    const dry = await graphql<{
      syncDirectory: { status: string; counts: { usersRemoved: number }; details: { usersRemoved: string[] } };
    }>(
      'mutation { syncDirectory(name: "demo", dryRun: true) { status counts { usersRemoved } details { usersRemoved } } }',
    );
    expect(dry.data!.syncDirectory).toMatchObject({ status: 'dry-run', counts: { usersRemoved: 8 } });
    expect(dry.data!.syncDirectory.details.usersRemoved).toHaveLength(8);

    const waiting = await graphql<{ syncDirectory: { id: number; status: string; awaitingApproval: string } }>(
      'mutation { syncDirectory(name: "demo", full: false) { id status awaitingApproval } }',
    );
    expect(waiting.data!.syncDirectory.status).toBe('awaiting-approval');
    expect(waiting.data!.syncDirectory.awaitingApproval).toMatch(/8 of 40 users/);
    const count = async () =>
      (await graphql<{ users: { totalCount: number } }>('{ users { totalCount } }')).data!.users.totalCount;
    expect(await count()).toBe(40);
    const approved = await graphql<{ approveSync: { status: string } }>(
      `mutation { approveSync(runId: ${waiting.data!.syncDirectory.id}) { status } }`,
    );
    expect(approved.data!.approveSync.status).toBe('succeeded');
    expect(await count()).toBe(32);
    const again = await graphql(`mutation { approveSync(runId: ${waiting.data!.syncDirectory.id}) { status } }`);
    expect(again.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  test('testConnection asks the provider now and says what it found; an unknown directory is an error', async () => {
    const report = await graphql<{ testConnection: { ok: boolean; messages: string[] } }>(
      '{ testConnection(directory: "demo") { ok messages } }',
    );
    expect(report.data!.testConnection.ok).toBe(true);
    expect(report.data!.testConnection.messages).toEqual(
      expect.arrayContaining(['can read users', 'can read groups', 'can read group members']),
    );
    const unknown = await graphql('{ testConnection(directory: "nope") { ok } }');
    expect(unknown.errors?.[0]?.message).toMatch(/Directory nope does not exist/);
  });
});
