import Koa from 'koa';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { applicationAuth, type AuthenticatedState } from '../../../facades/crowd/application-auth';
import { parseCidr } from '../../../src/security/cidr';

/**
 * Application authentication on keep-alive connections: a repeated Authorization header on the same
 * connection and address is not checked again, and anything else (another header, another
 * address through a trusted proxy, another connection) takes the full path.
 */
describe('applicationAuth on keep-alive connections', () => {
  let server: http.Server;
  let port: number;
  let checks = 0;
  beforeAll(async () => {
    const app = new Koa();
    app.use(
      applicationAuth({
        applications: [{ name: 'jira', passwordHash: 'stored-hash', allowedAddresses: [parseCidr('127.0.0.1/32')], directories: [] }],
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

  function get(agent: http.Agent, headers: Record<string, string>): Promise<{ status: number; body: string; socket: unknown }> {
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
