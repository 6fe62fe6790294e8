import { z } from 'zod';
import { parseSettingsBlock } from '../settings';

/**
 * The `entra:` settings of a directory (crowdgate.yaml, after `${ENV}` interpolation).
 *
 * Contracts:
 * - Strict: an unknown key is an error, so a typo never silently falls back to a default.
 * - Exactly one credential: `clientSecret`, or `certificatePath` (+ optional `certificatePassword`).
 * - URLs are https (msal/@azure/identity refuse anything else) and are returned
 *   without a trailing slash; a `graphBaseUrl` ending in `/v1.0` is accepted and the version dropped.
 * - Messages never echo a secret.
 */

/** Large-tenant identity-and-access budget: 8,000 RU per 10 s per app+tenant (https://learn.microsoft.com/en-us/graph/throttling-limits). */
export const LARGE_TENANT_RU_PER_10S = 8_000;
/**
 * Default client-side budget: 90% of the large-tenant budget. The bucket is per app+tenant, so
 * only crowdgate spends it: 10% headroom keeps a healthy sync clear of 429s (clock skew, the
 * bucket Graph sees filling a little later than ours) while wasting little of what Graph allows.
 */
export const DEFAULT_RESOURCE_UNIT_BUDGET = Math.round(LARGE_TENANT_RU_PER_10S * 0.9);
/** Per-app limit across all tenants: 150,000 RU per 20 s (https://learn.microsoft.com/en-us/graph/throttling-limits); no tenant bucket is larger. */
const MAX_RESOURCE_UNIT_BUDGET = 75_000;

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;
/** Authorities that are not one tenant: client credentials need a tenant of their own. */
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);

const guid = (what: string) =>
  z.string().trim().regex(GUID, `must be the ${what} (a GUID such as 00000000-0000-0000-0000-000000000000)`);

const tenantId = z
  .string()
  .trim()
  .refine(
    (v) => !MULTI_TENANT.has(v.toLowerCase()),
    "must name one tenant, not a multi-tenant alias such as 'common' or 'organizations'",
  )
  .refine(
    (v) => MULTI_TENANT.has(v.toLowerCase()) || GUID.test(v) || DOMAIN.test(v),
    'must be the Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com',
  );

const httpsUrl = (dropVersion: boolean) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an absolute https URL such as https://login.microsoftonline.com',
        });
        return z.NEVER;
      }
      if (url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: 'must use https (the Microsoft SDKs refuse plain http)' });
        return z.NEVER;
      }
      if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
        ctx.addIssue({ code: 'custom', message: 'must be a plain https URL without credentials, query or fragment' });
        return z.NEVER;
      }
      let path = url.pathname.replace(/\/+$/, '');
      if (dropVersion) path = path.replace(/\/(v1\.0|beta)$/i, '');
      return `${url.origin}${path}`;
    });

const settingsSchema = z.strictObject({
  tenantId,
  clientId: guid('Application (client) ID'),
  clientSecret: z
    .string()
    .min(1, 'must not be empty')
    .refine(
      (v) => !GUID.test(v.trim()),
      'looks like the secret ID (a GUID): use the secret Value, shown once when the secret was created',
    )
    .optional(),
  certificatePath: z.string().min(1, 'must not be empty').optional(),
  certificatePassword: z.string().optional(),
  authorityHost: httpsUrl(false).default(DEFAULT_AUTHORITY_HOST),
  graphBaseUrl: httpsUrl(true).default(DEFAULT_GRAPH_BASE_URL),
  caCertificate: z
    .string()
    .refine((v) => v.includes('-----BEGIN CERTIFICATE-----'), 'must be PEM text (-----BEGIN CERTIFICATE----- …)')
    .optional(),
  /** `security`: security groups only; `all`: Microsoft 365 groups and distribution lists too. */
  groupTypes: z.enum(['all', 'security']).default('all'),
  /** Opt-in: check Crowd passwords at Entra with ROPC (no MFA, no federated accounts). */
  passwordAuthentication: z.boolean().default(false),
  /** App registration used for ROPC when it is not `clientId` (it needs "Allow public client flows"). */
  publicClientId: guid('Application (client) ID of the public client').optional(),
  /**
   * How a full sync reads group members: `delta` — initial groups delta rounds, 50 groups each
   * (~1 RU per few hundred memberships); `pages` — `/groups/{id}/members` per group (1–2 RU per
   * group). An escape hatch should a tenant's Graph refuse or slow the filtered delta.
   */
  memberReads: z.enum(['delta', 'pages']).default('delta'),
  /** Client-side resource units per 10 s. */
  resourceUnitBudget: z
    .preprocess(
      (v) => (typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : v),
      z
        .number()
        .int('must be an integer')
        .min(100, 'must be at least 100')
        .max(MAX_RESOURCE_UNIT_BUDGET, `must be at most ${MAX_RESOURCE_UNIT_BUDGET}`),
    )
    .default(DEFAULT_RESOURCE_UNIT_BUDGET),
});

