import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCrowdgateSchema } from '../../../resolvers/schema';
import type { Config } from '../../../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../../../src/config/sync-schema';
import type { PasswordCapable, PasswordCheck } from '../../../src/providers/provider';
import { parseCidr } from '../../../src/security/cidr';
import { LoginLimits } from '../../../src/security/login-limits';
import { hashPassword } from '../../../src/security/password-hash';
import { silentLogger } from '../../../src/logging/logger';
import { startServer, type RunningServer } from '../../../src/server/server';
import { openSqliteStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { localControl } from '../../../src/sync/control';
import { SyncEngine } from '../../../src/sync/engine';
import { userRecord } from '../../conformance/fixtures';
import { ListsNothingProvider } from './password-provider';

/**
 * Failed user password checks under attack, through a real
 * crowdgate: the provider is asked at most the threshold in a burst; a familiar source keeps
 * logging in while strangers are delayed; delays grow with an injected clock; text that is not
 * well formed never reaches the provider; the counters are readable through GraphQL.
 */

const APP_PASSWORD = 'app-secret';
const ADMIN_TOKEN = 'login-limits-admin-token-0123456789';
const USERS = ['burst-session', 'burst-relay', 'familiar', 'delayed', 'surrogate'];

/** Every user's right password is `<login>-pw`. Counts the questions; holds them while `hold`. */
class CountingProvider extends ListsNothingProvider implements PasswordCapable {
  readonly asked: string[] = [];
  hold = false;
  private readonly waiting: Array<() => void> = [];
  async checkPassword(login: string, password: string): Promise<PasswordCheck> {
    this.asked.push(login);
    if (this.hold) await new Promise<void>((go) => this.waiting.push(go));
    return password === `${login}-pw` ? { kind: 'ok' } : { kind: 'invalid' };
  }
  release(): void {
    this.hold = false;
    this.waiting.splice(0).forEach((go) => go());
  }
  askedFor(login: string): number {
    return this.asked.filter((l) => l === login).length;
  }
}

describe('failed user password checks', () => {
  let now = 1_000_000;
  const limits = new LoginLimits({ now: () => now });
  const provider = new CountingProvider();
  let server: RunningServer;
  let store: Store;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-login-limits-'));
    store = openSqliteStore(dataDir);
    const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
    await store.apply(directory!.id, { upsertUsers: USERS.map((name) => userRecord(`id-${name}`, name)) });
    const settings = {
      name: 'corp',
      provider: 'demo' as const,
      localGroups: [],
      ...DEFAULT_SYNC_SETTINGS,
      demo: { seed: 'x', users: 1, groups: 1 },
    };
    const config: Config = {
      server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
      dataDir,
      adminTokens: [{ name: 'tests', token: ADMIN_TOKEN }],
      directories: [settings],
      applications: [
        {
          name: 'jira',
          passwordHash: await hashPassword(APP_PASSWORD),
          allowedAddresses: [parseCidr('127.0.0.1/32')],
          directories: ['corp'],
        },
      ],
      trustedProxies: [],
    };
    const engine = new SyncEngine(store, [{ directory: directory!, provider, settings }], silentLogger);
    server = await startServer({
      config,
      store,
      schema: await buildCrowdgateSchema(),
      logger: silentLogger,
      engine: localControl(engine),
      loginLimits: limits,
    });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** One request on a connection of its own, so that a burst really is concurrent. */
  function post(
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${server.url}${path}`,
        {
          method: 'POST',
          agent: false,
          headers: {
            authorization: `Basic ${Buffer.from(`jira:${APP_PASSWORD}`).toString('base64')}`,
            'content-type': 'application/json',
            accept: 'application/json',
            ...headers,
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
  const crowd = (path: string, body: unknown) =>
    post(`/rest/usermanagement/1${path}`, typeof body === 'string' ? body : JSON.stringify(body));
  const authentication = (user: string, password: string) =>
    crowd(`/authentication?username=${encodeURIComponent(user)}`, { value: password });
  const session = (user: string, password: string, address: string) =>
    crowd('/session', {
      username: user,
      password,
      'validation-factors': { validationFactors: [{ name: 'remote_address', value: address }] },
    });
  const outcome = (answer: { status: number; body: string }) => [
    answer.status,
    (JSON.parse(answer.body) as { reason?: string }).reason,
  ];
  const REFUSED = [400, 'INVALID_USER_AUTHENTICATION'];

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; !condition(); i++) {
      if (i > 5_000) throw new Error('condition never held');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  const decided = () => limits.counters().user.checked + limits.counters().user.refused;

  /** Sends `count` wrong passwords at once, holding the provider until every one is admitted or refused. */
  async function burst(count: number, send: (i: number) => Promise<{ status: number; body: string }>) {
    const before = decided();
    const checkedBefore = limits.counters().user.checked;
    const asked = provider.asked.length;
    provider.hold = true;
    const answers = Array.from({ length: count }, (_, i) => send(i));
    await until(() => decided() - before === count);
    await until(() => provider.asked.length - asked === limits.counters().user.checked - checkedBefore);
    provider.release();
    return Promise.all(answers);
  }

  test('a burst of 29 wrong passwords: the provider is asked 5 times from an end-user address, 20 from the relaying product', async () => {
    const fromBrowser = await burst(29, (i) => session('burst-session', `wrong-${i}`, '203.0.113.7'));
    expect(fromBrowser.map(outcome)).toEqual(Array(29).fill(REFUSED));
    expect(provider.askedFor('burst-session')).toBe(5);

    const throughJira = await burst(29, (i) => authentication('burst-relay', `wrong-${i}`));
    expect(throughJira.map(outcome)).toEqual(Array(29).fill(REFUSED));
    expect(provider.askedFor('burst-relay')).toBe(20);
    // The right password, at once: refused without asking (the delay has not passed).
    expect(outcome(await authentication('burst-relay', 'burst-relay-pw'))).toEqual(REFUSED);
    expect(provider.askedFor('burst-relay')).toBe(20);
  });

  test('a familiar source still logs in while unfamiliar ones are delayed', async () => {
    expect((await session('familiar', 'familiar-pw', '192.0.2.10')).status).toBe(201);
    for (let i = 0; i < 5; i++)
      expect(outcome(await session('familiar', `guess-${i}`, '198.51.100.66'))).toEqual(REFUSED);
    expect(provider.askedFor('familiar')).toBe(6);
    const delayed = await session('familiar', 'guess-5', '198.51.100.66');
    expect(outcome(delayed)).toEqual(REFUSED);
    expect(JSON.parse(delayed.body)).toMatchObject({
      message: expect.stringMatching(/Too many failed .* try again in 1 s/),
    });
    // Another stranger shares the strangers' budget, even with the right password.
    expect(outcome(await session('familiar', 'familiar-pw', '198.51.100.67'))).toEqual(REFUSED);
    expect(provider.askedFor('familiar')).toBe(6);
    // The familiar source is not affected, wrong password or right.
    expect(outcome(await session('familiar', 'typo', '192.0.2.10'))).toEqual(REFUSED);
    expect((await session('familiar', 'familiar-pw', '192.0.2.10')).status).toBe(201);
    expect(provider.askedFor('familiar')).toBe(8);
  });

  test('progressive delays through the product: 1 s, 2 s, 4 s … up to 60 s after 20 failures; a success resets', async () => {
    for (let i = 0; i < 20; i++) expect(outcome(await authentication('delayed', `wrong-${i}`))).toEqual(REFUSED);
    expect(provider.askedFor('delayed')).toBe(20);
    let asked = 20;
    for (const delay of [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]) {
      const refused = await authentication('delayed', 'wrong');
      expect(JSON.parse(refused.body)).toMatchObject({
        reason: 'INVALID_USER_AUTHENTICATION',
        message: expect.stringContaining(`try again in ${delay / 1000} s`),
      });
      now += delay - 1;
      expect(outcome(await authentication('delayed', 'delayed-pw'))).toEqual(REFUSED); // the right one too: not asked
      expect(limits.counters().user.blocked).toBeGreaterThanOrEqual(1);
      expect(provider.askedFor('delayed')).toBe(asked);
      now += 1;
      expect(outcome(await authentication('delayed', 'wrong'))).toEqual(REFUSED);
      expect(provider.askedFor('delayed')).toBe(++asked);
    }
    now += 60_000;
    expect((await authentication('delayed', 'delayed-pw')).status).toBe(200);
    for (let i = 0; i < 20; i++) await authentication('delayed', `again-${i}`);
    expect(provider.askedFor('delayed')).toBe(asked + 1 + 20); // a fresh budget after the success
  });

  test('a lone UTF-16 surrogate in a password or username: 400 INVALID_USER_AUTHENTICATION, the provider never asked', async () => {
    const checked = limits.counters().user.checked;
    // Written by hand: the escape must reach the server as it is.
    expect(outcome(await crowd('/authentication?username=surrogate', '{"value":"\\ud800"}'))).toEqual(REFUSED);
    expect(outcome(await crowd('/authentication?username=surrogate', '{"value":"ok\\udfffok"}'))).toEqual(REFUSED);
    expect(outcome(await crowd('/session', '{"username":"surrogate\\ud800","password":"surrogate-pw"}'))).toEqual(
      REFUSED,
    );
    const graphql = await post(
      '/graphql',
      JSON.stringify({
        query:
          'mutation ($name: String!, $password: String!) { authenticateUser(name: $name, password: $password) { name } }',
        variables: { name: 'surrogate', password: '\ud800' },
      }),
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(JSON.parse(graphql.body)).toMatchObject({ errors: [{ extensions: { code: 'INVALID_CREDENTIALS' } }] });
    expect(provider.askedFor('surrogate')).toBe(0);
    expect(limits.counters().user.checked).toBe(checked); // not counted either
    // A surrogate pair is well formed: asked, and wrong.
    expect(outcome(await authentication('surrogate', '\u{1F600}'))).toEqual(REFUSED);
    expect(provider.askedFor('surrogate')).toBe(1);
  });

  test('the counters of both limits, through GraphQL', async () => {
    const query =
      '{ loginLimits { application { checked refused failed succeeded blocked acceptedWhileBlocked } user { checked refused failed succeeded blocked familiarSources } } }';
    const answer = await post('/graphql', JSON.stringify({ query }), { authorization: `Bearer ${ADMIN_TOKEN}` });
    const { loginLimits } = (JSON.parse(answer.body) as { data: { loginLimits: ReturnType<LoginLimits['counters']> } })
      .data;
    expect(loginLimits).toEqual(limits.counters());
    // The application password was checked once (then known good on every new connection).
    expect(loginLimits.application).toMatchObject({ checked: 1, succeeded: 1, refused: 0, failed: 0, blocked: 0 });
    expect(loginLimits.user.checked).toBe(provider.asked.length);
    expect(loginLimits.user.failed).toBeGreaterThanOrEqual(5 + 20 + 5);
    expect(loginLimits.user.succeeded).toBeGreaterThanOrEqual(3);
    expect(loginLimits.user.refused).toBeGreaterThanOrEqual(24 + 9);
    expect(loginLimits.user.familiarSources).toBe(1);
  });
});
