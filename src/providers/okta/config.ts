import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DirectoryError } from '../../domain/errors';
import { parseSettingsBlock } from '../settings';

/**
 * The `okta:` settings of a directory (crowdgate.yaml, after `${ENV}` interpolation). Only the
 * Okta-specific part: username projection, filters by group name, local groups and schedule are
 * the generic sync settings (config/sync-schema.ts).
 *
 * Contracts:
 * - Strict: an unknown key is an error, so a typo never silently falls back to a default.
 * - Exactly one credential: `apiToken` (SSWS), or an OAuth service app (`clientId` with
 *   `privateKey` or `privateKeyFile`, optional `keyId` and `scopes`).
 * - `orgUrl` is returned without a trailing slash (with one, the
 *   SDK's generated calls go to `//api/v1/...`).
 * - Secrets stay in memory: nothing here writes them anywhere, and messages never echo them.
 */

export const USER_STATUSES = [
  'ACTIVE',
  'DEPROVISIONED',
  'LOCKED_OUT',
  'PASSWORD_EXPIRED',
  'PROVISIONED',
  'RECOVERY',
  'STAGED',
  'SUSPENDED',
] as const;
export type OktaUserStatus = (typeof USER_STATUSES)[number];

/** Okta group types (spec GroupType): groups made in Okta, groups imported from apps/AD, and Everyone. */
export const GROUP_TYPES = ['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN'] as const;
export type OktaGroupType = (typeof GROUP_TYPES)[number];

/**
 * Scopes a sync needs: users and groups for full runs, the System Log for incremental runs
 * (developer.okta.com/docs/api/oauth2: okta.users.read, okta.groups.read, okta.logs.read).
 */
export const DEFAULT_SCOPES = ['okta.users.read', 'okta.groups.read', 'okta.logs.read'] as const;

/** Share of each rate-limit bucket crowdgate may use: half, the rest is for the org's other integrations. */
export const DEFAULT_RATE_LIMIT_SHARE = 0.5;

const orgUrl = z
  .string()
  .trim()
  .transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the absolute URL of the Okta org, such as https://example.okta.com',
      });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'must be an https URL such as https://example.okta.com' });
      return z.NEVER;
    }
    if (
      url.search !== '' ||
      url.hash !== '' ||
      url.username !== '' ||
      url.password !== '' ||
      url.pathname.replace(/\/+$/, '') !== ''
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be the org URL only (https://example.okta.com), without a path such as /admin, a query or credentials',
      });
      return z.NEVER;
    }
    if (/-admin\./i.test(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'is the Admin Console address: drop "-admin" (https://example.okta.com, not https://example-admin.okta.com)',
      });
      return z.NEVER;
    }
    return url.origin;
  });

const scopes = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(/[\s,]+/)).map((s) => s.trim()).filter((s) => s !== ''),
  )
  .refine((list) => list.length > 0, 'must name at least one scope')
  .refine(
    (list) => list.every((s) => /^okta\.[A-Za-z]+\.[A-Za-z.]+$/.test(s)),
    'must be Okta API scopes such as okta.users.read',
  );

const nonEmpty = z.string().min(1, 'must not be empty');

const settingsSchema = z.strictObject({
  orgUrl,
  /** SSWS API token (Security → API → Tokens); acts with the rights of the admin who created it. */
  apiToken: nonEmpty
    .refine((v) => !/^\s*SSWS\s/i.test(v), 'give the token alone, without the "SSWS " prefix')
    .optional(),
  clientId: nonEmpty.optional(),
  /** PEM (PKCS#1 or PKCS#8) or JWK JSON text, typically `${OKTA_PRIVATE_KEY}`. */
  privateKey: nonEmpty.optional(),
  privateKeyFile: nonEmpty.optional(),
  keyId: nonEmpty.optional(),
  scopes: scopes.optional(),
  /** Which group types to sync; default all three. */
  groupTypes: z
    .array(z.enum(GROUP_TYPES, { error: `must be one of ${GROUP_TYPES.join(', ')}` }))
    .min(1, 'must name at least one group type')
    .optional(),
  /** Which user statuses to sync; default all (disabled ones become inactive users). */
  userStatuses: z
    .array(z.enum(USER_STATUSES, { error: `must be one of ${USER_STATUSES.join(', ')}` }))
    .min(1, 'must name at least one status')
    .optional(),
  rateLimitShare: z
    .preprocess(
      (v) => (typeof v === 'string' && /^\d*\.?\d+$/.test(v.trim()) ? Number(v) : v),
      z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1 (the whole limit)'),
    )
    .default(DEFAULT_RATE_LIMIT_SHARE),
  /** Opt-in: check Crowd passwords with Okta's Classic authentication API (/api/v1/authn). */
  passwordAuthentication: z.boolean().default(false),
});

type ParsedSettings = z.output<typeof settingsSchema>;

