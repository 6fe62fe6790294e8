import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { google } from 'googleapis';
import { DirectoryError } from '../../domain/errors';
import type { RequestStats } from '../shared/request-stats';
import { DEFAULT_TOKEN_URL, type GoogleSettings } from './config';

/**
 * The service-account key and the JWT clients made from it.
 *
 * Contracts:
 * - The key is read once, on first use, and kept in memory only (never written anywhere).
 *   A malformed key throws `DirectoryError('CONFIGURATION')` saying what is wrong with it — never
 *   quoting it.
 * - `jwt(scopes)` is googleapis' own `google.auth.JWT` with domain-wide delegation (`subject` =
 *   the admin). Two documented knobs only: `transporterOptions.fetchImplementation` = Node's
 *   global fetch (gaxios otherwise `import()`s node-fetch), and — when `tokenUrl` is not Google's —
 *   a request interceptor on the JWT's gaxios transporter that sends the library's hard-coded
 *   https://oauth2.googleapis.com/token to `tokenUrl` (the key's `token_uri` is ignored by the
 *   library).
 * - A JWT client caches its token until expiry and cannot be made to drop it (gtoken hands back
 *   the cached token even with forceRefreshOnFailure): after a 401 the caller builds a new one.
 * - `stats`, when given, counts every request a JWT client sends: the token requests and the API
 *   requests made with it alike pass its transporter's interceptor (gaxios retries are off).
 */

export const SCOPES = {
  users: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  groups: 'https://www.googleapis.com/auth/admin.directory.group.readonly',
  members: 'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
} as const;
/** The three read-only scopes a sync needs (and the only ones it asks for). */
export const SYNC_SCOPES: readonly string[] = [SCOPES.users, SCOPES.groups, SCOPES.members];

export type Jwt = InstanceType<typeof google.auth.JWT>;

/** The fields of a service-account key the sync uses. */
export interface ServiceAccountKey {
  readonly clientEmail: string;
  readonly clientId: string;
  readonly privateKey: string;
  readonly privateKeyId: string | undefined;
  readonly projectId: string | undefined;
}

const GOOGLE_TOKEN_ORIGIN = new URL(DEFAULT_TOKEN_URL).origin;

export class Credentials {
  private key: Promise<ServiceAccountKey> | undefined;

  constructor(
    private readonly settings: GoogleSettings,
    /** Token requests that get no answer within this fail (the retry policy's request timeout). */
    private readonly tokenTimeoutMs: number = 60_000,
    private readonly stats?: RequestStats,
  ) {}

  /** The parsed key (read and checked once). */
  serviceAccount(): Promise<ServiceAccountKey> {
    this.key ??= loadKey(this.settings);
    // A failed read is retried next time (the file may be fixed meanwhile).
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  /** A new JWT client impersonating `adminEmail` for `scopes` (default: the three sync scopes). */
  async jwt(scopes: readonly string[] = SYNC_SCOPES, subject: string = this.settings.adminEmail): Promise<Jwt> {
    const key = await this.serviceAccount();
    const auth = new google.auth.JWT({
      email: key.clientEmail,
      key: key.privateKey,
      ...(key.privateKeyId !== undefined ? { keyId: key.privateKeyId } : {}),
      subject,
      scopes: [...scopes],
      transporterOptions: { fetchImplementation: globalThis.fetch },
    });
    const tokenUrl = this.settings.tokenUrl;
    const target = tokenUrl !== DEFAULT_TOKEN_URL ? new URL(tokenUrl) : undefined;
    const timeout = this.tokenTimeoutMs;
    const stats = this.stats;
    auth.transporter.interceptors.request.add({
      resolved: async (opts) => {
        if (stats) stats.requests++;
        const u = opts.url instanceof URL ? opts.url : new URL(String(opts.url));
        if (u.origin === GOOGLE_TOKEN_ORIGIN && u.pathname === '/token') {
          if (target) opts.url = new URL(target.href);
          // gtoken sets no timeout, so a token endpoint that never answers would hang the run
          // (found by tests/sync/fault-matrix.test.ts). gaxios turns `timeout` into a signal
          // before interceptors run, so the deadline is added to the signal here.
          const deadline = AbortSignal.timeout(timeout);
          opts.signal = opts.signal ? AbortSignal.any([opts.signal as AbortSignal, deadline]) : deadline;
        }
        return opts;
      },
    });
    return auth;
  }
}

async function loadKey(settings: GoogleSettings): Promise<ServiceAccountKey> {
  const where =
    settings.key.kind === 'file'
      ? `the service-account key file ${settings.key.path}`
      : 'the service-account key in serviceAccountKey';
  const fail = (problem: string): never => {
    throw new DirectoryError('CONFIGURATION', `google directory ${settings.directoryName}: ${where} ${problem}`);
  };
  let text: string;
  if (settings.key.kind === 'file') {
    try {
      text = await readFile(settings.key.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`);
    }
  } else text = settings.key.json;
  return parseKey(text, fail);
}

/** Checks a service-account JSON key: the shape Google's console downloads. */
export function parseKey(text: string, fail: (problem: string) => never): ServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(
      'is malformed: not JSON (download the key again: IAM & Admin → Service accounts → Keys → Add key → JSON)',
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail('is malformed: not a JSON object');
  const k = json as Record<string, unknown>;
  const str = (name: string): string | undefined =>
    typeof k[name] === 'string' && (k[name] as string).trim() !== '' ? (k[name] as string) : undefined;
  if (k['type'] !== 'service_account') {
    return fail(
      `is not a service-account key (type is ${JSON.stringify(k['type'] ?? null)}, expected "service_account"): an OAuth client or user credential does not work for domain-wide delegation`,
    );
  }
  const missing = ['client_email', 'client_id', 'private_key'].filter((name) => str(name) === undefined);
  if (missing.length > 0) return fail(`is malformed: missing ${missing.join(', ')}`);
  const privateKey = str('private_key') as string;
  try {
    const parsed = createPrivateKey(privateKey);
    if (parsed.asymmetricKeyType !== 'rsa') return fail('is malformed: private_key is not an RSA key');
  } catch {
    return fail('is malformed: private_key is not a PEM private key');
  }
  const universe = str('universe_domain');
  if (universe !== undefined && universe !== 'googleapis.com')
    return fail(`is for universe ${universe}: domain-wide delegation works in googleapis.com only`);
  return {
    clientEmail: str('client_email') as string,
    clientId: str('client_id') as string,
    privateKey,
    privateKeyId: str('private_key_id'),
    projectId: str('project_id'),
  };
}
