import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorOptions, RunningEmulator } from '../core/emulator';
import { Faults } from '../core/faults';
import { TenantState } from '../core/tenant-state';
import { generateTenant, TENANT_EPOCH, type Tenant, type TenantSpec } from '../tenant';
import { createApiContext } from './api';
import { DelegationRegistry, READONLY_SYNC_SCOPES } from './delegation';
import { GoogleDirectory } from './directory';
import { customerIdFor } from './ids';
import { Quota } from './quota';
import { API_PREFIX, createGoogleServer, emptyStats, TOKEN_PATH, type GoogleStats } from './server';
import { createServiceAccount, writeKeyFile, type ServiceAccountKey } from './service-account';
import { AccessTokenStore, DEFAULT_TOKEN_LIFETIME_SECONDS } from './token';

/**
 * Google Workspace Admin SDK Directory API emulator: a loopback HTTP server that the unmodified
 * `googleapis` client reaches with `rootUrl` (API) and a gaxios request interceptor on its `JWT`
 * transporter that sends https://oauth2.googleapis.com/token to `tokenUrl`
 * (https://github.com/googleapis/gaxios#interceptors).
 */

export { DIRECTORY_SCOPES, READONLY_SYNC_SCOPES } from './delegation';
export type { GoogleStats } from './server';
export type { ServiceAccountKey } from './service-account';

export interface GoogleEmulatorOptions extends EmulatorOptions {
  /** Primary domain; default the tenant's. A TenantSpec without domain is generated with it; a Tenant must match it. */
  readonly domain?: string;
  /** Customer id ("C0…"); default derived from the tenant seed. */
  readonly customerId?: string;
  /** Concurrent API requests allowed before 429 rateLimitExceeded (when throttling); default 20. */
  readonly maxConcurrent?: number;
}

/**
 * What crowdgate's Google connector reads from `directories[].google` (docs: README section).
 * `tokenUrl` replaces the library's hard-coded https://oauth2.googleapis.com/token (by a gaxios
 * request interceptor); `rootUrl` is googleapis' `rootUrl` option, with a trailing slash.
 */
export interface GoogleConnectionSettings {
  /** Primary domain of the Workspace account. */
  readonly domain: string;
  /** Customer id; `my_customer` works as well. */
  readonly customerId: string;
  /** Path of the service-account JSON key. */
  readonly serviceAccountKeyFile: string;
  /** Super admin impersonated through domain-wide delegation (the JWT `sub`). */
  readonly adminEmail: string;
  /** Token endpoint (JWT-bearer grant). */
  readonly tokenUrl: string;
  /** Base URL of the API, trailing slash (googleapis `rootUrl`). */
  readonly rootUrl: string;
}

export interface GoogleDirectoryConfig extends Record<string, unknown> {
  readonly name: string;
  readonly provider: 'google';
  readonly google: GoogleConnectionSettings;
}

export interface RunningGoogleEmulator extends RunningEmulator {
  readonly kind: 'google';
  /** The service account's JSON key (as written to `keyFile`). */
  readonly serviceAccountKey: ServiceAccountKey;
  readonly keyFile: string;
  /** Super admin to impersonate (an enabled tenant user, isAdmin: true). */
  readonly adminEmail: string;
  /** An enabled user who is not an administrator (impersonating it gives 403 on every call); null in a tenant without one. */
  readonly nonAdminEmail: string | null;
  readonly domain: string;
  readonly customerId: string;
  /** `${url}/token`. */
  readonly tokenUrl: string;
  /** `${url}/`. */
  readonly rootUrl: string;
  /** The projection of the tenant the API serves (Google ids, lookups, sorted lists). */
  readonly directory: GoogleDirectory;
  /** Tenant id of the group that has a CUSTOMER member (the "All Staff" group), or null. */
  readonly customerMemberGroupId: string | null;
  readonly stats: GoogleStats;
  /** Domain-wide delegation: lets `clientId` request these scopes while impersonating users. */
  grantDelegation(clientId: string, scopes: string[]): void;
  /** Withdraws the scopes (all of the client's when omitted). */
  revokeDelegation(clientId: string, scopes?: string[]): void;
  /** Adds or removes the CUSTOMER member of a group (by tenant id). */
  setCustomerMember(groupTenantId: string, present: boolean): void;
  directoryConfig(name: string): GoogleDirectoryConfig;
}

function isTenant(tenant: Tenant | TenantSpec): tenant is Tenant {
  return Array.isArray(tenant.users);
}

function resolveTenant(tenant: Tenant | TenantSpec, domain: string | undefined): Tenant {
  if (isTenant(tenant)) {
    const given = tenant;
    if (domain !== undefined && domain.toLowerCase() !== given.spec.domain.toLowerCase()) {
      throw new RangeError(`domain ${domain} differs from the tenant's ${given.spec.domain}`);
    }
    return given;
  }
  return generateTenant(domain !== undefined && tenant.domain === undefined ? { ...tenant, domain } : tenant);
}

