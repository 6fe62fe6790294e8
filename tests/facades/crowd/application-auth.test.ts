import Koa from 'koa';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applicationAuth,
  type ApplicationsByName,
  type AuthenticatedState,
  type CrowdApplication,
} from '../../../facades/crowd/application-auth';
import { parseCidr } from '../../../src/security/cidr';
import { LoginLimits } from '../../../src/security/login-limits';
import { VerifiedPasswordCache } from '../../../src/security/password-hash';

/**
 * Application authentication on keep-alive connections: a repeated Authorization header on the same
 * connection and address is not checked again, and anything else (another header, another
 * address through a trusted proxy, another connection) takes the full path.
 */
const jiraOnly = byName([
  { name: 'jira', passwordHash: 'stored-hash', allowedAddresses: [parseCidr('127.0.0.1/32')], directories: [] },
]);

function byName(applications: readonly CrowdApplication[]): ApplicationsByName {
  return new Map(applications.map((a) => [a.name.toLowerCase(), a]));
}

describe('applicationAuth on keep-alive connections', () => {
  let server: http.Server;
  let port: number;
  let checks = 0;
  beforeAll(async () => {
    const app = new Koa();
    app.use(
      applicationAuth({
        applications: () => jiraOnly,
        trustedProxies: [parseCidr('127.0.0.1/32')],
        verifyPassword: async (password, hash) => {
          checks++;
          return password === 'right' && hash === 'stored-hash';
        },
      }),
    );
    app.use((ctx) => {
      ctx.body = `${(ctx.state as AuthenticatedState).application.name} from ${(ctx.state as AuthenticatedState).clientAddress}`;
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const basic = (password: string) => `Basic ${Buffer.from(`jira:${password}`).toString('base64')}`;

  function get(
    agent: http.Agent,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string; socket: unknown }> {
    return new Promise((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path: '/', agent, headers }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, socket: request.socket }));
      });
      request.on('error', reject);
    });
  }

  test('the same header on the same connection is checked once; a wrong one is refused; a new address is checked again', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent, { authorization: basic('right') });
      expect(first).toMatchObject({ status: 200, body: 'jira from 127.0.0.1' });
      expect(checks).toBe(1);
      const again = await get(agent, { authorization: basic('right') });
      expect(again.status).toBe(200);
      expect(again.socket).toBe(first.socket); // same connection
      expect(checks).toBe(1);

      const wrong = await get(agent, { authorization: basic('wrong') });
      expect(wrong.status).toBe(401);
      expect(wrong.socket).toBe(first.socket);
      expect(checks).toBe(2);

      // Through the trusted proxy on loopback, the client is 10.1.2.3: not allowed for jira.
      const proxied = await get(agent, { authorization: basic('right'), 'x-forwarded-for': '10.1.2.3' });
      expect(proxied.socket).toBe(first.socket);
      expect(proxied.status).toBe(403);
      expect(proxied.body).toMatch(/Client with address '10\.1\.2\.3' is forbidden/);
    } finally {
      agent.destroy();
    }
    const fresh = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(fresh, { authorization: basic('right') })).status).toBe(200);
      expect(checks).toBe(3); // a new connection is checked again (the verified-password cache makes that cheap)
    } finally {
      fresh.destroy();
    }
  });
});

/**
 * The failed application login limit under attack. What is guaranteed:
 * an unproven credential is checked only if, when it arrives, its address's failures in the window
 * plus the checks still running are fewer than 10; otherwise it is answered 401 at once, without a
 * check. So a burst that arrives before any check ends gets exactly 10 checks, in arrival order, and
 * the right password in it passes only if it is among the first 10. A credential already proven —
 * the one a keep-alive connection authenticated with, or one the verified-password cache knows —
 * is accepted whatever the budget says.
 */
