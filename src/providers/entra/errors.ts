import { DirectoryError } from '../../domain/errors';

/**
 * Failures of the Entra connector, and the words an administrator sees for them.
 * Graph error bodies are `{ error: { code, message } }` (https://learn.microsoft.com/en-us/graph/errors); identity-platform errors
 * carry `AADSTSnnnnn` in their description (reference-error-codes).
 */

/** A Graph request that failed for good (after the retries it deserved). `status` 0: no answer. */
export class GraphFailure extends Error {
  override readonly name = 'GraphFailure';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** `GET /groups/…/members`: method and path, never the query (skip tokens are long and opaque). */
    readonly request: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Graph ${request} ${status === 0 ? 'got no answer' : `answered ${status}${code === '' ? '' : ` ${code}`}`}${detail === '' ? '' : `: ${detail}`}`,
      options,
    );
  }
}

/** `GET /users` from a request URL: path after the version, ids kept, query dropped. */
export function describeRequest(method: string, url: string): string {
  const path =
    url
      .replace(/^https:\/\/[^/]+/i, '')
      .replace(/^\/(v1\.0|beta)(?=\/|\?|$)/i, '')
      .split('?')[0] ?? '';
  return `${method.toUpperCase()} ${path === '' ? '/' : path}`;
}

/** The AADSTS number in an identity-platform error message, or null. */
export function aadstsCode(message: string): number | null {
  const match = /AADSTS(\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}

export interface CredentialContext {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost: string;
}

/** A token-endpoint failure in an administrator's words; null when the code is not a configuration mistake we know. */
export function describeAadsts(code: number, c: CredentialContext): string | null {
  switch (code) {
    case 90002:
      return `unknown tenant '${c.tenantId}' (AADSTS90002): set entra.tenantId to the Directory (tenant) ID or a verified domain of your tenant`;
    case 700016:
      return `no application with client id '${c.clientId}' in tenant '${c.tenantId}' (AADSTS700016): set entra.clientId to the Application (client) ID of the app registration`;
    case 7000215:
      return 'the client secret is wrong (AADSTS7000215): entra.clientSecret must be the secret Value, not the Secret ID';
    case 7000222:
      return 'the client secret has expired (AADSTS7000222): add a new secret under Certificates & secrets and put its Value in entra.clientSecret';
    case 7000218:
      return 'the token request carried no client secret or certificate (AADSTS7000218)';
    case 700027:
      return 'the certificate credential was rejected (AADSTS700027): upload the certificate to the app registration under Certificates & secrets';
    case 500011:
      return 'Microsoft Graph is not available to this tenant (AADSTS500011)';
    default:
      return null;
  }
}

/** Turns any connector failure into the DirectoryError the engine records. */
export function toDirectoryError(error: unknown, directoryName: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof GraphFailure) {
    const code = error.status === 401 || error.status === 403 ? 'CONFIGURATION' : 'PROVIDER_UNAVAILABLE';
    const hint = error.status === 403 ? ' (check the application permissions and admin consent)' : '';
    return new DirectoryError(code, `entra directory ${directoryName}: ${error.message}${hint}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DirectoryError('PROVIDER_UNAVAILABLE', `entra directory ${directoryName}: ${message}`, { cause: error });
}