export type OktaCredentialSettings =
  | { readonly kind: 'ssws'; readonly apiToken: string }
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly privateKey: string;
      readonly keyId?: string;
      readonly scopes: readonly string[];
    };

export interface OktaSettings {
  /** The directory's configured name (for messages). */
  readonly directoryName: string;
  /** Without a trailing slash. */
  readonly orgUrl: string;
  readonly credential: OktaCredentialSettings;
  readonly groupTypes: readonly OktaGroupType[];
  readonly userStatuses: readonly OktaUserStatus[];
  readonly rateLimitShare: number;
  readonly passwordAuthentication: boolean;
}

/**
 * Validates `raw` (the `okta` object of `directories[directoryName]`). Throws
 * `DirectoryError('CONFIGURATION', 'directories[corp].okta.<key>: <problem>')` naming every
 * problem found, one per line.
 */
export function parseOktaSettings(raw: unknown, directoryName: string): OktaSettings {
  const { settings, prefix } = parseSettingsBlock(
    'okta',
    directoryName,
    raw,
    settingsSchema,
    'an Okta directory needs orgUrl and either apiToken or clientId with privateKey',
    credentialProblems,
  );
  return toSettings(settings, directoryName, prefix);
}

/** Exactly one credential kind, complete. */
function credentialProblems(raw: Record<string, unknown>): [string, string][] {
  const token = raw['apiToken'] !== undefined;
  const oauthKeys = ['clientId', 'privateKey', 'privateKeyFile', 'keyId', 'scopes'].filter((k) => raw[k] !== undefined);
  if (token && oauthKeys.length > 0)
    return [[oauthKeys[0]!, 'give either apiToken (SSWS) or an OAuth service app (clientId + privateKey), not both']];
  if (token) return [];
  if (oauthKeys.length === 0)
    return [
      ['apiToken', 'missing: give apiToken, or clientId with privateKey (or privateKeyFile) for an OAuth service app'],
    ];
  const problems: [string, string][] = [];
  if (raw['clientId'] === undefined) problems.push(['clientId', 'missing: the Client ID of the API Services app']);
  const key = raw['privateKey'] !== undefined;
  const file = raw['privateKeyFile'] !== undefined;
  if (key && file) problems.push(['privateKeyFile', 'give either privateKey or privateKeyFile, not both']);
  if (!key && !file)
    problems.push([
      'privateKey',
      'missing: the private key (PEM or JWK JSON) registered with the app, or privateKeyFile',
    ]);
  return problems;
}

function toSettings(s: ParsedSettings, directoryName: string, prefix: string): OktaSettings {
  let credential: OktaCredentialSettings;
  if (s.apiToken !== undefined) credential = { kind: 'ssws', apiToken: s.apiToken.trim() };
  else {
    const privateKey = s.privateKey ?? readKeyFile(s.privateKeyFile as string, prefix);
    const problem = keyProblem(privateKey);
    if (problem !== null)
      throw new DirectoryError(
        'CONFIGURATION',
        `${prefix}.${s.privateKey !== undefined ? 'privateKey' : 'privateKeyFile'}: ${problem}`,
      );
    credential = {
      kind: 'oauth',
      clientId: (s.clientId as string).trim(),
      privateKey,
      ...(s.keyId !== undefined ? { keyId: s.keyId } : {}),
      scopes: s.scopes ?? [...DEFAULT_SCOPES],
    };
  }
  return {
    directoryName,
    orgUrl: s.orgUrl,
    credential,
    groupTypes: s.groupTypes ? [...new Set(s.groupTypes)] : [...GROUP_TYPES],
    userStatuses: s.userStatuses ? [...new Set(s.userStatuses)] : [...USER_STATUSES],
    rateLimitShare: s.rateLimitShare,
    passwordAuthentication: s.passwordAuthentication,
  };
}

function readKeyFile(path: string, prefix: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new DirectoryError(
      'CONFIGURATION',
      `${prefix}.privateKeyFile: cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
}

/** The SDK accepts a PEM private key or a JWK (JSON text); anything else fails only at the first request. */
function keyProblem(key: string): string | null {
  const text = key.trim();
  if (/^-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(text)) return null;
  if (/^-----BEGIN (PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY)-----/.test(text))
    return 'is a public key or certificate: give the private key';
  if (text.startsWith('{')) {
    try {
      const jwk = JSON.parse(text) as { kty?: unknown; d?: unknown };
      if (typeof jwk.kty !== 'string') return 'is JSON but not a JWK (no "kty")';
      if (jwk.d === undefined) return 'is a public JWK: give the private JWK (with "d")';
      return null;
    } catch {
      return 'is neither PEM nor valid JWK JSON';
    }
  }
  return 'must be a PEM private key (-----BEGIN PRIVATE KEY----- …) or a private JWK as JSON';
}
