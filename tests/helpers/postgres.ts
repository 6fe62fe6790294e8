import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The tests' PostgreSQL server (tests/helpers/postgres-global.ts). Each store under test gets a
 * database of its own, so tests never see each other's rows.
 */
export const POSTGRES_URL = process.env.CROWDGATE_TEST_PG_URL;

/** `describe` when a server is there, `describe.skip` otherwise (never under CI: setup fails there). */
export const describePostgres: jest.Describe = POSTGRES_URL ? describe : describe.skip;

/** Creates an empty database and answers its URL. */
export async function freshDatabase(prefix = 'cg'): Promise<string> {
  if (!POSTGRES_URL) throw new Error('no PostgreSQL server for the tests (CROWDGATE_TEST_PG_URL)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
