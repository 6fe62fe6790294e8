import { Field, Float, InputType, Int } from 'type-graphql';

/**
 * The input of createDirectory / updateDirectory / testDirectorySettings / previewDirectory: one
 * `directories:` entry of crowdgate.yaml, key for key, so an entry of the file can be sent as it
 * is as JSON variables. GraphQL only checks shapes and scalar types: choices (provider,
 * groupTypes, nestedGroups…) are Strings, validated with the file's own zod schemas, so a problem
 * is reported at its key (`entra.tenantId: …`).
 *
 * Secrets (entra.clientSecret, entra.certificate, entra.certificatePassword,
 * google.serviceAccountKey, okta.apiToken, okta.privateKey) are write-only: never answered, and
 * left out of an update they keep the stored value (src/config/secret-settings.ts).
 *
 * Differences with the file: integers are Int (the file also takes "42"), and okta.scopes is a
 * list (the file also takes one space- or comma-separated string).
 */

const WRITE_ONLY = 'Write-only: never answered; left out of an update, the stored value is kept.';

@InputType({
  description:
    'Microsoft Entra ID app registration (the `entra:` block). One credential: clientSecret, certificatePath or certificate.',
})
export class EntraSettingsInput {
  @Field(() => String, {
    nullable: true,
    description: 'Directory (tenant) ID (a GUID), or a verified domain such as contoso.onmicrosoft.com.',
  })
  tenantId?: string | null;

  @Field(() => String, { nullable: true, description: 'Application (client) ID of the app registration.' })
  clientId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Client secret Value (Certificates & secrets; not the Secret ID). ${WRITE_ONLY}`,
  })
  clientSecret?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Path, on the server, of a PEM file holding the certificate and its private key.',
  })
  certificatePath?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `PEM text holding the certificate uploaded under Certificates & secrets and its RSA private key (instead of certificatePath). ${WRITE_ONLY}`,
  })
  certificate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Password of an encrypted private key (certificatePath or certificate). ${WRITE_ONLY}`,
  })
  certificatePassword?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Sign-in host; default https://login.microsoftonline.com (national clouds have their own).',
  })
  authorityHost?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Microsoft Graph endpoint; default https://graph.microsoft.com.',
  })
  graphBaseUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'PEM of an extra CA to trust for both hosts (e.g. a TLS-inspecting proxy).',
  })
  caCertificate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: '`all` (default: Microsoft 365 groups and distribution lists too) or `security` groups only.',
  })
  groupTypes?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Check Crowd passwords at Entra (ROPC: no MFA, no federated accounts); default false.',
  })
  passwordAuthentication?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Application (client) ID used for password checks when not clientId (needs "Allow public client flows").',
  })
  publicClientId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'How a full sync reads group members: `delta` (default) or `pages` (per group).',
  })
  memberReads?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Graph resource units per 10 s crowdgate may spend, 100 to 75000; default 7200.',
  })
  resourceUnitBudget?: number | null;
}

@InputType({ description: 'Google Workspace service account (the `google:` block).' })
export class GoogleSettingsInput {
  @Field(() => String, {
    nullable: true,
    description: 'Primary domain (Admin console → Account → Domains); only its users and groups unless customerId.',
  })
  domain?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Customer ID (Admin console → Account → Account settings, e.g. C03az79cb) or my_customer: every domain.',
  })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: "Path, on the server, of the service account's JSON key." })
  serviceAccountKeyFile?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Text of the service account's JSON key (IAM → Service accounts → Keys), instead of serviceAccountKeyFile. ${WRITE_ONLY}`,
  })
  serviceAccountKey?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Email of the Workspace administrator the service account impersonates (domain-wide delegation).',
  })
  adminEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'OAuth token URL; default https://oauth2.googleapis.com/token.' })
  tokenUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Admin SDK root URL; default https://admin.googleapis.com/.' })
  rootUrl?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Org unit paths whose users are synced, each with its sub-units (e.g. /Sales); default all.',
  })
  orgUnits?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Directory API queries per minute crowdgate may use (the project quota); default 2400.',
  })
  queriesPerMinute?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Requests in flight at once, 1 to 20; default follows queriesPerMinute.',
  })
  maxConcurrency?: number | null;
}

