import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { migrateStoreCommand } from '../../src/cli/migrate-store';
import type { CrowdEvent } from '../../src/domain/events';
import { openSqliteStore } from '../../src/store/open';
import { PostgresStore } from '../../src/store/postgres/postgres-store';
import { holdStore } from '../../src/store/sqlite/store-hold';
import type { DirectoryContents, Store } from '../../src/store/store';
import { groupRecord, userRecord } from '../conformance/fixtures';
import { describePostgres } from '../helpers/postgres';
import { TestDatabases } from '../store/postgres-databases';
import { CLI } from './helpers';

jest.setTimeout(120_000);

const databases = new TestDatabases();
const roots: string[] = [];
afterAll(async () => {
  await databases.dropAll();
  roots.forEach((root) => rmSync(root, { recursive: true, force: true }));
});

function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-migrate-'));
  roots.push(root);
  return root;
}

/** Runs the command in this process; answers its exit status and output. */
async function migrate(from: string | undefined, to: string | undefined) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (c: Buffer) => (chunks.out += c.toString()));
  err.on('data', (c: Buffer) => (chunks.err += c.toString()));
  const code = await migrateStoreCommand({ from, to }, out, err);
  return { code, stdout: chunks.out, stderr: chunks.err };
}

const userEvent = (name: string): CrowdEvent => ({
  type: 'user',
  operation: 'CREATED',
  user: { name, key: `1:${name}`, firstName: '', lastName: '', displayName: '', email: '', active: true },
});