type ParsedSettings = z.output<typeof settingsSchema>;

/** How crowdgate authenticates as the app registration. */
export type EntraCredentialSettings =
  | { readonly kind: 'secret'; readonly clientSecret: string }
  | { readonly kind: 'certificate'; readonly certificatePath: string; readonly certificatePassword?: string };

export interface EntraSettings {
  /** The directory's configured name (for messages). */
  readonly directoryName: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: EntraCredentialSettings;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly caCertificate?: string;
  readonly groupTypes: 'all' | 'security';
  readonly passwordAuthentication: boolean;
  readonly publicClientId?: string;
  readonly memberReads: 'delta' | 'pages';
  readonly resourceUnitBudget: number;
}

/**
 * Validates `raw` (the `entra` object of `directories[directoryName]`). Throws
 * `DirectoryError('CONFIGURATION', 'directories[corp].entra.<key>: <problem>')` naming every
 * problem found, one per line.
 */
export function parseEntraSettings(raw: unknown, directoryName: string): EntraSettings {
  const { settings } = parseSettingsBlock(
    'entra',
    directoryName,
    raw,
    settingsSchema,
    'an Entra directory needs at least tenantId, clientId and clientSecret',
    credentialProblems,
  );
  return toSettings(settings, directoryName);
}

/** Exactly one credential: a client secret, or a certificate (with its optional password). */
function credentialProblems(raw: Record<string, unknown>): [string, string][] {
  const secret = raw['clientSecret'] !== undefined;
  const certificate = raw['certificatePath'] !== undefined;
  if (!secret && !certificate)
    return [['clientSecret', 'missing: give clientSecret, or certificatePath for a certificate credential']];
  if (secret && certificate) return [['certificatePath', 'give either clientSecret or certificatePath, not both']];
  if (raw['certificatePassword'] !== undefined && !certificate)
    return [['certificatePassword', 'only applies together with certificatePath']];
  return [];
}

function toSettings(s: ParsedSettings, directoryName: string): EntraSettings {
  const credential: EntraCredentialSettings =
    s.certificatePath !== undefined
      ? {
          kind: 'certificate',
          certificatePath: s.certificatePath,
          ...(s.certificatePassword !== undefined ? { certificatePassword: s.certificatePassword } : {}),
        }
      : { kind: 'secret', clientSecret: s.clientSecret as string };
  return {
    directoryName,
    tenantId: s.tenantId,
    clientId: s.clientId,
    credential,
    authorityHost: s.authorityHost,
    graphBaseUrl: s.graphBaseUrl,
    ...(s.caCertificate !== undefined ? { caCertificate: s.caCertificate } : {}),
    groupTypes: s.groupTypes,
    passwordAuthentication: s.passwordAuthentication,
    ...(s.publicClientId !== undefined ? { publicClientId: s.publicClientId } : {}),
    memberReads: s.memberReads,
    resourceUnitBudget: s.resourceUnitBudget,
  };
}
