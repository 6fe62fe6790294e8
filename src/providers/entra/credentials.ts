import {
  ClientCertificateCredential,
  ClientSecretCredential,
  type ClientSecretCredentialOptions,
  type TokenCredential,
} from '@azure/identity';
import type { Dispatcher } from 'undici';
import { DirectoryError } from '../../domain/errors';
import type { RequestStats } from '../shared/request-stats';
import { DEFAULT_AUTHORITY_HOST, readCertificatePem, type EntraSettings } from './config';
import { aadstsCode, describeAadsts } from './errors';
import { trustedCas } from './transport';

/**
 * App-only Graph tokens (client credentials) through @azure/identity.
 *
 * Contracts:
 * - `token()` returns a cached token until 5 minutes before it expires; concurrent callers share
 *   one token request.
 * - `invalidate(token)`: Graph refused this token (401). msal would hand back the same cached
 *   token, so the next `token()` builds a new credential (empty cache) and asks Entra again.
 * - Credentials: a client secret, a certificate file (read by @azure/identity at each token
 *   request), or a certificate given as PEM text (held in memory, never written to disk).
 * - Failures become `DirectoryError('CONFIGURATION', …)` in an administrator's words. msal reports
 *   an unknown tenant, an unreachable host and an untrusted certificate alike as
 *   `endpoints_resolution_error`; the authority's metadata document is then fetched once to say which.
 * - `stats`, when given, counts every HTTP request the identity library sends (metadata and token
 *   requests, each try of its own pipeline's retries), the retries and 429s among them, and the
 *   time between a 429 and the try after it; the metadata probe counts as a request too.
 */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const REFRESH_MARGIN_MS = 5 * 60_000;

export class AppTokenSource {
  private credential: TokenCredential;
  private current: { token: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly settings: EntraSettings,
    private readonly dispatcher: Dispatcher,
    private readonly now: () => number = Date.now,
    /** A token request that gets no answer within this fails (the retry policy's request timeout). */
    private readonly timeoutMs: number = 60_000,
    private readonly stats?: RequestStats,
  ) {
    this.credential = buildCredential(settings, stats);
  }

