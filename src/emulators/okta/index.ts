/**
 * Okta Management API emulator: serves a tenant (generated or given) as an Okta org on plain
 * HTTP loopback, for the official `@okta/okta-sdk-nodejs` unmodified
 * (`new okta.Client({ orgUrl: emulator.url, token: emulator.apiToken, cacheMiddleware: null })`).
 *
 * Served: `GET /api/v1/users[/{idOrLogin}[/groups]]`, `GET /api/v1/groups[/{id}[/users]]`,
 * `GET /api/v1/logs`, `POST /api/v1/authn`, `POST /oauth2/v1/token`, and the control API
 * `/_emulator/...`. See each module for the exact semantics and the vendor limits they encode.
 *
 * At start the org has one SSWS API token with read-only admin rights (`apiToken`) and one
 * OAuth service app (`oauthClient`) granted `okta.users.read okta.groups.read okta.logs.read`.
 * Nothing is written to disk (`workDir` is unused: plain HTTP, keys kept in memory).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorOptions, RunningEmulator } from '../core/emulator';
import { Faults } from '../core/faults';
import { TenantState } from '../core/tenant-state';
import { generateTenant, type Tenant, type TenantSpec } from '../tenant';
import { Credentials, SCOPES, type AdminRole, type OAuthClientCredentials } from './auth';
import { AuthnBook, type AuthnOutcome } from './authn';
import type { OktaContext } from './context';
import { OktaDirectory } from './directory';
import { derivedOktaId } from './ids';
import { buildLogEvent, type LogActor } from './log-events';
import { DEFAULT_LOG_RETENTION, LogStore, type LogRetention } from './log-store';
import { RateLimiter } from './rate-limit';
import { createRequestListener, emptyStats, type ServerStats } from './server';

export type { AuthnOutcome } from './authn';
export type { OAuthClientCredentials, AdminRole } from './auth';
export type { ServerStats } from './server';
export { SCOPES } from './auth';
export { isEnabledStatus, type UserStatus, type GroupType } from './mapping';

export interface OktaEmulatorOptions extends EmulatorOptions {
  /** Overrides every rate-limit bucket's per-window limit (default: Okta's per-endpoint limits). */
  readonly rateLimitPerMinute?: number;
  /** Length of a rate-limit window in whole seconds; default 60 (Okta). Tests use 1–2. */
  readonly rateLimitWindowSeconds?: number;
  /** Concurrent requests allowed before 429; default 75 (Okta's org-wide API limit). */
  readonly concurrencyLimit?: number;
  /** System Log window; default 100 000 events and 7 days. */
  readonly logRetention?: Partial<LogRetention>;
  /** Password of every user for /api/v1/authn unless set per user; default none. */
  readonly defaultPassword?: string;
}

export interface RunningOktaEmulator extends RunningEmulator {
  readonly kind: 'okta';
  /** `url` without a trailing slash (what `orgUrl` must be). */
  readonly orgUrl: string;
  /** SSWS token with read-only admin rights. */
  readonly apiToken: string;
  /** OAuth service app (private_key_jwt) granted {@link RunningOktaEmulator.oauthScopes}. */
  readonly oauthClient: OAuthClientCredentials;
  readonly oauthScopes: readonly string[];
  /** The Okta view of the tenant (ids, records, indexes). */
  readonly directory: OktaDirectory;
  /** A new SSWS token; `role: 'NONE'` makes one whose admin has no admin role (403 on every call). */
  createApiToken(role?: AdminRole): string;
  /** Revokes an SSWS token or an OAuth access token: later calls with it get 401 E0000011. */
  revokeToken(token: string): void;
  /** Registers another OAuth service app granted exactly `scopes`. */
  createOAuthClient(scopes: readonly string[]): OAuthClientCredentials;
  /** Sets a user's password for /api/v1/authn; `userId` is the Okta id or the tenant id. */
  setUserPassword(userId: string, password: string): void;
  /** Forces the outcome of a correct-password authn for the user (tenant or Okta id). */
  setAuthnOutcome(userId: string, outcome: AuthnOutcome): void;
  /** Server-side cost of the requests answered so far; `resetStats` starts over. */
  stats(): ServerStats;
  resetStats(): void;
  /**
   * The crowdgate `directories:` entry: `{ name, provider: 'okta', okta: { orgUrl, apiToken } }`;
   * with `auth: 'oauth'`: `okta: { orgUrl, clientId, privateKey, keyId, scopes }` instead.
   */
  directoryConfig(name: string, auth?: 'ssws' | 'oauth'): Record<string, unknown>;
}

