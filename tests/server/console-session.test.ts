import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { demoConfig } from '../../src/config/demo';
import { silentLogger } from '../../src/logging/logger';
import { AdminSessions } from '../../src/server/admin-sessions';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';
import { openSqliteStore } from '../../src/store/open';

interface Answer<T> {
  status: number;
  setCookie: string | null;
  data?: T;
  errors?: Array<{ message: string; extensions: { code: string } }>;
}

/** The console's sign-in: an administrator token exchanged for an HttpOnly cookie, CSRF-checked mutations, sign-out. */
describe('console sessions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-console-session-'));
  let crowdgate: Crowdgate;
  beforeAll(async () => {
    crowdgate = await startCrowdgate(await demoConfig({ port: 0, dataDir }), silentLogger);
  });
  afterAll(async () => {
    await crowdgate.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post<T>(query: string, headers: Record<string, string>): Promise<Answer<T>> {
    const response = await fetch(`${crowdgate.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      setCookie: response.headers.get('set-cookie'),
      ...((await response.json()) as Omit<Answer<T>, 'status' | 'setCookie'>),
    };
  }

  async function signIn(token: string) {
    const answer = await post<{
      createSession: { csrfToken: string; tokenName: string; scope: string; expiresAt: string };
    }>('mutation { createSession { csrfToken tokenName scope expiresAt } }', { authorization: `Bearer ${token}` });
    const cookie = /^(crowdgate_session=[A-Za-z0-9_-]{43});/.exec(answer.setCookie ?? '')?.[1];
    return { answer, cookie: cookie!, csrf: answer.data!.createSession.csrfToken };
  }

  test('sign in sets an HttpOnly SameSite=Strict cookie for /graphql; queries need only the cookie, mutations also the CSRF header', async () => {
    const { answer, cookie, csrf } = await signIn('demo');
    expect(answer.setCookie).toMatch(
      /^crowdgate_session=[A-Za-z0-9_-]{43}; Path=\/graphql; Expires=.+ GMT; HttpOnly; SameSite=Strict$/,
    );
    expect(answer.data!.createSession).toMatchObject({ tokenName: 'demo', scope: 'ADMIN' });
    const expires = Date.parse(answer.data!.createSession.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(7.9 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(8 * 3_600_000);

    const who = await post<{ whoAmI: { tokenName: string; expiresAt: string } }>('{ whoAmI { tokenName expiresAt } }', {
      cookie,
    });
    expect(who.data!.whoAmI).toEqual({ tokenName: 'demo', expiresAt: answer.data!.createSession.expiresAt });

    const mutation = 'mutation { setApplicationPassword(name: "nope") { generatedPassword } }';
    const forged = await post(mutation, { cookie });
    expect(forged.status).toBe(403);
    expect(forged.errors![0]!.message).toContain('X-Crowdgate-CSRF');
    const wrong = await post(mutation, { cookie, 'x-crowdgate-csrf': `${csrf.slice(0, -1)}A` });
    expect(wrong.status).toBe(403);
    const allowed = await post(mutation, { cookie, 'x-crowdgate-csrf': csrf });
    expect(allowed.errors![0]!.extensions.code).toBe('BAD_USER_INPUT'); // it ran: "nope" does not exist

    // Sign out: the session ends and its cookie is cleared.
    const out = await post<{ endSession: boolean }>('mutation { endSession }', { cookie, 'x-crowdgate-csrf': csrf });
    expect(out.data!.endSession).toBe(true);
    expect(out.setCookie).toMatch(
      /^crowdgate_session=; Path=\/graphql; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly/,
    );
    const after = await post('{ whoAmI { tokenName } }', { cookie });
    expect(after.status).toBe(401);
    expect(after.errors![0]!.message).toContain('sign in again');
  });

  test('a READ token may sign in but not change anything; revoking the token ends its sessions', async () => {
    const created = await post<{ createAdminToken: { token: string } }>(
      'mutation { createAdminToken(name: "viewer", scope: READ) { token } }',
      { authorization: 'Bearer demo' },
    );
    const { cookie, csrf, answer } = await signIn(created.data!.createAdminToken.token);
    expect(answer.data!.createSession.scope).toBe('READ');
    const refused = await post('mutation { syncDirectory(name: "demo") { id } }', { cookie, 'x-crowdgate-csrf': csrf });
    expect(refused.errors![0]!.message).toContain('READ-scoped');
    expect((await post('{ directories { name } }', { cookie })).status).toBe(200);

    // Subscriptions through the cookie, from a page of this server only.
    const url = `${crowdgate.server.url.replace('http', 'ws')}/graphql`;
    const connect = (origin: string) =>
      new Promise<unknown>((resolve) => {
        const client = createClient({
          url,
          retryAttempts: 0,
          webSocketImpl: class extends WebSocket {
            constructor(address: string, protocols?: string | string[]) {
              super(address, protocols, { headers: { cookie, origin } });
            }
          },
        });
        client.subscribe(
          { query: 'subscription { syncProgress(directory: "demo") { directory } }' },
          {
            next: (value) => {
              resolve(value);
              void client.dispose();
            },
            error: resolve,
            complete: () => undefined,
          },
        );
      });
    expect(await connect(crowdgate.server.url)).toEqual({ data: { syncProgress: { directory: 'demo' } } });
    expect(((await connect('http://evil.example')) as { code?: number }).code).toBe(4403);

    await post('mutation { revokeAdminToken(name: "viewer") }', { authorization: 'Bearer demo' });
    expect((await post('{ directories { name } }', { cookie })).status).toBe(401);
  });

  test('a session ends when it expires; unknown and malformed cookies are refused', async () => {
    const store = openSqliteStore(dataDir);
    let now = Date.now();
    const sessions = new AdminSessions(store, () => now, 60_000);
    const opened = await sessions.open('demo');
    expect(await sessions.resolve(opened.id, opened.csrfToken)).toMatchObject({
      tokenName: 'demo',
      csrfVerified: true,
    });
    expect(await sessions.resolve(opened.id, undefined)).toMatchObject({ csrfVerified: false });
    now += 60_000;
    expect(await sessions.resolve(opened.id, opened.csrfToken)).toBeNull();
    await store.close();
    expect((await post('{ whoAmI { tokenName } }', { cookie: `crowdgate_session=${'A'.repeat(43)}` })).status).toBe(
      401,
    );
    expect((await post('{ whoAmI { tokenName } }', { cookie: 'crowdgate_session=../../x' })).status).toBe(401);
  });
});