  token(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.token);
    if (!this.pending) {
      this.pending = this.fetch().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.current?.token !== token) return;
    this.current = undefined;
    this.credential = buildCredential(this.settings, this.stats);
  }

  private async fetch(): Promise<string> {
    let result;
    try {
      // Without a deadline a token endpoint that never answers hangs the whole run: msal's
      // network client has no timeout of its own and ignores getToken's abortSignal (found by
      // tests/sync/fault-matrix.test.ts). The request left behind ends with its connection.
      result = await withDeadline(this.credential.getToken(GRAPH_SCOPE), this.timeoutMs);
    } catch (error) {
      throw await explainTokenFailure(error, this.settings, this.dispatcher, this.stats);
    }
    if (!result)
      throw new DirectoryError(
        'PROVIDER_UNAVAILABLE',
        `entra directory ${this.settings.directoryName}: Entra returned no access token`,
      );
    const expires = result.expiresOnTimestamp;
    const refreshAt = Math.min(result.refreshAfterTimestamp ?? expires, expires - REFRESH_MARGIN_MS);
    this.current = { token: result.token, refreshAt: Math.max(refreshAt, this.now() + 30_000) };
    return result.token;
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the token endpoint gave no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function buildCredential(s: EntraSettings, stats: RequestStats | undefined): TokenCredential {
  const ca = trustedCas(s.caCertificate);
  const options = {
    authorityHost: s.authorityHost,
    // Instance discovery asks login.microsoftonline.com about the host; for any other host
    // (sovereign clouds via metadata, private endpoints, the emulator) trust the configured one.
    disableInstanceDiscovery: s.authorityHost !== DEFAULT_AUTHORITY_HOST,
    ...(ca ? { tlsOptions: { ca } } : {}),
    ...(stats ? { additionalPolicies: [{ policy: countingPolicy(stats), position: 'perRetry' as const }] } : {}),
  };
  if (s.credential.kind === 'secret')
    return new ClientSecretCredential(s.tenantId, s.clientId, s.credential.clientSecret, options);
  if (s.credential.kind === 'certificatePem')
    return new ClientCertificateCredential(
      s.tenantId,
      s.clientId,
      { certificate: canonicalPem(s, s.credential.certificate, s.credential.certificatePassword) },
      options,
    );
  const config = {
    certificatePath: s.credential.certificatePath,
    ...(s.credential.certificatePassword !== undefined
      ? { certificatePassword: s.credential.certificatePassword }
      : {}),
  };
  return new ClientCertificateCredential(s.tenantId, s.clientId, config, options);
}

type PipelinePolicy = NonNullable<ClientSecretCredentialOptions['additionalPolicies']>[number]['policy'];

/**
 * A policy of the identity library's HTTP pipeline, placed per retry so it sees every try: its
 * own retry policy sends the same request object again, which tells a retry from a new request.
 */
function countingPolicy(stats: RequestStats): PipelinePolicy {
  const sent = new WeakSet<object>();
  const throttledAt = new WeakMap<object, number>();
  return {
    name: 'crowdgateRequestStats',
    async sendRequest(request, next) {
      stats.requests++;
      if (sent.has(request)) stats.retries++;
      else sent.add(request);
      const refused = throttledAt.get(request);
      if (refused !== undefined) stats.rateLimitWaitMs += Date.now() - refused;
      const response = await next(request);
      if (response.status === 429) {
        stats.throttled++;
        throttledAt.set(request, Date.now());
      } else throttledAt.delete(request);
      return response;
    },
  };
}

/**
 * The certificate and its private key as @azure/identity reads them best: the certificate in
 * canonical PEM (its parser wants bare base64 lines), the key decrypted, as PKCS#8 PEM (so no
 * password is needed at each token request). The text was checked when the settings were parsed.
 */
function canonicalPem(s: EntraSettings, pem: string, password: string | undefined): string {
  const read = readCertificatePem(pem, password);
  if ('problem' in read)
    throw new DirectoryError('CONFIGURATION', `entra directory ${s.directoryName}: entra.certificate: ${read.problem}`);
  return `${read.certificate.toString().trim()}\n${String(read.key.export({ format: 'pem', type: 'pkcs8' })).trim()}\n`;
}

/** The one-line reason a token request failed, as an administrator should read it. */
export async function explainTokenFailure(
  error: unknown,
  s: EntraSettings,
  dispatcher: Dispatcher,
  stats?: RequestStats,
): Promise<DirectoryError> {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = `entra directory ${s.directoryName}`;
  const code = aadstsCode(message);
  const known = code === null ? null : describeAadsts(code, s);
  if (known) return new DirectoryError('CONFIGURATION', `${prefix}: ${known}`, { cause: error });
  if (code !== null)
    return new DirectoryError(
      'CONFIGURATION',
      `${prefix}: Entra refused the token request (AADSTS${code}): ${firstSentence(message)}`,
      { cause: error },
    );
  if (s.credential.kind === 'certificate' && /ENOENT|EACCES|EISDIR/.test(message)) {
    return new DirectoryError(
      'CONFIGURATION',
      `${prefix}: cannot read the certificate file ${s.credential.certificatePath} (entra.certificatePath): ${firstSentence(message)}`,
      { cause: error },
    );
  }
  if (/endpoints_resolution_error|certificate/i.test(message)) {
    const probe = await probeAuthority(s, dispatcher, stats);
    if (probe !== null) return new DirectoryError('CONFIGURATION', `${prefix}: ${probe}`, { cause: error });
  }
  return new DirectoryError(
    'PROVIDER_UNAVAILABLE',
    `${prefix}: could not obtain a Graph token: ${firstSentence(message)}`,
    { cause: error },
  );
}

/**
 * Fetches `{authorityHost}/{tenant}/v2.0/.well-known/openid-configuration` (what msal reads
 * first) and says what is wrong with it, or null when it is fine.
 */
export async function probeAuthority(
  s: EntraSettings,
  dispatcher: Dispatcher,
  stats?: RequestStats,
): Promise<string | null> {
  const url = `${s.authorityHost}/${encodeURIComponent(s.tenantId)}/v2.0/.well-known/openid-configuration`;
  let response: Response;
  if (stats) stats.requests++;
  try {
    response = await fetch(url, { dispatcher, signal: AbortSignal.timeout(15_000) } as RequestInit);
  } catch (error) {
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    return `cannot reach the authority host ${s.authorityHost} (${cause?.code ?? cause?.message ?? (error as Error).message}); check entra.authorityHost${s.caCertificate === undefined ? '' : ' and entra.caCertificate'}`;
  }
  const text = await response.text();
  if (response.ok) return null;
  const code = aadstsCode(text);
  const known = code === null ? null : describeAadsts(code, s);
  if (known) return known;
  return `the authority host ${s.authorityHost} answered ${response.status} for tenant '${s.tenantId}': ${firstSentence(text)}`;
}

function firstSentence(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const cut = line.search(/ Trace ID:| Correlation ID:/);
  return (cut > 0 ? line.slice(0, cut) : line).slice(0, 300);
}
