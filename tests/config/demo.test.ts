import * as path from 'node:path';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { DEMO_ADMIN_TOKEN, DEMO_APPLICATION_PASSWORD, demoConfig } from '../../src/config/demo';
import { addressAllowed } from '../../src/security/cidr';
import { isPasswordHash, verifyPassword } from '../../src/security/password-hash';

describe('demoConfig', () => {
  it('is the documented embedded configuration', async () => {
    const config = await demoConfig({});
    const [application] = config.applications;
    expect(config).toEqual({
      server: { host: '127.0.0.1', port: 8095, contextPath: '', workers: 1 },
      dataDir: path.resolve(process.cwd(), 'data'),
      adminTokens: [{ name: 'demo', token: 'demo' }],
      directories: [
        {
          name: 'demo',
          provider: 'demo',
          localGroups: ['jira-software-users'],
          ...DEFAULT_SYNC_SETTINGS,
          username: { ...DEFAULT_SYNC_SETTINGS.username, stripDomain: true },
          demo: { seed: 'crowdgate-demo', users: 300, groups: 30 },
        },
      ],
      applications: [
        {
          name: 'demo',
          passwordHash: application?.passwordHash,
          allowedAddresses: [
            expect.objectContaining({ text: '127.0.0.1/32' }),
            expect.objectContaining({ text: '::1/128' }),
          ],
          directories: ['demo'],
        },
      ],
      trustedProxies: [],
    });
    expect(DEMO_ADMIN_TOKEN).toBe('demo');
    expect(isPasswordHash(application?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword(DEMO_APPLICATION_PASSWORD, application?.passwordHash ?? '')).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', application?.allowedAddresses ?? [])).toBe(true);
    expect(addressAllowed('192.0.2.1', application?.allowedAddresses ?? [])).toBe(false);
  });

  it('applies overrides, resolving a relative dataDir against the working directory', async () => {
    const config = await demoConfig({ host: '0.0.0.0', port: 0, dataDir: 'tmp/demo' });
    expect(config.server).toEqual({ host: '0.0.0.0', port: 0, contextPath: '', workers: 1 });
    expect(config.dataDir).toBe(path.resolve(process.cwd(), 'tmp/demo'));
  });
});
