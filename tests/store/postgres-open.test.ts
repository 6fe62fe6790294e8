import { createServer } from 'node:net';
import { PostgresStore } from '../../src/store/postgres/postgres-store';
import { STORE_MIGRATIONS } from '../../src/store/postgres/migrations';
import { COORDINATION_MIGRATIONS } from '../../src/store/postgres/coordination-schema';
import { describePostgres, POSTGRES_URL } from '../helpers/postgres';
import { admin, TestDatabases } from './postgres-databases';

const databases = new TestDatabases();
afterAll(() => databases.dropAll());

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Connections to the test server named `applicationName`. */
async function connectionsOf(applicationName: string): Promise<number> {
  return admin(async (client) =>
    Number(
      (await client.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]))
        .rows[0].n,
    ),
  );
}

describePostgres('Opening a PostgreSQL store', () => {
  test('two stores opened at once on one empty database both open; the migrations ran once', async () => {
    const url = await databases.fresh();
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open({ url, poolSize: 2 })));
    try {
      const { rows } = await stores[0]!.pool.query<{ name: string }>(
        'SELECT name FROM schema_migrations ORDER BY name',
      );
      expect(rows.map((r) => r.name)).toEqual(
        [...STORE_MIGRATIONS, ...COORDINATION_MIGRATIONS].map((m) => m.name).sort(),
      );
      const tokens = await Promise.all(stores.map((s) => s.currentEventToken()));
      expect(new Set(tokens).size).toBe(1); // one store instance, one meta row
      await stores[1]!.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
      expect((await stores[2]!.listDirectories()).map((d) => d.name)).toEqual(['corp']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    // Opening again finds everything applied.
    const again = await PostgresStore.open({ url, poolSize: 1 });
    await again.close();
  });

  test('a refused password: a CONFIGURATION error naming the server and user, never the password', async () => {
    const url = new URL(POSTGRES_URL!);
    url.password = 'wrong-Secret-4711';
    const error = await PostgresStore.open({ url: url.toString(), poolSize: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringMatching(
        new RegExp(`^PostgreSQL at ${url.hostname}:${url.port} refused the credentials of user "${url.username}": `),
      ),
    });
    expect(String((error as Error).message)).not.toContain('wrong-Secret-4711');
  });

  test('an unreachable server, a missing database and a malformed URL each say so', async () => {
    const url = new URL(POSTGRES_URL!);
    const port = await closedPort();
    const unreachable = new URL(url);
    unreachable.port = String(port);
    await expect(PostgresStore.open({ url: unreachable.toString(), poolSize: 2 })).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: `PostgreSQL at 127.0.0.1:${port} is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    const missing = new URL(url);
    missing.pathname = '/no_such_database_here';
    await expect(PostgresStore.open({ url: missing.toString(), poolSize: 2 })).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringMatching(/^PostgreSQL at .* has no database "no_such_database_here"/),
    });
    for (const bad of ['not a url', `mysql://u:${url.password}@localhost/db`]) {
      const error = await PostgresStore.open({ url: bad, poolSize: 2 }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'CONFIGURATION',
        message: 'the PostgreSQL store URL is not valid: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE',
      });
    }
  });

  test('a database that is not UTF8 is refused, and no connection is left open', async () => {
    const url = await databases.create(`cg_ascii_${process.pid}`, "TEMPLATE template0 ENCODING 'SQL_ASCII' LOCALE 'C'");
    const applicationName = `cg-ascii-${process.pid}`;
    await expect(PostgresStore.open({ url, poolSize: 2, applicationName })).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringContaining('uses the encoding SQL_ASCII; crowdgate needs UTF8'),
    });
    expect(await connectionsOf(applicationName)).toBe(0);
  });
});
