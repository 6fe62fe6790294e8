import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTenant, type Tenant, type TenantSpec } from '../tenant';
import type { EmulatorOptions, RunningEmulator } from '../core/emulator';
import { Faults } from '../core/faults';
import { TenantState } from '../core/tenant-state';
import { AppRegistry, type RegisterApplicationInput, type RegisteredApplication } from './apps';
import { runBatch } from './batch';
import { makeServerCertificate } from './certificate';
import type { GraphEnv } from './context';
import { UserCredentials } from './credentials';
import { DEFAULT_DELTA_SETTINGS, DeltaService, type DeltaSettings } from './delta';
import { DirectoryIndex } from './directory-index';
import { ExtraMembers, type ExtraKind } from './extras';
import { GraphRouter } from './graph-router';
import { derivedGuid, type IdentityEnv } from './identity';
import { groupSchema } from './mapping';
import { JsonCache } from './json-cache';
import { requestHandler } from './server';
import { EmulatorStats, type StatsSummary } from './stats';
import { Throttle, tenantSizeFor, type TenantSize } from './throttle';
import { TokenSigner } from './tokens';

export type { RegisterApplicationInput, RegisteredApplication } from './apps';
export { DEFAULT_PERMISSIONS } from './apps';
export type { DeltaSettings } from './delta';
export type { StatsSummary } from './stats';
export type { TenantSize } from './throttle';

/**
 * Microsoft Entra ID + Microsoft Graph v1.0 emulator: one HTTPS listener on loopback serving the
 * identity platform (`/{tenant}/…`), Graph (`/v1.0/…`) and the control API (`/_emulator/…`).
 * Drive it with the official SDKs unmodified (see tests/emulators/entra/helpers.ts).
 */
export interface EntraEmulatorOptions extends EmulatorOptions {
  /** Default: a GUID derived from the tenant seed. */
  readonly tenantId?: string;
  /** Verified domain accepted in place of the tenant id; default the tenant's domain. */
  readonly tenantDomain?: string;
  /** Throttling size class (S/M/L budgets); default from the user count (< 50, ≤ 500, more). */
  readonly size?: TenantSize;
  /** Delta paging knobs (objects and member entries per page, replays, token lifetime). */
  readonly delta?: Partial<DeltaSettings>;
}

/**
 * The `directories:` entry for crowdgate's Entra connector. Keys under `entra`:
 * - `tenantId`: tenant GUID (the `{tenant}` of the authority);
 * - `clientId`, `clientSecret`: the default app registration (client credentials);
 * - `authorityHost`: `https://127.0.0.1:PORT` (ClientSecretCredential `authorityHost`; use with
 *   `disableInstanceDiscovery: true`);
 * - `graphBaseUrl`: `https://127.0.0.1:PORT` — the Graph client's `baseUrl` (no version segment;
 *   requests go to `${graphBaseUrl}/v1.0/...`); its hostname belongs in `customHosts`;
 * - `caCertificate`: PEM text of the self-signed certificate to trust (identity `tlsOptions.ca`,
 *   undici `Agent({ connect: { ca } })` for the Graph client's `fetchOptions.dispatcher`).
 */
export type EntraDirectoryConfig = {
  readonly name: string;
  readonly provider: 'entra';
  readonly entra: {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authorityHost: string;
    readonly graphBaseUrl: string;
    readonly caCertificate: string;
  };
};

export interface RunningEntraEmulator extends RunningEmulator {
  readonly kind: 'entra';
  /** PEM of the server certificate (self-signed; trust it as a CA). */
  readonly caCertificate: string;
  /** The same PEM written to `${workDir}/entra-ca.pem` (for NODE_EXTRA_CA_CERTS outside tests). */
  readonly caCertificatePath: string;
  readonly tenantId: string;
  readonly tenantDomain: string;
  /** Default application: granted User.Read.All, Group.Read.All, GroupMember.Read.All. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://host:port` — authority host and Graph base URL alike. */
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  directoryConfig(name: string): EntraDirectoryConfig;
  /** Registers another application (fewer permissions, expired secret, no public client flows, …). */
  registerApplication(input?: RegisterApplicationInput): RegisteredApplication;
  /** Admin-consents more application permissions (tokens issued afterwards carry them). */
  grantPermissions(clientId: string, permissions: readonly string[]): void;
  revokePermissions(clientId: string, permissions: readonly string[]): void;
  /** Adds a secret (optionally already expired) to an application; returns its value. */
  addClientSecret(clientId: string, options?: { value?: string; expiresAt?: Date | null }): string;
  /** Gives a user a cloud password, for ROPC. */
  setUserPassword(userId: string, password: string): void;
  /** ROPC for this user answers AADSTS50076 (MFA required). */
  setMfaRequired(userId: string, required: boolean): void;
  /** All delta/skip tokens issued so far answer 410 Gone from now on. */
  invalidateDeltaTokens(): void;
  /** The orgContact/device members of a group (deterministic; see extras.ts). */
  nonUserMembers(groupId: string): readonly { readonly id: string; readonly type: ExtraKind }[];
  stats(): StatsSummary;
  resetStats(): void;
  /** Refills every throttling bucket. */
  resetThrottle(): void;
}

