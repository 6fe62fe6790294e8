import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { parseSettingsBlock } from '../settings';

/**
 * The `entra:` settings of a directory (crowdgate.yaml, after `${ENV}` interpolation).
 *
 * Contracts:
 * - Strict: an unknown key is an error, so a typo never silently falls back to a default.
 * - Exactly one credential: `clientSecret`, `certificatePath`, or `certificate` (PEM text of the
 *   certificate and its private key, for the API where no file can be written); either certificate
 *   form with an optional `certificatePassword` for an encrypted key. `certificate` is parsed here
 *   (node:crypto), so a PEM that does not parse, a key that does not decrypt or does not belong to
 *   the certificate is a configuration error naming `entra.certificate`, never the first token request.
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
  /** PEM text: the certificate and its private key (what a certificatePath file holds). */
  certificate: z.string().min(1, 'must not be empty').optional(),
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
  | { readonly kind: 'certificate'; readonly certificatePath: string; readonly certificatePassword?: string }
  /** The certificate and its private key as PEM text (checked when the settings were parsed). */
  | { readonly kind: 'certificatePem'; readonly certificate: string; readonly certificatePassword?: string };

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

const CREDENTIAL_KEYS = ['clientSecret', 'certificatePath', 'certificate'] as const;

/** Exactly one credential: a client secret, or a certificate (file or PEM text, with its optional password). */
function credentialProblems(raw: Record<string, unknown>): [string, string][] {
  const given = CREDENTIAL_KEYS.filter((key) => raw[key] !== undefined);
  const [first, second] = given;
  if (first === undefined)
    return [['clientSecret', 'missing: give clientSecret, or certificatePath for a certificate credential']];
  if (given.length === 3) return [['certificate', 'give only one of clientSecret, certificatePath or certificate']];
  if (second !== undefined) return [[second, `give either ${first} or ${second}, not both`]];
  if (raw['certificatePassword'] !== undefined && first === 'clientSecret')
    return [['certificatePassword', 'only applies together with certificatePath or certificate']];
  const pem = raw['certificate'];
  if (typeof pem !== 'string' || pem === '') return [];
  const password = raw['certificatePassword'];
  const read = readCertificatePem(pem, typeof password === 'string' ? password : undefined);
  return 'problem' in read ? [['certificate', read.problem]] : [];
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/;
const KEY_BLOCK = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

/**
 * Reads PEM text meant to hold a certificate and its (RSA) private key: both parsed, the key
 * decrypted with `password` when it is encrypted, and checked to belong to the certificate.
 * Otherwise the problem, in words that never quote the text nor node:crypto's errors.
 */
export function readCertificatePem(
  pem: string,
  password: string | undefined,
): { certificate: X509Certificate; key: KeyObject } | { problem: string } {
  const certificateBlock = CERTIFICATE_BLOCK.exec(pem)?.[0];
  if (certificateBlock === undefined)
    return { problem: 'must be PEM text holding the certificate (-----BEGIN CERTIFICATE----- …) and its private key' };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateBlock);
  } catch {
    return { problem: 'the certificate block (-----BEGIN CERTIFICATE----- …) does not parse as an X.509 certificate' };
  }
  const keyBlock = KEY_BLOCK.exec(pem);
  if (keyBlock === null)
    return {
      problem:
        'holds no private key (-----BEGIN PRIVATE KEY----- …): give the certificate and its private key in one PEM text',
    };
  const encrypted = keyBlock[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock[0]);
  if (encrypted && password === undefined)
    return { problem: 'the private key is encrypted: give its password in certificatePassword' };
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: keyBlock[0],
      format: 'pem',
      ...(password !== undefined ? { passphrase: password } : {}),
    });
  } catch {
    return {
      problem: encrypted
        ? 'the private key does not decrypt with certificatePassword'
        : 'the private key block does not parse as a PEM private key',
    };
  }
  if (key.asymmetricKeyType !== 'rsa')
    return {
      problem: `the private key is not an RSA key (${key.asymmetricKeyType ?? 'unknown type'}): Entra signs certificate credentials with RS256/PS256`,
    };
  if (!certificate.checkPrivateKey(key)) return { problem: 'the private key does not belong to the certificate' };
  return { certificate, key };
}

function toSettings(s: ParsedSettings, directoryName: string): EntraSettings {
  const password = s.certificatePassword !== undefined ? { certificatePassword: s.certificatePassword } : {};
  const credential: EntraCredentialSettings =
    s.certificatePath !== undefined
      ? { kind: 'certificate', certificatePath: s.certificatePath, ...password }
      : s.certificate !== undefined
        ? { kind: 'certificatePem', certificate: s.certificate, ...password }
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