describe('applicationAuth with the failed-login limit', () => {
  const apps = [
    { name: 'jira', passwordHash: 'jira-hash', allowedAddresses: [parseCidr('127.0.0.1/32')], directories: [] },
    {
      name: 'confluence',
      passwordHash: 'confluence-hash',
      allowedAddresses: [parseCidr('127.0.0.1/32')],
      directories: [],
    },
  ];
  const appsByName = byName(apps);
  const RIGHT: Record<string, string> = { 'jira-hash': 'right', 'confluence-hash': 'conf-right' };

  interface Harness {
    port: number;
    /** Passwords given to verifyPassword, in order. */
    checks: string[];
    /** Requests that have run the synchronous part of applicationAuth. */
    entered: number;
    limits: LoginLimits;
    advance(ms: number): void;
    /** While true, checks wait for release(). */
    hold: boolean;
    release(): void;
    close(): Promise<void>;
  }

  async function start(): Promise<Harness> {
    let now = 1_000_000;
    const waiting: Array<() => void> = [];
    const cache = new VerifiedPasswordCache({ verify: async (password, hash) => password === RIGHT[hash] });
    const h: Harness = {
      port: 0,
      checks: [],
      entered: 0,
      limits: new LoginLimits({ now: () => now }),
      advance: (ms) => (now += ms),
      hold: false,
      release: () => waiting.splice(0).forEach((go) => go()),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
    const app = new Koa();
    app.use((_ctx, next) => {
      const done = next(); // runs applicationAuth up to its first await
      h.entered += 1;
      return done;
    });
    app.use(
      applicationAuth({
        applications: () => appsByName,
        trustedProxies: [],
        verifyPassword: async (password, hash) => {
          h.checks.push(password);
          if (h.hold) await new Promise<void>((go) => waiting.push(go));
          return cache.verify(password, hash);
        },
        knownGood: (password, hash) => cache.knownGood(password, hash),
        failures: h.limits.application,
      }),
    );
    app.use((ctx) => {
      ctx.body = (ctx.state as AuthenticatedState).application.name;
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    h.port = (server.address() as AddressInfo).port;
    return h;
  }

  const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

  function get(
    port: number,
    authorization: string,
    agent: http.Agent | false = false,
  ): Promise<{ status: number; body: string; socket: unknown }> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        { host: '127.0.0.1', port, path: '/', agent, headers: { authorization } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body, socket: request.socket }));
        },
      );
      request.on('error', reject);
    });
  }

  /** Waits (without a timer of its own) until `condition` holds: requests travel through the loopback. */
  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; !condition(); i++) {
      if (i > 5_000) throw new Error('condition never held');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  const decided = (h: Harness) => h.limits.counters().application.checked + h.limits.counters().application.refused;

  test('a burst of 39 wrong passwords and the right one: exactly 10 checks; the right one, among the first 10, passes', async () => {
    const h = await start();
    try {
      h.hold = true;
      const right = get(h.port, basic('jira', 'right'));
      await until(() => h.checks.length === 1);
      const wrong = Array.from({ length: 39 }, (_, i) => get(h.port, basic('jira', `wrong-${i}`)));
      await until(() => decided(h) === 40);
      expect(h.checks).toHaveLength(10);
      h.hold = false;
      h.release();
      expect((await right).status).toBe(200);
      const statuses = (await Promise.all(wrong)).map((r) => r.status);
      expect(statuses.every((s) => s === 401)).toBe(true);
      expect(h.checks).toHaveLength(10);
      expect(h.limits.counters().application).toMatchObject({ checked: 10, refused: 30, failed: 9, succeeded: 1 });
    } finally {
      await h.close();
    }
  });

  test('the right but unproven password after the budget is refused unchecked, until the window ends', async () => {
    const h = await start();
    try {
      h.hold = true;
      const wrong = Array.from({ length: 39 }, (_, i) => get(h.port, basic('jira', `wrong-${i}`)));
      await until(() => decided(h) === 39);
      const late = await get(h.port, basic('jira', 'right')); // answered while the 10 checks still run
      expect(late.status).toBe(401);
      h.hold = false;
      h.release();
      await Promise.all(wrong);
      expect(h.checks).toHaveLength(10);
      expect(h.checks).not.toContain('right');
      expect((await get(h.port, basic('jira', 'right'))).status).toBe(401);
      expect(h.limits.counters().application).toMatchObject({ checked: 10, refused: 31, failed: 10, blocked: 1 });
      h.advance(60_000);
      expect((await get(h.port, basic('jira', 'right'))).status).toBe(200);
      expect(h.checks).toHaveLength(11);
    } finally {
      await h.close();
    }
  });

  test('many connections sending the same unproven header at once share one check (Jira starting up)', async () => {
    const h = await start();
    try {
      h.hold = true;
      const all = Array.from({ length: 30 }, () => get(h.port, basic('jira', 'right')));
      await until(() => h.entered === 30);
      expect(h.checks).toHaveLength(1);
      h.hold = false;
      h.release();
      expect((await Promise.all(all)).map((r) => r.status)).toEqual(Array(30).fill(200));
      expect(h.checks).toHaveLength(1);
      expect(h.limits.counters().application).toMatchObject({ checked: 1, refused: 0, succeeded: 1 });
    } finally {
      await h.close();
    }
  });

  test("failures from Jira's address do not lock out Jira: its keep-alive connection and its known-good header keep working", async () => {
    const h = await start();
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(h.port, basic('jira', 'right'), keepAlive);
      expect(first.status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await get(h.port, basic('jira', `wrong-${i}`))).status).toBe(401);
      expect(h.limits.application.blocked('127.0.0.1')).toBe(true);
      expect(h.checks).toHaveLength(11);

      const again = await get(h.port, basic('jira', 'right'), keepAlive);
      expect([again.status, again.socket === first.socket]).toEqual([200, true]);
      expect((await get(h.port, basic('jira', 'right'))).status).toBe(200); // a new connection: known good
      expect((await get(h.port, basic('confluence', 'conf-right'))).status).toBe(401); // right, but never proven
      expect((await get(h.port, basic('jira', 'wrong-again'))).status).toBe(401);
      expect(h.checks).toHaveLength(11); // none of these was checked
      expect(h.limits.counters().application).toMatchObject({ refused: 2, acceptedWhileBlocked: 1, blocked: 1 });

      h.advance(60_000);
      expect((await get(h.port, basic('confluence', 'conf-right'))).status).toBe(200);
      expect(h.checks).toHaveLength(12);
    } finally {
      keepAlive.destroy();
      await h.close();
    }
  });
});
