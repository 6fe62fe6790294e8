import 'reflect-metadata';
import CrowdClient from 'atlassian-crowd-client';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Config } from '../../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { silentLogger } from '../../src/logging/logger';
import { parseCidr } from '../../src/security/cidr';
import { hashPassword } from '../../src/security/password-hash';
import { startServer, type RunningServer } from '../../src/server/server';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { SMALL_DIRECTORY } from '../helpers/fixtures';
import { makeCa, makeServerCertificate, writeCertificate, type Issued } from '../helpers/test-ca';

const APP_PASSWORD = 'tls-app-secret';
const AUTH = `Basic ${Buffer.from(`jira:${APP_PASSWORD}`).toString('base64')}`;

/** A real crowdgate with `server.tls` over a SQLite store holding SMALL_DIRECTORY as "corp". */
async function startHttpsCrowdgate(
  dataDir: string,
  tls: NonNullable<Config['server']['tls']>,
): Promise<{ server: RunningServer; store: Store }> {
  const store = openSqliteStore(dataDir);
  const [corp] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
  await store.apply(corp!.id, SMALL_DIRECTORY);
  const config: Config = {
    server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1, tls },
    dataDir,
    adminTokens: [],
    directories: [
      {
        name: 'corp',
        provider: 'demo',
        localGroups: [],
        ...DEFAULT_SYNC_SETTINGS,
        demo: { seed: 'x', users: 1, groups: 1 },
      },
    ],
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
  const server = await startServer({ config, store, schema: await buildCrowdgateSchema(), logger: silentLogger });
  return { server, store };
}

/** GET a Crowd resource through `agent`; what the connection showed. */
function get(
  url: string,
  agent: https.Agent,
): Promise<{ status: number; body: string; fingerprint256: string; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { agent, headers: { authorization: AUTH, accept: 'application/json' } }, (res) => {
      // Read now: a keep-alive socket is detached from the response once it ends.
      const { fingerprint256 } = (res.socket as TLSSocket).getPeerCertificate();
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          fingerprint256,
          reusedSocket: request.reusedSocket,
        }),
      );
    });
    request.on('error', reject);
  });
}

/** `server.tls` end to end: the npm Crowd client over HTTPS, and certificate reloads under a live connection. */
describe('crowdgate over HTTPS (server.tls)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-https-'));
  let ca: Issued;
  let first: Issued;
  let second: Issued;
  let server: RunningServer;
  let store: Store;
  let files: { certFile: string; keyFile: string };
  beforeAll(async () => {
    ca = await makeCa('crowdgate test CA');
    [first, second] = await Promise.all([
      makeServerCertificate(ca, { commonName: 'first' }),
      makeServerCertificate(ca, { commonName: 'second' }),
    ]);
    files = writeCertificate(dir, first);
    ({ server, store } = await startHttpsCrowdgate(join(dir, 'data'), files));
  }, 30_000);
  afterAll(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('atlassian-crowd-client reads through https:// trusting only the test CA', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // The client takes no CA or agent (lib/api.js calls https.request with host, port, auth,
    // path and headers only), so it uses https.globalAgent: swapped for one whose `ca` is the
    // test CA alone (it replaces the system roots), then restored.
    const crowd = new CrowdClient({ baseUrl: `${server.url}/`, application: { name: 'jira', password: APP_PASSWORD } });
    const original = https.globalAgent;
    https.globalAgent = new https.Agent({ ca: ca.cert });
    try {
      expect(await crowd.user.get('carol')).toMatchObject({ username: 'carol', email: 'carol@example.org' });
      expect(await crowd.group.users.list('developers')).toEqual(['alice', 'Bob Smith']);
      await expect(crowd.user.get('nobody')).rejects.toMatchObject({ type: 'USER_NOT_FOUND' });
    } finally {
      https.globalAgent.destroy();
      https.globalAgent = original;
    }
    // With the system roots only, the certificate is refused: the CA above really did the trusting.
    jest.spyOn(console, 'log').mockImplementationOnce(() => {}); // the client logs the failure itself
    await expect(crowd.user.get('carol')).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  test('reload: new connections get the new certificate, a keep-alive connection keeps working; garbage keeps the old one', async () => {
    const url = `${server.url}/rest/usermanagement/1/user?username=alice`;
    const kept = new https.Agent({ ca: ca.cert, keepAlive: true, maxSockets: 1 });
    const fresh = () => new https.Agent({ ca: ca.cert });
    try {
      const before = await get(url, kept);
      expect(before).toMatchObject({ status: 200, fingerprint256: first.fingerprint256, reusedSocket: false });
      expect(JSON.parse(before.body)).toMatchObject({ name: 'alice' });

      writeCertificate(dir, second);
      expect(await server.reloadTls()).toMatchObject({
        reloaded: true,
        certificate: { subject: 'CN=second', fingerprint256: second.fingerprint256 },
      });
      // The connection opened before the reload is still there, with its certificate.
      expect(await get(url, kept)).toMatchObject({
        status: 200,
        fingerprint256: first.fingerprint256,
        reusedSocket: true,
      });
      expect(await get(url, fresh())).toMatchObject({ status: 200, fingerprint256: second.fingerprint256 });

      writeFileSync(files.keyFile, '-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n');
      const refused = await server.reloadTls();
      expect(refused).toEqual({
        reloaded: false,
        reason: expect.stringMatching(/^server\.tls\.keyFile: .*key\.pem is not a valid PEM private key \(/),
      });
      expect(await get(url, fresh())).toMatchObject({ status: 200, fingerprint256: second.fingerprint256 });
      expect(await get(url, kept)).toMatchObject({
        status: 200,
        fingerprint256: first.fingerprint256,
        reusedSocket: true,
      });
    } finally {
      kept.destroy();
    }
  });
});

describe('RunningServer.reloadTls without server.tls', () => {
  test('reports that there is nothing to reload', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-http-'));
    const store = openSqliteStore(dataDir);
    const server = await startServer({
      config: {
        server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
        dataDir,
        adminTokens: [],
        directories: [],
        applications: [],
        trustedProxies: [],
      },
      store,
      schema: await buildCrowdgateSchema(),
      logger: silentLogger,
    });
    try {
      expect(server.url).toMatch(/^http:\/\//);
      expect(await server.reloadTls()).toEqual({
        reloaded: false,
        reason: expect.stringMatching(/server\.tls is not set/),
      });
    } finally {
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
