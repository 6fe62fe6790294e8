import {
  LogLevel,
  PublicClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import type { PasswordCheck } from '../provider';
import { DEFAULT_AUTHORITY_HOST, type EntraSettings } from './config';
import { aadstsCode } from './errors';

/**
 * Crowd password checks against Entra with the resource-owner password grant (ROPC,
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth-ropc) through msal-node's `acquireTokenByUsernamePassword`.
 *
 * Limits, by design of ROPC: no MFA (a user who must do MFA gets `mfa-required`), no federated
 * (AD FS) accounts without password-hash sync, no personal accounts; the app registration used
 * (`publicClientId`, else `clientId`) needs "Allow public client flows".
 *
 * Outcomes by AADSTS code (reference-error-codes): 50126 / 50034 / 50053 → invalid (a locked or
 * unknown account is not told apart from a wrong password); 50057 → inactive (disabled);
 * 50055 / 50144 → expired; 50076 / 50079 / 50072 / 50074 / 50158 → mfa-required; anything else,
 * including network failures → unavailable with the reason. Tokens obtained are dropped at once
 * (the account is removed from msal's in-memory cache), so checks do not accumulate state.
 */
const SCOPES = ['https://graph.microsoft.com/User.Read'];
const TIMEOUT_MS = 15_000;

type Verdict = Exclude<PasswordCheck, { kind: 'unavailable' }>;

const OUTCOMES: ReadonlyMap<number, Verdict['kind']> = new Map([
  [50126, 'invalid'],
  [50034, 'invalid'],
  [50053, 'invalid'],
  [50057, 'inactive'],
  [50055, 'expired'],
  [50144, 'expired'],
  [50076, 'mfa-required'],
  [50079, 'mfa-required'],
  [50072, 'mfa-required'],
  [50074, 'mfa-required'],
  [50158, 'mfa-required'],
] as const);

export class PasswordChecker {
  private readonly app: PublicClientApplication;

  constructor(settings: EntraSettings, dispatcher: Dispatcher) {
    const custom = settings.authorityHost !== DEFAULT_AUTHORITY_HOST;
    this.app = new PublicClientApplication({
      auth: {
        clientId: settings.publicClientId ?? settings.clientId,
        authority: `${settings.authorityHost}/${settings.tenantId}`,
        // msal trusts its own list of Microsoft hosts; any other host is trusted because we configured it.
        ...(custom ? { knownAuthorities: [new URL(settings.authorityHost).host] } : {}),
      },
      system: {
        networkClient: networkClient(dispatcher),
        loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
      },
    });
  }

  async check(login: string, password: string): Promise<PasswordCheck> {
    if (login === '' || password === '') return { kind: 'invalid' };
    try {
      const result = await this.app.acquireTokenByUsernamePassword({ username: login, password, scopes: SCOPES });
      if (result?.account) await this.app.getTokenCache().removeAccount(result.account);
      return result ? { kind: 'ok' } : { kind: 'unavailable', reason: 'Entra returned no token' };
    } catch (error) {
      return outcome(error);
    }
  }
}

function outcome(error: unknown): PasswordCheck {
  const e = error as { errorCode?: unknown; errorMessage?: unknown; message?: unknown };
  const message = [e.errorMessage, e.message].filter((m): m is string => typeof m === 'string').join(' ');
  const code = aadstsCode(message);
  const kind = code === null ? undefined : OUTCOMES.get(code);
  if (kind !== undefined) return { kind };
  const what =
    code !== null ? `AADSTS${code}` : typeof e.errorCode === 'string' && e.errorCode !== '' ? e.errorCode : 'error';
  const hint = code === 7000218 ? ': the app registration does not allow public client flows' : '';
  return { kind: 'unavailable', reason: `Entra password check failed (${what})${hint}` };
}

/** msal's documented hook for custom HTTP (INetworkModule): fetch through our dispatcher and CA. */
function networkClient(dispatcher: Dispatcher): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const response = await fetch(url, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
      dispatcher,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    } as RequestInit);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const text = await response.text();
    let body: unknown = {};
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = { error: 'invalid_response', error_description: text.slice(0, 300) };
    }
    return { headers, body: body as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
