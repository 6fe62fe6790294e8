import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Jest global setup and teardown: the PostgreSQL server the tests of the PostgreSQL store use.
 * `CROWDGATE_TEST_PG_URL` given (`.ci/run` starts one): that server. Otherwise a throwaway
 * cluster (scripts/pg-cluster) for this run, stopped in teardown. With no PostgreSQL installed,
 * the PostgreSQL tests are skipped with a notice — except under CI=true, where that is an error.
 */
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'pg-cluster');
const OWNED_DIR = 'CROWDGATE_TEST_PG_DIR';

export async function setup(): Promise<void> {
  if (process.env.CROWDGATE_TEST_PG_URL) return;
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-pg-'));
  try {
    process.env.CROWDGATE_TEST_PG_URL = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8' }).trim();
    process.env[OWNED_DIR] = dir;
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`PostgreSQL tests skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function teardown(): Promise<void> {
  const dir = process.env[OWNED_DIR];
  if (dir) execFileSync(SCRIPT, ['stop', dir], { stdio: 'inherit' });
}
