import { Client } from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store';
import { freshDatabase, POSTGRES_URL } from '../helpers/postgres';

/**
 * The databases a PostgreSQL test file creates (tests/helpers/postgres.ts), dropped after it: the
 * development server is shared and long-lived. Call `dropAll` in `afterAll`, after the stores closed.
 */
export class TestDatabases {
  private readonly names: string[] = [];

  /** A new empty database's URL. */
  async fresh(prefix = 'cg'): Promise<string> {
    const url = await freshDatabase(prefix);
    this.names.push(new URL(url).pathname.slice(1));
    return url;
  }

  /** A store on a new empty database. */
  async store(poolSize = 4): Promise<PostgresStore> {
    return PostgresStore.open({ url: await this.fresh(), poolSize });
  }

  /** Creates a database with its own options (`WITH …` clause) and answers its URL. */
  async create(name: string, options: string): Promise<string> {
    await admin(async (client) => client.query(`CREATE DATABASE ${name} ${options}`));
    this.names.push(name);
    const url = new URL(POSTGRES_URL!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async dropAll(): Promise<void> {
    const names = this.names.splice(0);
    if (names.length === 0) return;
    await admin(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  }
}

/** Runs `work` on a connection to the test server's maintenance database. */
export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
