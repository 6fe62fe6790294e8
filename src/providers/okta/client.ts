import * as okta from '@okta/okta-sdk-nodejs';
import type { OktaSettings } from './config';
import { PacedExecutor, type FetchedResponse } from './transport';
import type { RatePacer } from './pacing';
import type { RequestStats } from '../shared/request-stats';
import type { RetryPolicy } from '../shared/retry';

/**
 * The official SDK client, built so that nothing but crowdgate's configuration reaches it
 * (https://github.com/okta/okta-sdk-nodejs#configuration):
 * - every configuration key the SDK's ConfigLoader knows is given explicitly (`''` when unused),
 *   so `OKTA_CLIENT_*` variables and `okta.yaml` files cannot override or add anything;
 * - `cacheMiddleware: null`: the default cache keeps single-resource GETs forever;
 * - `requestExecutor`: ours (transport.ts) — pacing, 429 waits, retries, our own agent, so
 *   `https_proxy` from the environment is not used either;
 * - `orgUrl` without a trailing slash (config.ts).
 * Reads go through `client.http`, the SDK's transport (SSWS header, or OAuth private_key_jwt
 * access tokens with DPoP and the refresh on 401), with our own `Link` paging and JSON typing:
 * member pages only need ids, and the SDK's model deserialisation of a million members would
 * cost more CPU than the whole sync's rate-limit floor allows.
 */
export interface OktaPage<T> {
  readonly items: T[];
  /** Absolute `rel="next"` URL, verbatim (Okta: follow it as given), or null on the last page. */
  readonly next: string | null;
}

/** Media type that leaves `credentials` out of user objects (smaller pages). */
const OMIT_CREDENTIALS = 'application/json; okta-response=omitCredentials';

export class OktaClient {
  readonly sdk: okta.Client;

  constructor(
    readonly settings: OktaSettings,
    readonly executor: PacedExecutor,
  ) {
    const c = settings.credential;
    const base = { orgUrl: settings.orgUrl, userAgent: 'crowdgate', cacheMiddleware: null, requestExecutor: executor };
    const config =
      c.kind === 'ssws'
        ? { ...base, authorizationMode: 'SSWS', token: c.apiToken, clientId: '', scopes: '', privateKey: '', keyId: '' }
        : {
            ...base,
            authorizationMode: 'PrivateKey',
            token: '',
            clientId: c.clientId,
            scopes: c.scopes.join(' '),
            privateKey: c.privateKey,
            keyId: c.keyId ?? '',
          };
    this.sdk = new okta.Client(config as unknown as ConstructorParameters<typeof okta.Client>[0]);
  }

  /** `stats`: where the executor counts its requests and this client the errors its callers get. */
  static create(
    settings: OktaSettings,
    pacer: RatePacer,
    policy: RetryPolicy,
    concurrency: number,
    stats: RequestStats | null = null,
  ): OktaClient {
    return new OktaClient(
      settings,
      new PacedExecutor(pacer, policy, concurrency, settings.orgUrl.startsWith('https:'), stats),
    );
  }

  /** GET of a path (`/api/v1/...`) or absolute URL; throws the SDK's OktaApiError / HttpError on non-2xx. */
  async get(pathOrUrl: string, omitCredentials = false): Promise<FetchedResponse> {
    const url = pathOrUrl.startsWith('/') ? `${this.settings.orgUrl}${pathOrUrl}` : pathOrUrl;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (omitCredentials) headers['Content-Type'] = OMIT_CREDENTIALS;
    try {
      const response = await this.sdk.http.http(url, { method: 'get', headers } as never);
      return response as unknown as FetchedResponse;
    } catch (error) {
      if (this.executor.stats) this.executor.stats.errors++;
      throw error;
    }
  }

  async getJson<T>(pathOrUrl: string): Promise<T> {
    return (await (await this.get(pathOrUrl)).json()) as T;
  }

  /** One page of a collection and its next link. */
  async page<T>(pathOrUrl: string, omitCredentials = false): Promise<OktaPage<T>> {
    const response = await this.get(pathOrUrl, omitCredentials);
    const body = await response.json();
    if (!Array.isArray(body)) throw new Error(`GET ${pathOrUrl.split('?')[0]}: expected a JSON array`);
    return { items: body as T[], next: nextLink(response.headers.get('link')) };
  }

  /** Every page of a collection, following `rel="next"` until there is none. */
  async *pages<T>(pathOrUrl: string, omitCredentials = false): AsyncGenerator<T[]> {
    let url: string | null = pathOrUrl;
    while (url !== null) {
      const page: OktaPage<T> = await this.page<T>(url, omitCredentials);
      yield page.items;
      url = page.next;
    }
  }

  close(): void {
    this.executor.destroy();
  }
}

/** The `rel="next"` target of a Link header (node-fetch joins repeated headers with ", "). */
export function nextLink(header: string | null): string | null {
  if (header === null) return null;
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>\s*;\s*rel="?next"?\s*$/i.exec(part.trim());
    if (match) return match[1] as string;
  }
  return null;
}