/** A SQLite store filled through the store's own code paths; answers an event token taken midway and the events after it. */
async function fillSqliteStore(dataDir: string): Promise<{ token: string; after: CrowdEvent[] }> {
  const store = openSqliteStore(dataDir);
  try {
    const [corp, partners, doomed] = await store.upsertDirectories([
      { name: 'Corp', provider: 'entra' },
      { name: 'partners', provider: 'okta' },
      { name: 'old', provider: 'demo' },
    ]);
    await store.apply(
      corp!.id,
      {
        upsertUsers: [
          userRecord('u1', 'Åsa', { attributes: { department: ['R&D'], 'cost "center"': ['4\\2'] } }),
          userRecord('u2', 'bob', { active: false, displayName: 'Bob "the" Builder' }),
          userRecord('u3', 'Zoë'),
          userRecord('u4', 'gone'),
        ],
        upsertGroups: [groupRecord('g1', 'Engineering'), groupRecord('g2', 'all', { local: true })],
        addUserMemberships: [
          ['u1', 'g1'],
          ['u2', 'g1'],
          ['u3', 'g2'],
        ],
        addGroupMemberships: [['g1', 'g2']],
      },
      { events: [userEvent('Åsa'), userEvent('bob')], cursor: 'delta-1' },
    );
    await store.apply(corp!.id, { removeUsers: ['u4'] }, { events: [userEvent('gone')] });
    await store.apply(partners!.id, { upsertUsers: [userRecord('p1', 'Paula')] }, { events: 'reset' });
    await store.apply(doomed!.id, { upsertUsers: [userRecord('d1', 'dora')] });
    const run = await store.createRun({ directoryId: corp!.id, mode: 'full', trigger: 'startup' });
    await store.updateRun(run.id, { status: 'succeeded', finishedAt: new Date(5_000), counts: { usersAdded: 4 } });
    await store.createRun({ directoryId: partners!.id, mode: 'incremental', trigger: 'schedule' });
    await store.changeConfiguration({
      put: [
        {
          kind: 'directory',
          name: 'partners',
          body: { name: 'partners', provider: 'okta' },
          sealedSecrets: 'v1.sealed-secret',
          enabled: true,
          expectedVersion: 0,
        },
        { kind: 'application', name: 'Jira', body: { name: 'Jira' }, sealedSecrets: null, enabled: false },
      ],
      directoryOrder: ['Corp', 'partners'],
      dropDirectories: ['old'],
      directories: [
        { name: 'Corp', provider: 'entra' },
        { name: 'partners', provider: 'okta' },
      ],
    });
    expect(await store.replaceWrappedDataKey(null, 'v1.wrapped-data-key')).toBe(true);
    const base = { scope: 'ADMIN' as const, createdAt: new Date(1_000), expiresAt: null };
    await store.createAdminToken({ ...base, name: 'setup', digest: 'd0', setup: true });
    await store.createAdminToken({ ...base, name: 'Ops', digest: 'd1', setup: false, expiresAt: new Date(9e12) });
    await store.recordAdminTokenUse('ops', new Date(600_000));
    await store.createAdminSession({
      digest: 's1',
      tokenName: 'Ops',
      csrfDigest: 'c1',
      createdAt: new Date(1_000),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    for (const i of [1, 2, 3])
      await store.appendAudit({
        at: new Date(i * 1000),
        principal: 'Ops',
        source: '127.0.0.1',
        operation: `op${i}`,
        arguments: { i },
        outcome: i === 2 ? 'ERROR' : 'OK',
        error: i === 2 ? 'CONFLICT: stale' : null,
      });
    const token = await store.currentEventToken();
    const after = [userEvent('carol'), userEvent('dave')];
    await store.apply(corp!.id, { upsertUsers: [userRecord('u5', 'carol')] }, { events: [after[0]!] });
    await store.apply(partners!.id, { upsertUsers: [userRecord('p2', 'dave')] }, { events: [after[1]!] });
    return { token, after };
  } finally {
    await store.close();
  }
}

/** Directory contents in a fixed order (the contract leaves it open). */
function sorted(contents: DirectoryContents): DirectoryContents {
  const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
  const byPair = (a: readonly [string, string], b: readonly [string, string]) => (a.join('\n') < b.join('\n') ? -1 : 1);
  return {
    users: [...contents.users].sort(byId),
    groups: [...contents.groups].sort(byId),
    userMemberships: [...contents.userMemberships].sort(byPair),
    groupMemberships: [...contents.groupMemberships].sort(byPair),
  };
}

/** Everything a store answers that the migration must keep. */
async function answers(store: Store) {
  const directories = await store.listDirectories();
  const ids = directories.map((d) => d.id);
  return {
    directories,
    contents: (await Promise.all(ids.map((id) => store.loadDirectoryContents(id)))).map(sorted),
    counts: await Promise.all(ids.map((id) => store.directoryCounts(id))),
    dataVersions: await Promise.all(ids.map((id) => store.dataVersion(id))),
    cursors: await Promise.all(ids.map((id) => store.getCursor(id))),
    runs: await store.listRuns({ limit: 100 }),
    summary: await store.operationalSummary(),
    configuration: await store.loadConfiguration(),
    tokens: await store.listAdminTokens(),
    session: await store.findAdminSession('s1'),
    audit: await store.listAudit({ limit: 100 }),
    wrappedDataKey: await store.wrappedDataKey(),
    eventToken: await store.currentEventToken(),
    nested: await store.usersOfGroups(
      (await store.findGroupsByName(ids, ['all'])).map((g) => g.id),
      true,
    ),
  };
}

async function tableCount(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

describePostgres('crowdgate migrate-store', () => {
  let source: string;
  let filled: { token: string; after: CrowdEvent[] };
  beforeAll(async () => {
    source = tempDir();
    filled = await fillSqliteStore(source);
  });

  test('copies everything: the PostgreSQL store answers as the SQLite store did, event tokens included', async () => {
    const url = await databases.fresh();
    const result = await migrate(source, url);
    expect(result.stderr).toMatch(/^migrate-store: meta: 5 rows\nmigrate-store: directories: 2 rows\n/);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const target = new URL(url);
    expect(lines[0]).toBe(
      `Copied ${join(source, 'crowdgate.sqlite')} into PostgreSQL at ${target.hostname}:${target.port}${target.pathname} in one transaction; every table holds as many rows on both sides:`,
    );
    expect(lines.slice(1, 14).map((line) => line.trim().split(/\s+/))).toEqual([
      ['meta', '5'],
      ['directories', '2'],
      ['users', '6'],
      ['groups', '2'],
      ['user_groups', '3'],
      ['group_groups', '1'],
      ['sync_cursors', '1'],
      ['sync_runs', '2'],
      ['events', '7'],
      ['config_entries', '2'],
      ['admin_tokens', '1'],
      ['admin_sessions', '1'],
      ['audit_log', '3'],
    ]);
    expect(result.stdout).not.toContain(target.password);

    const sqlite = openSqliteStore(source);
    const postgres = await PostgresStore.open({ url, poolSize: 2 });
    try {
      const expected = await answers(sqlite);
      expect(await answers(postgres)).toEqual(expected);
      const since = await postgres.eventsSince(
        filled.token,
        expected.directories.map((d) => d.id),
      );
      expect(since.kind === 'events' && since.events.map((e) => e.event)).toEqual(filled.after);
      expect(since).toEqual(
        await sqlite.eventsSince(
          filled.token,
          expected.directories.map((d) => d.id),
        ),
      );

      // New rows continue after the copied ids and sequence numbers.
      const corp = expected.directories[0]!.id;
      await postgres.apply(corp, { upsertUsers: [userRecord('u9', 'erin')] }, { events: [userEvent('erin')] });
      const [erin] = await postgres.findUsersByName([corp], ['erin']);
      const maxUserId = Math.max(...expected.contents.flatMap((c) => c.users.map((u) => u.id)));
      expect(erin!.id).toBeGreaterThan(maxUserId);
      const next = await postgres.eventsSince(expected.eventToken, [corp]);
      expect(next.kind === 'events' && next.events.map((e) => [e.seq, e.event])).toEqual([
        [Number(expected.eventToken.split('.')[1]) + 1, userEvent('erin')],
      ]);
      expect((await postgres.createRun({ directoryId: corp, mode: 'full', trigger: 'manual' })).id).toBe(
        expected.runs[0]!.id + 1,
      );
      expect((await postgres.upsertDirectories([{ name: 'third', provider: 'demo' }]))[0]!.id).toBeGreaterThan(
        Math.max(...expected.directories.map((d) => d.id)),
      );
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });

  test('a target that holds anything is refused, and left as it was', async () => {
    const url = await databases.fresh();
    const other = await PostgresStore.open({ url, poolSize: 1 });
    await other.upsertDirectories([{ name: 'already', provider: 'demo' }]);
    await other.close();
    const result = await migrate(source, url);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        'crowdgate: the PostgreSQL store is not empty (it holds 1 directories): migrate-store copies into an empty store only; give it a new database, or drop and recreate this one\n',
    });
    const again = await PostgresStore.open({ url, poolSize: 1 });
    try {
      expect((await again.listDirectories()).map((d) => d.name)).toEqual(['already']);
      expect(await again.listAdminTokens()).toEqual([]);
    } finally {
      await again.close();
    }
  });

  test('refused while another process holds the SQLite store: nothing is written anywhere', async () => {
    const url = await databases.fresh();
    const hold = holdStore(source);
    try {
      const result = await migrate(source, url);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `crowdgate: crowdgate (pid ${process.pid}) is using ${source}; stop it first (serve, sync and backup all use the store), then run migrate-store again\n`,
      });
    } finally {
      hold.release();
    }
    expect(await tableCount(url)).toBe(0);
  });

  test('text PostgreSQL cannot hold is refused, naming the row, and nothing is committed', async () => {
    const dir = tempDir();
    const store = openSqliteStore(dir);
    const [corp] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
    await store.apply(corp!.id, { upsertUsers: [userRecord('u1', 'fine'), userRecord('u2', 'nul\u0000name')] });
    await store.close();
    const url = await databases.fresh();
    const result = await migrate(dir, url);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').at(-2)).toBe(
      `crowdgate: the SQLite store's users cannot be copied: user "nul\\u0000name" (directory 1) has the character U+0000 in name, which PostgreSQL text cannot hold; change it at its source (or remove it), then migrate again`,
    );
    const target = await PostgresStore.open({ url, poolSize: 1 });
    try {
      expect(await target.listDirectories()).toEqual([]);
    } finally {
      await target.close();
    }
  });

  test('usage errors: missing options, a URL that is not PostgreSQL, a directory without a store', async () => {
    await expect(migrate(undefined, 'postgres://x@h/db')).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: 'give --from DIR (the data directory of the SQLite store)',
    });
    await expect(migrate(source, undefined)).rejects.toMatchObject({ code: 'CONFIGURATION' });
    await expect(migrate(source, 'mysql://root:pw@localhost/db')).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: 'the PostgreSQL store URL is not valid: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE',
    });
    const empty = tempDir();
    await expect(migrate(empty, 'postgres://x@h/db')).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: `there is no crowdgate store in ${empty} (no crowdgate.sqlite)`,
    });
  });

  test('the built CLI: exit 0 with the summary on stdout; 2 for usage errors; 1 for an unreachable server', async () => {
    const run = (args: string[]) => {
      const result = spawnSync(process.execPath, [CLI, 'migrate-store', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const url = await databases.fresh();
    const done = run(['--from', source, '--to', url]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      /^Copied .* in one transaction; every table holds as many rows on both sides:\n {2}meta /,
    );
    expect(run(['--to', url])).toMatchObject({ code: 2, stderr: /give --from DIR/ });
    const unreachable = new URL(url);
    unreachable.port = '1';
    const refused = run(['--from', source, '--to', unreachable.toString()]);
    expect(refused).toMatchObject({
      code: 1,
      stderr: 'crowdgate: PostgreSQL at 127.0.0.1:1 is unreachable: connect ECONNREFUSED 127.0.0.1:1\n',
    });
    expect(refused.stderr).not.toContain(unreachable.password);
  });
});
