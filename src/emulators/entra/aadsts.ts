import { randomUUID } from 'node:crypto';

/**
 * Error answers of the Microsoft identity platform token/metadata endpoints
 * (learn.microsoft.com/entra/identity-platform/reference-error-codes). Body shape:
 * `{ error, error_description: "AADSTSnnnn: …\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …",
 *    error_codes: [nnnn], timestamp, trace_id, correlation_id, error_uri }`;
 * msal turns `error` into `ServerError.errorCode` and keeps the description as the message.
 */
export interface AadstsError {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly description: string;
  readonly suberror?: string;
}

export const aadsts = {
  tenantNotFound: (tenant: string, onMetadata: boolean): AadstsError => ({
    status: 400,
    error: onMetadata ? 'invalid_tenant' : 'invalid_request',
    code: 90002,
    description: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  }),
  missingParameter: (name: string): AadstsError => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    description: `The request body must contain the following parameter: '${name}'.`,
  }),
  unsupportedGrant: (grant: string): AadstsError => ({
    status: 400,
    error: 'unsupported_grant_type',
    code: 70003,
    description: `The app requested an unsupported grant type '${grant}'.`,
  }),
  unknownClient: (clientId: string, tenant: string): AadstsError => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    description: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  }),
  secretRequired: (): AadstsError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000218,
    description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  wrongSecret: (clientId: string): AadstsError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000215,
    description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  expiredSecret: (clientId: string): AadstsError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000222,
    description: `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  }),
  scopeNeedsDefault: (scope: string): AadstsError => ({
    status: 400,
    error: 'invalid_scope',
    code: 1002012,
    description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  unknownResource: (resource: string, tenant: string): AadstsError => ({
    status: 400,
    error: 'invalid_resource',
    code: 500011,
    description: `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  }),
  unknownUser: (tenant: string): AadstsError => ({
    status: 400,
    error: 'invalid_grant',
    code: 50034,
    description: `The user account {EUII Hidden} does not exist in the ${tenant} directory. To sign into this application, the account must be added to the directory.`,
  }),
  wrongPassword: (): AadstsError => ({
    status: 400,
    error: 'invalid_grant',
    code: 50126,
    description: 'Error validating credentials due to invalid username or password.',
  }),
  userDisabled: (): AadstsError => ({
    status: 400,
    error: 'invalid_grant',
    code: 50057,
    description: 'The user account is disabled.',
  }),
  /** ROPC cannot satisfy MFA; msal maps suberror basic_action to InteractionRequiredAuthError. */
  mfaRequired: (): AadstsError => ({
    status: 400,
    error: 'invalid_grant',
    code: 50076,
    suberror: 'basic_action',
    description:
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
  }),
};

export function aadstsBody(e: AadstsError): string {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return JSON.stringify({
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [e.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${e.code}`,
    ...(e.suberror ? { suberror: e.suberror } : {}),
  });
}