function isTenant(value: Tenant | TenantSpec): value is Tenant {
  return Array.isArray((value as Tenant).users);
}

export async function startEntraEmulator(options: EntraEmulatorOptions): Promise<RunningEntraEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host))
    throw new Error(`the Entra emulator listens on loopback only, not ${host}`);
  const tenant = isTenant(options.tenant) ? options.tenant : generateTenant(options.tenant);
  const state = new TenantState(tenant);
  const faults = new Faults(options.faults ?? {}, options.faultSeed ?? 1);
  const certificate = await makeServerCertificate(host);
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'crowdgate-entra-'));
  mkdirSync(workDir, { recursive: true });
  const caCertificatePath = join(workDir, 'entra-ca.pem');
  writeFileSync(caCertificatePath, certificate.cert);

  const server = createServer({ key: certificate.key, cert: certificate.cert, keepAliveTimeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `https://${host === '::1' ? '[::1]' : host}:${port}`;

  const seed = String(tenant.spec.seed);
  const tenantId = options.tenantId ?? derivedGuid(`entra-tenant:${seed}`);
  const tenantDomain = options.tenantDomain ?? tenant.spec.domain;
  const extras = new ExtraMembers(seed, state.groups.values());
  const index = new DirectoryIndex(state, extras);
  const apps = new AppRegistry();
  const main = apps.register({ clientId: derivedGuid(`entra-client:${seed}`), displayName: 'crowdgate-sync' });
  const credentials = new UserCredentials();
  const forget = state.onChange((c) => {
    if (c.kind === 'user.deleted') credentials.forget(c.id);
  });
  const signer = new TokenSigner();
  const throttle = new Throttle(faults, options.size ?? tenantSizeFor(tenant.users.length));
  const json = new JsonCache(state);
  const env: GraphEnv = {
    state,
    index,
    extras,
    faults,
    groupSchema: groupSchema(tenantDomain),
    baseUrl,
    tenantId,
    counts: new Map(),
    json,
  };
  const delta = new DeltaService(env, { ...DEFAULT_DELTA_SETTINGS, ...options.delta });
  const router = new GraphRouter({ env, delta, throttle, signer, faults, apps });
  router.setBatchRunner((call, ids) => runBatch(router, call, ids));
  const identity: IdentityEnv = { tenantId, tenantDomain, baseUrl, apps, credentials, signer, faults, state, index };
  const stats = new EmulatorStats();
  const controlToken = randomBytes(24).toString('hex');
  server.on('request', requestHandler({ state, faults, controlToken, router, identity, stats }));

  const clientSecret = main.clientSecret as string;
  return {
    kind: 'entra',
    url: baseUrl,
    state,
    faults,
    controlToken,
    caCertificate: certificate.cert,
    caCertificatePath,
    tenantId,
    tenantDomain,
    clientId: main.clientId,
    clientSecret,
    authorityHost: baseUrl,
    graphBaseUrl: baseUrl,
    directoryConfig: (name) => ({
      name,
      provider: 'entra',
      entra: {
        tenantId,
        clientId: main.clientId,
        clientSecret,
        authorityHost: baseUrl,
        graphBaseUrl: baseUrl,
        caCertificate: certificate.cert,
      },
    }),
    registerApplication: (input) => apps.register(input),
    grantPermissions: (clientId, permissions) => apps.grant(clientId, permissions),
    revokePermissions: (clientId, permissions) => apps.revoke(clientId, permissions),
    addClientSecret: (clientId, secretOptions) => apps.addSecret(clientId, secretOptions),
    setUserPassword: (userId, password) => {
      state.requireUser(userId);
      credentials.setPassword(userId, password);
    },
    setMfaRequired: (userId, required) => credentials.setMfaRequired(userId, required),
    invalidateDeltaTokens: () => delta.invalidateAll(),
    nonUserMembers: (groupId) => extras.of(groupId).map((id) => ({ id, type: extras.kindOf(id) as ExtraKind })),
    stats: () => stats.summary(),
    resetStats: () => stats.reset(),
    resetThrottle: () => throttle.reset(),
    close: async () => {
      forget();
      index.close();
      json.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
    },
  };
}