@InputType({
  description: 'Okta org (the `okta:` block). One credential: apiToken, or clientId with privateKey or privateKeyFile.',
})
export class OktaSettingsInput {
  @Field(() => String, {
    nullable: true,
    description: 'Org URL such as https://example.okta.com (not the -admin address).',
  })
  orgUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `API token (Security → API → Tokens), without "SSWS ". ${WRITE_ONLY}`,
  })
  apiToken?: string | null;

  @Field(() => String, { nullable: true, description: 'Client ID of the API Services app (OAuth service app).' })
  clientId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Private key (PEM or JWK JSON) whose public key is registered with the API Services app. ${WRITE_ONLY}`,
  })
  privateKey?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Path, on the server, of that private key (instead of privateKey).',
  })
  privateKeyFile?: string | null;

  @Field(() => String, { nullable: true, description: 'Key ID (kid) of that key in the app, when it has several.' })
  keyId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Scopes granted to the app; default okta.users.read, okta.groups.read, okta.logs.read.',
  })
  scopes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'OKTA_GROUP, APP_GROUP, BUILT_IN; default all three.' })
  groupTypes?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'User statuses synced (ACTIVE, SUSPENDED, DEPROVISIONED, …); default all.',
  })
  userStatuses?: string[] | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of each Okta rate limit crowdgate may use, above 0 up to 1; default 0.5.',
  })
  rateLimitShare?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Check Crowd passwords with Okta's authentication API (/api/v1/authn); default false.",
  })
  passwordAuthentication?: boolean | null;
}

@InputType({ description: 'The generated demo tenant (the `demo:` block).' })
export class DemoSettingsInput {
  @Field(() => String, { nullable: true, description: 'Seed: the same seed makes the same tenant.' })
  seed?: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of users; default 300.' })
  users?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of groups; default 30.' })
  groups?: number | null;
}

@InputType({ description: 'A regular expression replacement applied to usernames.' })
export class UsernameReplaceInput {
  @Field(() => String, { description: 'Regular expression (JavaScript, Unicode mode).' })
  pattern!: string;

  @Field(() => String, { description: 'Replacement; $1… name the groups.' })
  with!: string;
}

@InputType({ description: 'Which provider value becomes the Crowd username, and how it is transformed.' })
export class UsernameInput {
  @Field(() => String, {
    nullable: true,
    description: '`login` (default), `email`, or a provider attribute such as samAccountName.',
  })
  source?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Drop everything from the last @; default false.' })
  stripDomain?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' })
  lowercase?: boolean | null;

  @Field(() => [UsernameReplaceInput], {
    nullable: true,
    description: 'Applied in order, after stripDomain and before lowercase.',
  })
  replace?: UsernameReplaceInput[] | null;
}

@InputType({ description: 'A condition on a user attribute: exactly one of equals or matches.' })
export class AttributePredicateInput {
  @Field(() => String, { description: 'Attribute name; `domain` is the domain of the login.' })
  name!: string;

  @Field(() => [String], { nullable: true, description: 'Any of these values.' })
  equals?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A regular expression the value matches.' })
  matches?: string | null;
}

@InputType({ description: 'Which users are synced.' })
export class FiltersInput {
  @Field(() => [String], {
    nullable: true,
    description: 'Only members (also through nesting) of one of these provider groups; default everyone.',
  })
  groups?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Disabled / suspended accounts: `include` (default, as inactive users) or `exclude`.',
  })
  disabledUsers?: string | null;

  @Field(() => String, { nullable: true, description: 'Guest accounts: `include` (default) or `exclude`.' })
  guests?: string | null;

  @Field(() => [AttributePredicateInput], { nullable: true, description: 'All must hold.' })
  attributes?: AttributePredicateInput[] | null;
}

@InputType({ description: 'Members of a provider group also join a local group.' })
export class GroupMappingInput {
  @Field(() => String, { description: 'Provider group name.' })
  from!: string;

  @Field(() => String, { description: 'Crowd group name.' })
  to!: string;
}

@InputType({ description: 'What happens to users who are disabled or vanish upstream.' })
export class DeprovisioningInput {
  @Field(() => String, {
    nullable: true,
    description: 'A user disabled upstream: `deactivate` (default) or `remove`.',
  })
  disabled?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A user deleted upstream or no longer matching the filters: `remove` (default) or `deactivate`.',
  })
  deleted?: string | null;
}

@InputType({ description: 'A run removing more than either limit waits for approval.' })
export class SafetyInput {
  @Field(() => Float, { nullable: true, description: "Share of the directory's users, 0 to 1; default 0.1." })
  maxRemovalShare?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of users; default 500.' })
  maxRemovals?: number | null;
}

@InputType({ description: 'When the directory is synced; 0 turns a kind of run off.' })
export class ScheduleInput {
  @Field(() => Float, { nullable: true, description: 'Minutes between full runs; default 15.' })
  fullMinutes?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds between incremental runs (providers with a change feed); default 60.',
  })
  incrementalSeconds?: number | null;
}

@InputType({
  description:
    'A `directories:` entry of crowdgate.yaml, key for key; the settings block named like the provider holds its settings.',
})
export class DirectoryInput {
  @Field(() => String, { description: 'Unique, case-insensitively; 1 to 64 characters from A-Z a-z 0-9 . _ -.' })
  name!: string;

  @Field(() => String, { description: '`entra`, `google`, `okta` or `demo`.' })
  provider!: string;

  @Field(() => EntraSettingsInput, { nullable: true })
  entra?: EntraSettingsInput | null;

  @Field(() => GoogleSettingsInput, { nullable: true })
  google?: GoogleSettingsInput | null;

  @Field(() => OktaSettingsInput, { nullable: true })
  okta?: OktaSettingsInput | null;

  @Field(() => DemoSettingsInput, { nullable: true })
  demo?: DemoSettingsInput | null;

  @Field(() => UsernameInput, { nullable: true })
  username?: UsernameInput | null;

  @Field(() => FiltersInput, { nullable: true })
  filters?: FiltersInput | null;

  @Field(() => [String], { nullable: true, description: 'Crowd groups every user of this directory joins.' })
  localGroups?: string[] | null;

  @Field(() => [GroupMappingInput], { nullable: true })
  groupMappings?: GroupMappingInput[] | null;

  @Field(() => String, {
    nullable: true,
    description: "`keep` (default) the provider's nested groups, or `flatten` them into direct memberships.",
  })
  nestedGroups?: string | null;

  @Field(() => DeprovisioningInput, { nullable: true })
  deprovisioning?: DeprovisioningInput | null;

  @Field(() => SafetyInput, { nullable: true })
  safety?: SafetyInput | null;

  @Field(() => ScheduleInput, { nullable: true })
  schedule?: ScheduleInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the directory is enabled; kept beside the entry (not a key of crowdgate.yaml).',
  })
  enabled?: boolean | null;
}

/**
 * The entry as the configuration file would hold it: a plain object (type-graphql hands over
 * instances of the input classes) with exactly the keys given — undefined and null dropped at
 * every level, arrays kept (also empty) — ready for the file's zod schema (`parseDirectoryEntry`,
 * then the connector's parser for the provider block). `enabled` is not a key of the file: it is
 * returned beside the entry.
 */
export function directoryInputToConfig(input: DirectoryInput): {
  entry: Record<string, unknown>;
  enabled: boolean | undefined;
} {
  const { enabled, ...rest } = plainObject(input);
  return { entry: rest, enabled: typeof enabled === 'boolean' ? enabled : undefined };
}

function plainObject(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined && field !== null) out[key] = plain(field);
  }
  return out;
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return plainObject(value);
  return value;
}
