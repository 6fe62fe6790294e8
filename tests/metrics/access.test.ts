import type { GraphQLSchema } from 'graphql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import { metricsSchema, type Config } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import * as registryModule from '../../src/metrics/registry';
import { ServingMetrics } from '../../src/metrics/serving-metrics';
import { parseCidr } from '../../src/security/cidr';
import { startServer } from '../../src/server/server';
import { openSqliteStore } from '../../src/store/open';
import { parseExposition } from './parse';
import { graphql, startDemoCrowdgate } from './harness';

const ADMIN_TOKEN = 'metrics-access-admin-token-0123';
const SCRAPE_TOKEN = 'scrape-token-Zq7v_0123456789abcdef';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: await response.text(),
  };
}

/**
 * Who may read `GET /metrics` (src/server/metrics-endpoint.ts): loopback by default; an address in
 * `metrics.allowedAddresses` (the socket's, or X-Forwarded-For from a trusted proxy) or the bearer
 * token of `metrics.token`, either one; anyone else 403, or 401 with `WWW-Authenticate` when a
 * token is configured. `metrics.enabled: false`: 404 and nothing recorded. Each case is a real
 * server (no directories) on loopback, so every call below comes from 127.0.0.1.
 */
describe('access to /metrics', () => {
  let schema: GraphQLSchema;
  const stops: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    schema = await buildCrowdgateSchema();
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  async function serve(
    metrics: z.input<typeof metricsSchema> | undefined,
    trustedProxies: string[] = [],
  ): Promise<string> {
    const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-metrics-access-'));
    const store = openSqliteStore(dataDir);
    const config: Config = {
      server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
      dataDir,
      adminTokens: [{ name: 'tests', token: ADMIN_TOKEN }],
      directories: [],
      applications: [],
      trustedProxies: trustedProxies.map(parseCidr),
      ...(metrics ? { metrics: metricsSchema.parse(metrics) } : {}),
    };
    const server = await startServer({ config, store, schema, logger: silentLogger });
    stops.push(async () => {
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return server.url;
  }

  test('by default: loopback reads it (GET and HEAD) without a token; POST is 405 with Allow', async () => {
    const url = await serve(undefined);
    const got = await call(`${url}/metrics`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(got.headers['cache-control']).toBe('no-store');
    expect(parseExposition(got.body).value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect((await call(`${url}/metrics`, { method: 'HEAD' })).status).toBe(200);
    const posted = await call(`${url}/metrics`, { method: 'POST', body: 'x' });
    expect([posted.status, posted.headers['allow']]).toEqual([405, 'GET, HEAD']);
    expect(posted.body).not.toMatch(/^# (HELP|TYPE)/m);
  });

  test('allowedAddresses 10.0.0.0/8: loopback gets 403 without a challenge; X-Forwarded-For counts only from a trusted proxy', async () => {
    const closed = await serve({ allowedAddresses: ['10.0.0.0/8'] });
    const refused = await call(`${closed}/metrics`);
    expect(refused.status).toBe(403);
    expect(refused.headers['www-authenticate']).toBeUndefined();
    expect(refused.body).toMatch(/metrics\.allowedAddresses/);
    expect(refused.body).not.toMatch(/^# (HELP|TYPE)/m);
    expect((await call(`${closed}/metrics`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(403);

    const proxied = await serve({ allowedAddresses: ['10.0.0.0/8'] }, ['127.0.0.1/32']);
    expect((await call(`${proxied}/metrics`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(200);
    expect((await call(`${proxied}/metrics`, { headers: { 'x-forwarded-for': '192.168.7.7' } })).status).toBe(403);
    expect((await call(`${proxied}/metrics`)).status).toBe(403);
  });

  test('a token and no allowed address: 401 with WWW-Authenticate without it or with a wrong one, 200 with it; the token is in no answer', async () => {
    const url = await serve({ token: SCRAPE_TOKEN, allowedAddresses: [] });
    const answers: Answer[] = [];
    const scrape = async (headers: Record<string, string>, method = 'GET') => {
      const answer = await call(`${url}/metrics`, { method, headers });
      answers.push(answer);
      return answer;
    };
    const none = await scrape({});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="crowdgate metrics"');
    const wrong = await scrape({ authorization: `Bearer ${SCRAPE_TOKEN}x` });
    expect([wrong.status, wrong.headers['www-authenticate']]).toEqual([401, 'Bearer realm="crowdgate metrics"']);
    expect((await scrape({ authorization: `Bearer ${SCRAPE_TOKEN.slice(0, -1)}` })).status).toBe(401);
    expect(
      (await scrape({ authorization: `Basic ${Buffer.from(`x:${SCRAPE_TOKEN}`).toString('base64')}` })).status,
    ).toBe(401);
    const right = await scrape({ authorization: `Bearer ${SCRAPE_TOKEN}` });
    expect(right.status).toBe(200);
    expect(parseExposition(right.body).has('crowdgate_http_requests_total')).toBe(true);
    expect((await scrape({ authorization: `bearer ${SCRAPE_TOKEN}` })).status).toBe(200);
    expect((await scrape({ authorization: `Bearer ${SCRAPE_TOKEN}` }, 'POST')).status).toBe(405);
    // The refused scrapes and the POST were counted (as admin/metrics 4xx), and the token is nowhere.
    const last = parseExposition((await scrape({ authorization: `Bearer ${SCRAPE_TOKEN}` })).body);
    expect(last.value('crowdgate_http_requests_total', { door: 'admin', route: 'metrics', status: '4xx' })).toBe(5);
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(SCRAPE_TOKEN.slice(6));
  });

  test('a token with the default addresses: either one is enough, so loopback still reads without it', async () => {
    const url = await serve({ token: SCRAPE_TOKEN });
    expect((await call(`${url}/metrics`)).status).toBe(200);
    expect((await call(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(200);
  });

  test('enabled: false: /metrics is 404 and serving records nothing; with metrics on, the same traffic is recorded', async () => {
    const recorded = jest.spyOn(ServingMetrics.prototype, 'request');
    const registries = jest.spyOn(registryModule, 'processRegistry');
    try {
      const off = await serve({ enabled: false });
      expect(registries).not.toHaveBeenCalled();
      const missing = await call(`${off}/metrics`);
      expect(missing.status).toBe(404);
      expect(missing.body).not.toMatch(/^# (HELP|TYPE)/m);
      expect(missing.headers['x-request-id']).toBeDefined();
      expect((await graphql(off, '{ directories { name } }', {}, ADMIN_TOKEN)).status).toBe(200);
      expect((await call(`${off}/rest/usermanagement/1/user?username=x`)).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(recorded).not.toHaveBeenCalled();

      const on = await serve({ enabled: true });
      expect(registries).toHaveBeenCalledTimes(1);
      expect((await graphql(on, '{ directories { name } }', {}, ADMIN_TOKEN)).status).toBe(200);
      expect((await call(`${on}/rest/usermanagement/1/user?username=x`)).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(recorded.mock.calls.map(([door, route, status]) => [door, route, status])).toEqual([
        ['graphql', 'graphql', 200],
        ['crowd', 'user', 401],
      ]);
    } finally {
      recorded.mockRestore();
      registries.mockRestore();
    }
  });

  test('enabled: false in a whole crowdgate (engine and server): no registry anywhere, /metrics is 404, the demo still serves', async () => {
    const registries = jest.spyOn(registryModule, 'processRegistry');
    const demo = await startDemoCrowdgate({ metrics: { enabled: false } });
    try {
      expect(registries).not.toHaveBeenCalled();
      expect((await call(`${demo.url}/metrics`)).status).toBe(404);
      const answer = await graphql<{ syncDirectory: { status: string } }>(
        demo.url,
        'mutation { syncDirectory(name: "demo") { status } }',
      );
      expect(answer.data).toEqual({ syncDirectory: { status: 'succeeded' } });
      expect(registries).not.toHaveBeenCalled();
    } finally {
      registries.mockRestore();
      await demo.stop();
    }
  }, 60_000);
});