function isTenant(value: Tenant | TenantSpec): value is Tenant {
  return Array.isArray((value as Tenant).users);
}

export async function startOktaEmulator(options: OktaEmulatorOptions): Promise<RunningOktaEmulator> {
  const tenant = isTenant(options.tenant) ? options.tenant : generateTenant(options.tenant);
  const seed = String(tenant.spec.seed);
  const domain = tenant.spec.domain;
  const state = new TenantState(tenant);
  const faults = new Faults(options.faults ?? {}, options.faultSeed ?? 1);
  const directory = new OktaDirectory(state, seed, domain);
  const logs = new LogStore({ ...DEFAULT_LOG_RETENTION, ...options.logRetention }, () => Date.now());
  const actor: LogActor = {
    id: derivedOktaId('00u', `admin:${seed}`),
    alternateId: `admin@${domain}`,
    displayName: 'Okta Admin',
  };
  const unsubscribe = state.onChange((change) => {
    const events = directory.apply(change);
    if (events.length === 0) return;
    const transactionId = randomBytes(18).toString('base64url');
    logs.append(change.at.getTime(), (published) =>
      events.map((e) => buildLogEvent(e, published, actor, transactionId)),
    );
  });

  let orgUrl = '';
  const credentials = new Credentials(faults, () => orgUrl);
  const apiToken = credentials.createApiToken('READ_ONLY_ADMIN');
  const oauthScopes = [SCOPES.users, SCOPES.groups, SCOPES.logs];
  const oauthClient = credentials.createOAuthClient(oauthScopes);
  const authn = new AuthnBook(options.defaultPassword ?? null);
  const limiter = new RateLimiter(
    {
      windowSeconds: options.rateLimitWindowSeconds ?? 60,
      limitOverride: options.rateLimitPerMinute ?? null,
      concurrencyLimit: options.concurrencyLimit ?? 75,
    },
    () => faults.settings.throttle.budget,
  );
  const controlToken = randomBytes(24).toString('base64url');
  let stats = emptyStats();
  let ctx: OktaContext | null = null;

  const server = createServer(
    createRequestListener({
      ctx: () => {
        if (ctx === null) throw new Error('okta emulator not started');
        return ctx;
      },
      state,
      faults,
      controlToken,
      credentials,
      authn,
      limiter,
      get stats() {
        return stats;
      },
      seenAssertions: new Map(),
    }),
  );
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  orgUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx = {
    directory,
    logs,
    faults,
    org: { orgUrl, userTypeId: directory.userTypeId, adAppId: directory.adAppId, domain },
  };

  const requireUser = (userId: string) => {
    const user = directory.userByAnyId(userId);
    if (user === undefined) throw new Error(`no user ${userId}`);
    return user;
  };

  return {
    kind: 'okta',
    url: orgUrl,
    orgUrl,
    state,
    faults,
    controlToken,
    apiToken,
    oauthClient,
    oauthScopes,
    directory,
    createApiToken: (role: AdminRole = 'READ_ONLY_ADMIN') => credentials.createApiToken(role),
    revokeToken: (token: string) => credentials.revoke(token),
    createOAuthClient: (scopes: readonly string[]) => credentials.createOAuthClient(scopes),
    setUserPassword: (userId: string, password: string) => {
      authn.passwords.set(requireUser(userId).id, password);
    },
    setAuthnOutcome: (userId: string, outcome: AuthnOutcome) => {
      authn.outcomes.set(requireUser(userId).id, outcome);
    },
    stats: () => stats,
    resetStats: () => {
      stats = emptyStats();
    },
    directoryConfig(name: string, auth: 'ssws' | 'oauth' = 'ssws'): Record<string, unknown> {
      const okta =
        auth === 'oauth'
          ? {
              orgUrl,
              clientId: oauthClient.clientId,
              privateKey: oauthClient.privateKeyPem,
              keyId: oauthClient.keyId,
              scopes: [...oauthScopes],
            }
          : { orgUrl, apiToken };
      return { name, provider: 'okta', okta };
    },
    async close(): Promise<void> {
      unsubscribe();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