/** The super admin: the first enabled IT employee (else any enabled employee); created when the tenant has none. */
function chooseAdmin(state: TenantState, domain: string): string {
  const candidates = [...state.users.values()].filter(
    (u) => u.enabled && !u.guest && u.login.toLowerCase().endsWith(`@${domain}`),
  );
  const chosen = candidates.find((u) => u.department === 'IT') ?? candidates[0];
  if (chosen !== undefined) return chosen.id;
  return state.createUser({
    id: '00000000-0000-4000-8000-00000000ad01',
    givenName: 'Workspace',
    surname: 'Admin',
    displayName: 'Workspace Admin',
    login: `admin@${domain}`,
    mail: `admin@${domain}`,
    mailNickname: 'admin',
    samAccountName: null,
    department: 'IT',
    jobTitle: 'Administrator',
    employeeId: '',
    enabled: true,
    guest: false,
    createdAt: new Date(TENANT_EPOCH),
  }).id;
}

export async function startGoogleEmulator(options: GoogleEmulatorOptions): Promise<RunningGoogleEmulator> {
  const tenant = resolveTenant(options.tenant, options.domain);
  const domain = tenant.spec.domain.toLowerCase();
  const customerId = options.customerId ?? customerIdFor(String(tenant.spec.seed));
  const host = options.host ?? '127.0.0.1';
  // A work directory we made (it holds the service-account key file) is removed on close.
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'crowdgate-google-')));

  const state = new TenantState(tenant);
  const faults = new Faults(options.faults ?? {}, options.faultSeed ?? 1);
  const directory = new GoogleDirectory(state, domain, customerId);
  const adminId = chooseAdmin(state, domain);
  directory.setAdmin(adminId, true);
  const nonAdmin = [...state.users.values()].find(
    (u) => u.enabled && !u.guest && u.id !== adminId && directory.findUser(u.login) !== undefined,
  );
  const allStaff = [...state.groups.values()].find((g) => g.kind === 'all-staff') ?? null;
  if (allStaff !== null) directory.setCustomerMember(allStaff.id, true);
  directory.warm();

  const stats = emptyStats();
  const tokens = new AccessTokenStore();
  const delegation = new DelegationRegistry();
  const accounts = new Map<string, Awaited<ReturnType<typeof createServiceAccount>>>();
  const quota = new Quota(options.maxConcurrent);
  const api = createApiContext(directory, () => Date.now());
  const controlToken = randomBytes(24).toString('base64url');
  // The key's token_uri needs the port: listen first, then create the account.
  let projectNumber = '0';
  const server = createGoogleServer({
    state,
    faults,
    controlToken,
    api,
    tokens,
    quota,
    stats,
    get projectNumber() {
      return projectNumber;
    },
    tokenContext: {
      accounts,
      delegation,
      tokens,
      resolveSubject: (email) => directory.activeUserId(email),
      lifetimeSeconds: () => faults.settings.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
      now: () => Date.now(),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const tokenUrl = `${url}${TOKEN_PATH}`;
  const rootUrl = `${url}/`;

  const account = await createServiceAccount({
    projectId: `crowdgate-emu-${customerId.slice(2).toLowerCase()}`,
    accountName: 'crowdgate-sync',
    tokenUrl,
  });
  accounts.set(account.key.client_email, account);
  projectNumber = account.projectNumber;
  delegation.grant(account.key.client_id, READONLY_SYNC_SCOPES);
  const keyFile = await writeKeyFile(workDir, account.key);
  const adminEmail = directory.users.get(adminId)?.email ?? '';

  const emulator: RunningGoogleEmulator = {
    kind: 'google',
    url,
    state,
    faults,
    controlToken,
    serviceAccountKey: account.key,
    keyFile,
    adminEmail,
    nonAdminEmail: nonAdmin === undefined ? null : (directory.users.get(nonAdmin.id)?.email ?? null),
    domain,
    customerId,
    tokenUrl,
    rootUrl,
    directory,
    customerMemberGroupId: allStaff?.id ?? null,
    stats,
    grantDelegation: (clientId, scopes) => delegation.grant(clientId, scopes),
    revokeDelegation: (clientId, scopes) => delegation.revoke(clientId, scopes),
    setCustomerMember: (groupTenantId, present) => directory.setCustomerMember(groupTenantId, present),
    directoryConfig: (name) => ({
      name,
      provider: 'google',
      google: { domain, customerId, serviceAccountKeyFile: keyFile, adminEmail, tokenUrl, rootUrl },
    }),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
    },
  };
  return emulator;
}

export { API_PREFIX };
