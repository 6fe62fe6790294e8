import * as path from 'node:path';
import { parseCidr } from '../security/cidr';
import { hashPassword } from '../security/password-hash';
import type { Config } from './schema';
import { DEFAULT_SYNC_SETTINGS } from './sync-schema';

/** Credentials of the built-in demo: application `demo` / password `demo`, admin bearer token `demo`. */
export const DEMO_APPLICATION_PASSWORD = 'demo';
export const DEMO_ADMIN_TOKEN = 'demo';

/**
 * DEMO ONLY. The password of every demo user is `demo`: the in-process tenant has no secrets, and
 * the demo must let a person log into Jira through crowdgate's `/authentication`. Never use the
 * demo provider for real accounts.
 */
export const DEMO_USER_PASSWORD = 'demo';

/**
 * The embedded configuration of `crowdgate serve --demo`.
 *
 * Built as a typed `Config` directly, NOT through `configSchema`: the demo's admin token `demo` is
 * deliberately shorter than the schema's minimum, which applies only to configuration files.
 * `dataDir` (default `./data`) is resolved against `process.cwd()`. The application password hash
 * is computed at each call with `hashPassword` (fresh salt, ~tens of ms).
 */
export async function demoConfig(overrides: { host?: string; port?: number; dataDir?: string } = {}): Promise<Config> {
  return {
    server: { host: overrides.host ?? '127.0.0.1', port: overrides.port ?? 8095, contextPath: '', workers: 1 },
    dataDir: path.resolve(process.cwd(), overrides.dataDir ?? './data'),
    adminTokens: [{ name: 'demo', token: DEMO_ADMIN_TOKEN }],
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
        passwordHash: await hashPassword(DEMO_APPLICATION_PASSWORD),
        allowedAddresses: [parseCidr('127.0.0.1/32'), parseCidr('::1/128')],
        directories: ['demo'],
      },
    ],
    trustedProxies: [],
  };
}
