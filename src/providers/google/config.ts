import { z } from 'zod';
import { parseSettingsBlock } from '../settings';

/**
 * The `google:` settings of a directory (crowdgate.yaml, after `${ENV}` interpolation). Only the
 * Google-specific part: username projection, filters, local groups, nesting and schedule are the
 * generic per-directory sync settings (config/sync-schema.ts).
 *
 * Contracts:
 * - Strict: an unknown key is an error, so a typo never silently falls back to a default.
 * - `domain` and/or `customerId` (at least one). Listings use `customer=<customerId>` (every domain
 *   of the account) when a customer id is given, else `domain=<domain>` (that domain's users and
 *   groups only) — the Directory API's own meaning of the two parameters.
 * - Exactly one key: `serviceAccountKeyFile` (a path) or `serviceAccountKey` (the JSON text, e.g.
 *   `${GOOGLE_KEY}`). The key is only read when first needed (a malformed key is then reported by
 *   checkAccess and by the run, naming what is wrong); it is kept in memory only.
 * - `tokenUrl` / `rootUrl` default to Google's; any other value is for an emulator or a proxy.
 *   `rootUrl` is returned with a trailing slash (googleapis resolves API paths against it).
 * - Messages never echo a secret (the key text is never quoted).
 */

/** Directory API default quota: 2,400 queries per minute per user per Cloud project (https://developers.google.com/admin-sdk/directory/v1/limits). */
export const DEFAULT_QUERIES_PER_MINUTE = 2_400;
/**
 * Requests in flight at once. Google does not publish the per-account concurrency limit (429
 * rateLimitExceeded, "cannot be raised"); the emulator allows 20. Default: tuned to the pace —
 * enough requests in flight to keep it busy at ~250 ms per request (10 at 2,400/min), 4..20.
 */
export const MAX_CONCURRENCY = 20;
const REQUEST_SECONDS = 0.25;
export function defaultConcurrency(queriesPerMinute: number): number {
  return Math.min(MAX_CONCURRENCY, Math.max(4, Math.ceil((queriesPerMinute / 60) * REQUEST_SECONDS)));
}

export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const DEFAULT_ROOT_URL = 'https://admin.googleapis.com/';

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;
/** Customer ids look like C03az79cb; `my_customer` means the impersonated admin's own account. */
const CUSTOMER_ID = /^(C[0-9a-z]{5,}|my_customer)$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const url = (trailingSlash: boolean) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      let parsed: URL;
      try {
        parsed = new URL(text);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an absolute URL such as https://oauth2.googleapis.com/token',
        });
        return z.NEVER;
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
        return z.NEVER;
      }
      if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
        ctx.addIssue({ code: 'custom', message: 'must be a plain URL without credentials, query or fragment' });
        return z.NEVER;
      }
      const path = parsed.pathname.replace(/\/+$/, '');
      return `${parsed.origin}${path}${trailingSlash ? '/' : ''}`;
    });

const intSetting = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^[0-9]{1,9}$/.test(v) ? Number(v) : v),
    z.number().int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

const settingsSchema = z.strictObject({
  domain: z.string().trim().regex(DOMAIN, 'must be a domain name such as example.com').optional(),
  customerId: z
    .string()
    .trim()
    .regex(
      CUSTOMER_ID,
      "must be the customer ID from Admin console → Account → Account settings (such as C03az79cb), or 'my_customer'",
    )
    .optional(),
  serviceAccountKeyFile: z.string().min(1, 'must not be empty').optional(),
  serviceAccountKey: z.string().min(1, 'must not be empty (is the environment variable set?)').optional(),
  adminEmail: z.string().trim().regex(EMAIL, 'must be the email address of a Workspace administrator to impersonate'),
  tokenUrl: url(false).default(DEFAULT_TOKEN_URL),
  rootUrl: url(true).default(DEFAULT_ROOT_URL),
  /** Org unit paths whose users are synced (each with its sub-units); empty: every org unit. */
  orgUnits: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\/.*$/, "must be an org unit path starting with '/', such as /Sales"),
    )
    .default([]),
  /** Client-side pace; set it to the project's quota when Google raised it (or lower it when other tools share the quota). */
  queriesPerMinute: intSetting(60, 1_000_000).default(DEFAULT_QUERIES_PER_MINUTE),
  maxConcurrency: intSetting(1, MAX_CONCURRENCY).optional(),
});

type ParsedSettings = z.output<typeof settingsSchema>;

/** Where the service-account JSON key comes from. */
export type GoogleKeySource =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'inline'; readonly json: string };

export interface GoogleSettings {
  /** The directory's configured name (for messages). */
  readonly directoryName: string;
  readonly domain?: string;
  readonly customerId?: string;
  readonly key: GoogleKeySource;
  readonly adminEmail: string;
  readonly tokenUrl: string;
  /** Trailing slash. */
  readonly rootUrl: string;
  /** Normalised: no trailing slash (except `/` itself). */
  readonly orgUnits: readonly string[];
  readonly queriesPerMinute: number;
  readonly maxConcurrency: number;
}

/** The list parameter of users.list / groups.list: `customer` when a customer id is set, else `domain`. */
export function accountScope(
  settings: Pick<GoogleSettings, 'customerId' | 'domain'>,
): { customer: string } | { domain: string } {
  if (settings.customerId !== undefined) return { customer: settings.customerId };
  return { domain: settings.domain as string };
}

/**
 * Validates `raw` (the `google` object of `directories[directoryName]`). Throws
 * `DirectoryError('CONFIGURATION', 'directories[corp].google.<key>: <problem>')` naming every
 * problem found, one per line.
 */
export function parseGoogleSettings(raw: unknown, directoryName: string): GoogleSettings {
  const { settings } = parseSettingsBlock(
    'google',
    directoryName,
    raw,
    settingsSchema,
    'a Google directory needs at least domain (or customerId), serviceAccountKeyFile (or serviceAccountKey) and adminEmail',
    exclusiveProblems,
  );
  return toSettings(settings, directoryName);
}

function exclusiveProblems(raw: Record<string, unknown>): [string, string][] {
  const problems: [string, string][] = [];
  if (raw['domain'] === undefined && raw['customerId'] === undefined)
    problems.push(['domain', 'missing: give the primary domain, or customerId']);
  const file = raw['serviceAccountKeyFile'] !== undefined;
  const inline = raw['serviceAccountKey'] !== undefined;
  if (!file && !inline)
    problems.push([
      'serviceAccountKeyFile',
      'missing: give the path of the service-account JSON key, or its text in serviceAccountKey',
    ]);
  if (file && inline)
    problems.push(['serviceAccountKey', 'give either serviceAccountKeyFile or serviceAccountKey, not both']);
  return problems;
}

function toSettings(s: ParsedSettings, directoryName: string): GoogleSettings {
  const key: GoogleKeySource =
    s.serviceAccountKeyFile !== undefined
      ? { kind: 'file', path: s.serviceAccountKeyFile }
      : { kind: 'inline', json: s.serviceAccountKey as string };
  return {
    directoryName,
    ...(s.domain !== undefined ? { domain: s.domain.toLowerCase() } : {}),
    ...(s.customerId !== undefined ? { customerId: s.customerId } : {}),
    key,
    adminEmail: s.adminEmail,
    tokenUrl: s.tokenUrl,
    rootUrl: s.rootUrl,
    orgUnits: s.orgUnits.map((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p)),
    queriesPerMinute: s.queriesPerMinute,
    maxConcurrency: s.maxConcurrency ?? defaultConcurrency(s.queriesPerMinute),
  };
}
