import {
  PublicClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { accessToken, closeAll, credentialFor, dispatcherFor, raw, startSmall } from './helpers';

/**
 * Identity endpoints driven by the official SDKs: @azure/identity ClientSecretCredential
 * (authorityHost + disableInstanceDiscovery + tlsOptions.ca) for client credentials, and
 * @azure/msal-node PublicClientApplication (authorityMetadata + knownAuthorities, a networkClient
 * trusting the emulator CA) for ROPC.
 */
let emu: RunningEntraEmulator;
beforeAll(async () => {
  emu = await startSmall();
});
afterAll(() => closeAll(emu));

async function tokenError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as Error).message);
  }
  throw new Error('expected the token request to fail');
}

describe('client credentials via ClientSecretCredential', () => {
  test('issues a Graph token the emulator accepts, by tenant id and by tenant domain', async () => {
    const token = await accessToken(emu);
    expect(token.split('.')).toHaveLength(3);
    expect((await raw(emu, '/v1.0/users?$top=1', { token })).status).toBe(200);
    const byDomain = await accessToken(emu, credentialFor(emu, emu.clientId, emu.clientSecret, emu.tenantDomain));
    expect((await raw(emu, '/v1.0/groups?$top=1', { token: byDomain })).status).toBe(200);
  });

  test('unknown tenant → AADSTS90002 (metadata and token endpoints)', async () => {
    const message = await tokenError(
      credentialFor(emu, emu.clientId, emu.clientSecret, 'nope.example').getToken(
        'https://graph.microsoft.com/.default',
      ),
    );
    expect(message).toMatch(/nope\.example|endpoints_resolution_error|90002/);
    const metadata = await raw(emu, '/nope.example/v2.0/.well-known/openid-configuration');
    expect(metadata.status).toBe(400);
    expect(metadata.json).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    expect((metadata.json as { error_description: string }).error_description).toMatch(
      /^AADSTS90002: Tenant 'nope\.example' not found/,
    );
    const tokenEndpoint = await raw(emu, '/nope.example/oauth2/v2.0/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${emu.clientId}&client_secret=x&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default`,
    });
    expect(tokenEndpoint.status).toBe(400);
    expect(tokenEndpoint.json).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  test('unknown client → AADSTS700016', async () => {
    const message = await tokenError(
      credentialFor(emu, '11111111-2222-4333-8444-555555555555', 'x').getToken('https://graph.microsoft.com/.default'),
    );
    expect(message).toMatch(/AADSTS700016/);
  });

  test('wrong secret → AADSTS7000215 invalid_client', async () => {
    const message = await tokenError(
      credentialFor(emu, emu.clientId, 'not-the-secret').getToken('https://graph.microsoft.com/.default'),
    );
    expect(message).toMatch(/AADSTS7000215/);
    expect(message).toMatch(/invalid_client/);
  });

  test('expired secret → AADSTS7000222; a second, valid secret still works', async () => {
    const app = emu.registerApplication({ secretExpiresAt: new Date(Date.now() - 60_000) });
    const message = await tokenError(
      credentialFor(emu, app.clientId, app.clientSecret as string).getToken('https://graph.microsoft.com/.default'),
    );
    expect(message).toMatch(/AADSTS7000222/);
    const fresh = emu.addClientSecret(app.clientId);
    expect(await accessToken(emu, credentialFor(emu, app.clientId, fresh))).toBeTruthy();
  });

  test('scope without /.default → AADSTS1002012 (raw form post, as MSAL would send it)', async () => {
    const response = await raw(emu, `/${emu.tenantId}/oauth2/v2.0/token?client-request-id=abc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emu.clientId,
        client_secret: emu.clientSecret,
        scope: 'https://graph.microsoft.com/User.Read.All',
      }).toString(),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });
});

/** msal-node's documented hook for custom HTTP: a networkClient using undici with the CA. */
function networkClientFor(e: RunningEntraEmulator): INetworkModule {
  const call = async <T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: options?.body,
      dispatcher: dispatcherFor(e),
    } as RequestInit);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    return { headers, body: (await response.json()) as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options) => call('GET', url, options),
    sendPostRequestAsync: (url, options) => call('POST', url, options),
  };
}

function publicClient(e: RunningEntraEmulator, clientId = e.clientId): PublicClientApplication {
  const host = new URL(e.authorityHost).host;
  const base = `${e.authorityHost}/${e.tenantId}`;
  return new PublicClientApplication({
    auth: {
      clientId,
      authority: base,
      knownAuthorities: [host],
      authorityMetadata: JSON.stringify({
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        issuer: `${base}/v2.0`,
      }),
    },
    system: { networkClient: networkClientFor(e) },
  });
}

describe('ROPC via msal-node acquireTokenByUsernamePassword', () => {
  const pick = (predicate: (u: { enabled: boolean; guest: boolean }) => boolean) =>
    [...emu.state.users.values()].find(predicate)!;

  test('right password → tokens with id_token claims and an account', async () => {
    const user = pick((u) => u.enabled && !u.guest);
    emu.setUserPassword(user.id, 'Correct-Horse-1');
    const result = await publicClient(emu).acquireTokenByUsernamePassword({
      username: user.login.toUpperCase(),
      password: 'Correct-Horse-1',
      scopes: ['User.Read'],
    });
    expect(result?.account?.username).toBe(user.login);
    expect(result?.account?.localAccountId).toBe(user.id);
    expect(result?.account?.tenantId).toBe(emu.tenantId);
    expect(result?.idTokenClaims).toMatchObject({ oid: user.id, preferred_username: user.login, tid: emu.tenantId });
    expect(result?.accessToken.split('.')).toHaveLength(3);
  });

  test('wrong password → invalid_grant AADSTS50126', async () => {
    const user = pick((u) => u.enabled && !u.guest);
    emu.setUserPassword(user.id, 'Correct-Horse-1');
    await expect(
      publicClient(emu).acquireTokenByUsernamePassword({
        username: user.login,
        password: 'wrong',
        scopes: ['User.Read'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringMatching(
        /Description: AADSTS50126: Error validating credentials due to invalid username or password\./,
      ),
    });
  });

  test('unknown user → AADSTS50034; disabled user → AADSTS50057', async () => {
    await expect(
      publicClient(emu).acquireTokenByUsernamePassword({
        username: `nobody@${emu.tenantDomain}`,
        password: 'x',
        scopes: ['User.Read'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringMatching(/Description: AADSTS50034/),
    });
    const disabled = pick((u) => !u.enabled);
    emu.setUserPassword(disabled.id, 'Pw-1');
    await expect(
      publicClient(emu).acquireTokenByUsernamePassword({
        username: disabled.login,
        password: 'Pw-1',
        scopes: ['User.Read'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringMatching(/Description: AADSTS50057: The user account is disabled\./),
    });
  });

  test('MFA required → AADSTS50076 surfaced as interaction required', async () => {
    const user = [...emu.state.users.values()].filter((u) => u.enabled && !u.guest)[3]!;
    emu.setUserPassword(user.id, 'Pw-2');
    emu.setMfaRequired(user.id, true);
    await expect(
      publicClient(emu).acquireTokenByUsernamePassword({
        username: user.login,
        password: 'Pw-2',
        scopes: ['User.Read'],
      }),
    ).rejects.toMatchObject({
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'basic_action',
      errorMessage: expect.stringMatching(/^AADSTS50076: /),
    });
    emu.setMfaRequired(user.id, false);
    await expect(
      publicClient(emu).acquireTokenByUsernamePassword({
        username: user.login,
        password: 'Pw-2',
        scopes: ['User.Read'],
      }),
    ).resolves.toBeTruthy();
  });

  test('app without public client flows → AADSTS7000218', async () => {
    const app = emu.registerApplication({ allowPublicClient: false });
    const user = pick((u) => u.enabled && !u.guest);
    emu.setUserPassword(user.id, 'Pw-3');
    await expect(
      publicClient(emu, app.clientId).acquireTokenByUsernamePassword({
        username: user.login,
        password: 'Pw-3',
        scopes: ['User.Read'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringMatching(/Description: AADSTS7000218/),
    });
  });
});
