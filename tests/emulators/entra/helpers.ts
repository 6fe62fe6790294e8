import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { Agent } from 'undici';
import { startEntraEmulator, type EntraEmulatorOptions, type RunningEntraEmulator } from '../../../src/emulators/entra';

/**
 * Test plumbing: every connection goes through the documented options of the official SDKs
 * — ClientSecretCredential { authorityHost, disableInstanceDiscovery,
 * tlsOptions.ca } and Client.initWithMiddleware { authProvider, baseUrl, customHosts,
 * fetchOptions.dispatcher = undici Agent trusting the emulator's CA }.
 */
export const SMALL_SPEC = { seed: 'entra-tests', users: 1500, groups: 120, domain: 'contoso.test' } as const;

export function startSmall(extra: Partial<EntraEmulatorOptions> = {}): Promise<RunningEntraEmulator> {
  return startEntraEmulator({ tenant: SMALL_SPEC, ...extra });
}

export function credentialFor(
  emu: RunningEntraEmulator,
  clientId = emu.clientId,
  secret = emu.clientSecret,
  tenant = emu.tenantId,
): ClientSecretCredential {
  return new ClientSecretCredential(tenant, clientId, secret, {
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emu.caCertificate },
  });
}

const agents = new WeakMap<RunningEntraEmulator, Agent>();

/** An undici dispatcher trusting the emulator's self-signed certificate. */
export function dispatcherFor(emu: RunningEntraEmulator): Agent {
  let agent = agents.get(emu);
  if (!agent) {
    agent = new Agent({ connect: { ca: emu.caCertificate } });
    agents.set(emu, agent);
  }
  return agent;
}

export function graphClient(
  emu: RunningEntraEmulator,
  credential: ClientSecretCredential = credentialFor(emu),
): Client {
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: ['https://graph.microsoft.com/.default'],
    }),
    baseUrl: emu.graphBaseUrl,
    customHosts: new Set([new URL(emu.graphBaseUrl).hostname]),
    fetchOptions: { dispatcher: dispatcherFor(emu) } as RequestInit,
  });
}

/** A Graph access token for raw fetch tests, obtained through ClientSecretCredential. */
export async function accessToken(
  emu: RunningEntraEmulator,
  credential: ClientSecretCredential = credentialFor(emu),
): Promise<string> {
  const token = await credential.getToken('https://graph.microsoft.com/.default');
  return token.token;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/** Plain HTTPS call to the emulator (for asserting raw status codes and headers). */
export async function raw(
  emu: RunningEntraEmulator,
  path: string,
  init: { token?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers['Authorization'] = `Bearer ${init.token}`;
  const url = path.startsWith('https://') ? path : `${emu.graphBaseUrl}${path}`;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body,
    dispatcher: dispatcherFor(emu),
  } as RequestInit);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Graph error body shape check. */
export function graphError(body: unknown): { code: string; message: string; innerError: Record<string, string> } {
  const error = (body as { error?: { code: string; message: string; innerError: Record<string, string> } }).error;
  if (!error) throw new Error(`not a Graph error body: ${JSON.stringify(body)}`);
  return error;
}

export async function closeAll(emu: RunningEntraEmulator | undefined): Promise<void> {
  if (!emu) return;
  const agent = agents.get(emu);
  if (agent) await agent.close();
  await emu.close();
}
