import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { configSchema } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';

export const ADMIN_TOKEN = 'console-tests-admin-token-0123456789';

export interface ConsoleCrowdgate {
  readonly url: string;
  /** The console's address for a path under /admin/ (`/` is the overview). */
  consoleUrl(path?: string): string;
  /** GraphQL with the administrator token (test setup and checks, beside what the browser does). */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Creates an API token of that scope and answers it. */
  createToken(name: string, scope: 'ADMIN' | 'READ'): Promise<string>;
  readonly crowdgate: Crowdgate;
  stop(): Promise<void>;
}

/**
 * A real crowdgate (SQLite in a temporary directory, 127.0.0.1, free port) serving the built
 * console, with one file administrator token and whatever configuration file keys `extra` holds.
 */
export async function startConsoleCrowdgate(extra: Record<string, unknown> = {}): Promise<ConsoleCrowdgate> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-console-'));
  const crowdgate = await startCrowdgate(
    configSchema.parse({
      dataDir,
      server: { host: '127.0.0.1', port: 0 },
      adminTokens: [{ name: 'admin', token: ADMIN_TOKEN }],
      ...extra,
    }),
    silentLogger,
    { fileLabel: 'crowdgate.yaml' },
  );
  const url = crowdgate.server.url;
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data!;
  };
  return {
    url,
    consoleUrl: (path = '/') => `${url}/admin${path}`,
    graphql,
    createToken: async (name, scope) =>
      (
        await graphql<{ createAdminToken: { token: string } }>(
          'mutation($name: String!, $scope: TokenScope!) { createAdminToken(name: $name, scope: $scope) { token } }',
          { name, scope },
        )
      ).createAdminToken.token,
    crowdgate,
    stop: async () => {
      await crowdgate.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens the console at `path` and signs in with `token` through the sign-in form. */
export async function signIn(page: Page, server: ConsoleCrowdgate, token = ADMIN_TOKEN, path = '/'): Promise<void> {
  await page.goto(server.consoleUrl(path));
  await page.getByLabel('Administrator token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
