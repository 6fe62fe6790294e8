import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { DirectoryConfig } from '../../src/config/schema';
import type { SecretSettingKey } from '../../src/config/secret-settings';
import {
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_BASE_URL,
  DEFAULT_RESOURCE_UNIT_BUDGET,
} from '../../src/providers/entra/config';
import {
  DEFAULT_QUERIES_PER_MINUTE,
  DEFAULT_ROOT_URL,
  DEFAULT_TOKEN_URL,
  defaultConcurrency,
} from '../../src/providers/google/config';
import { DEFAULT_RATE_LIMIT_SHARE, DEFAULT_SCOPES, GROUP_TYPES, USER_STATUSES } from '../../src/providers/okta/config';

/**
 * A directory's settings as the API answers them: the keys of its `directories:` entry (the
 * input DirectoryInput mirrors), defaults filled in, secrets left out. For each secret key a
 * `<key>Set` flag says whether a value is stored (src/config/secret-settings.ts). Paths
 * (certificatePath, serviceAccountKeyFile, privateKeyFile) are answered: the files are the secrets.
 *
 * A provider block is answered as written, with the connector's defaults where a key is left out
 * (or holds a value of the wrong type; the directory then fails to open with the connector's
 * message). Keys the connector requires are nullable, since a block from the file is only
 * checked when its directory opens.
 */

const SECRET_SET = 'Whether a value is stored (secrets are write-only).';

@ObjectType('EntraSettings', { description: 'The `entra:` block, secrets left out.' })
export class EntraSettingsType {
  @Field(() => String, { nullable: true, description: 'Directory (tenant) ID or verified domain.' })
  tenantId!: string | null;

  @Field(() => String, { nullable: true, description: 'Application (client) ID.' })
  clientId!: string | null;

  @Field(() => Boolean, { description: `clientSecret: ${SECRET_SET}` })
  clientSecretSet!: boolean;

  @Field(() => String, { nullable: true, description: 'Path of the PEM file with the certificate and its key.' })
  certificatePath!: string | null;

  @Field(() => Boolean, { description: `certificate (PEM text): ${SECRET_SET}` })
  certificateSet!: boolean;

  @Field(() => Boolean, { description: `certificatePassword: ${SECRET_SET}` })
  certificatePasswordSet!: boolean;

  @Field(() => String)
  authorityHost!: string;

  @Field(() => String)
  graphBaseUrl!: string;

  @Field(() => String, { nullable: true, description: 'PEM of the extra CA trusted.' })
  caCertificate!: string | null;

  @Field(() => String, { description: '`all` or `security`.' })
  groupTypes!: string;

  @Field(() => Boolean)
  passwordAuthentication!: boolean;

  @Field(() => String, { nullable: true })
  publicClientId!: string | null;

  @Field(() => String, { description: '`delta` or `pages`.' })
  memberReads!: string;

  @Field(() => Int, { description: 'Graph resource units per 10 s.' })
  resourceUnitBudget!: number;
}

@ObjectType('GoogleSettings', { description: 'The `google:` block, secrets left out.' })
export class GoogleSettingsType {
  @Field(() => String, { nullable: true })
  domain!: string | null;

  @Field(() => String, { nullable: true })
  customerId!: string | null;

  @Field(() => String, { nullable: true, description: 'Path of the JSON key file.' })
  serviceAccountKeyFile!: string | null;

  @Field(() => Boolean, { description: `serviceAccountKey (JSON text): ${SECRET_SET}` })
  serviceAccountKeySet!: boolean;

  @Field(() => String, { nullable: true, description: 'Administrator impersonated.' })
  adminEmail!: string | null;

  @Field(() => String)
  tokenUrl!: string;

  @Field(() => String)
  rootUrl!: string;

  @Field(() => [String], { description: 'Org unit paths synced; empty: all.' })
  orgUnits!: string[];

  @Field(() => Int)
  queriesPerMinute!: number;

  @Field(() => Int)
  maxConcurrency!: number;
}

@ObjectType('OktaSettings', { description: 'The `okta:` block, secrets left out.' })
export class OktaSettingsType {
  @Field(() => String, { nullable: true })
  orgUrl!: string | null;

  @Field(() => Boolean, { description: `apiToken: ${SECRET_SET}` })
  apiTokenSet!: boolean;

  @Field(() => String, { nullable: true, description: 'Client ID of the API Services app.' })
  clientId!: string | null;

  @Field(() => Boolean, { description: `privateKey: ${SECRET_SET}` })
  privateKeySet!: boolean;

  @Field(() => String, { nullable: true, description: 'Path of the private key file.' })
  privateKeyFile!: string | null;

  @Field(() => String, { nullable: true })
  keyId!: string | null;

  @Field(() => [String], { nullable: true, description: 'OAuth scopes; null with an API token.' })
  scopes!: string[] | null;

  @Field(() => [String])
  groupTypes!: string[];

  @Field(() => [String])
  userStatuses!: string[];

  @Field(() => Float)
  rateLimitShare!: number;

  @Field(() => Boolean)
  passwordAuthentication!: boolean;
}

@ObjectType('DemoSettings', { description: 'The `demo:` block.' })
export class DemoSettingsType {
  @Field(() => String)
  seed!: string;

  @Field(() => Int)
  users!: number;

  @Field(() => Int)
  groups!: number;
}

@ObjectType('UsernameReplacement')
export class UsernameReplacementType {
  @Field(() => String)
  pattern!: string;

  @Field(() => String)
  with!: string;
}

@ObjectType('UsernameSettings')
export class UsernameSettingsType {
  @Field(() => String)
  source!: string;

  @Field(() => Boolean)
  stripDomain!: boolean;

  @Field(() => Boolean)
  lowercase!: boolean;

  @Field(() => [UsernameReplacementType])
  replace!: UsernameReplacementType[];
}

@ObjectType('AttributePredicate')
export class AttributePredicateType {
  @Field(() => String)
  name!: string;

  @Field(() => [String], { nullable: true })
  equals!: string[] | null;

  @Field(() => String, { nullable: true })
  matches!: string | null;
}

@ObjectType('FilterSettings')
export class FilterSettingsType {
  @Field(() => [String])
  groups!: string[];

  @Field(() => String)
  disabledUsers!: string;

  @Field(() => String)
  guests!: string;

  @Field(() => [AttributePredicateType])
  attributes!: AttributePredicateType[];
}

@ObjectType('GroupMapping')
export class GroupMappingType {
  @Field(() => String)
  from!: string;

  @Field(() => String)
  to!: string;
}

@ObjectType('DeprovisioningSettings')
export class DeprovisioningSettingsType {
  @Field(() => String)
  disabled!: string;

  @Field(() => String)
  deleted!: string;
}

@ObjectType('SafetySettings')
export class SafetySettingsType {
  @Field(() => Float)
  maxRemovalShare!: number;

  @Field(() => Int)
  maxRemovals!: number;
}

@ObjectType('ScheduleSettings')
export class ScheduleSettingsType {
  @Field(() => Float)
  fullMinutes!: number;

  @Field(() => Float)
  incrementalSeconds!: number;
}

@ObjectType('DirectorySettings', {
  description: "A directory's `directories:` entry as in effect (defaults filled in), secrets left out.",
})
export class DirectorySettings {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  provider!: string;

  @Field(() => EntraSettingsType, { nullable: true })
  entra!: EntraSettingsType | null;

  @Field(() => GoogleSettingsType, { nullable: true })
  google!: GoogleSettingsType | null;

  @Field(() => OktaSettingsType, { nullable: true })
  okta!: OktaSettingsType | null;

  @Field(() => DemoSettingsType, { nullable: true })
  demo!: DemoSettingsType | null;

  @Field(() => UsernameSettingsType)
  username!: UsernameSettingsType;

  @Field(() => FilterSettingsType)
  filters!: FilterSettingsType;

  @Field(() => [String])
  localGroups!: string[];

  @Field(() => [GroupMappingType])
  groupMappings!: GroupMappingType[];

  @Field(() => String)
  nestedGroups!: string;

  @Field(() => DeprovisioningSettingsType)
  deprovisioning!: DeprovisioningSettingsType;

  @Field(() => SafetySettingsType)
  safety!: SafetySettingsType;

  @Field(() => ScheduleSettingsType)
  schedule!: ScheduleSettingsType;
}

/**
 * The answer for `config`. `secretKeysSet`: the secret keys stored (sealed) for the directory; a
 * secret written inline in the provider block (a directory of the file) counts as set too. No
 * secret value is ever copied: only the keys listed here are read.
 */
export function toDirectorySettings(config: DirectoryConfig, secretKeysSet: ReadonlySet<string>): DirectorySettings {
  const { username, filters, deprovisioning, safety, schedule } = config;
  const settings: DirectorySettings = {
    name: config.name,
    provider: config.provider,
    entra: null,
    google: null,
    okta: null,
    demo: null,
    username: { ...username, replace: username.replace.map((r) => ({ pattern: r.pattern, with: r.with })) },
    filters: {
      groups: [...filters.groups],
      disabledUsers: filters.disabledUsers,
      guests: filters.guests,
      attributes: filters.attributes.map((a) => ({
        name: a.name,
        equals: a.equals ? [...a.equals] : null,
        matches: a.matches ?? null,
      })),
    },
    localGroups: [...config.localGroups],
    groupMappings: config.groupMappings.map((m) => ({ from: m.from, to: m.to })),
    nestedGroups: config.nestedGroups,
    deprovisioning: { disabled: deprovisioning.disabled, deleted: deprovisioning.deleted },
    safety: { maxRemovalShare: safety.maxRemovalShare, maxRemovals: safety.maxRemovals },
    schedule: { fullMinutes: schedule.fullMinutes, incrementalSeconds: schedule.incrementalSeconds },
  };
  switch (config.provider) {
    case 'entra':
      return { ...settings, entra: entraSettings(new Block(config.entra, secretKeysSet)) };
    case 'google':
      return { ...settings, google: googleSettings(new Block(config.google, secretKeysSet)) };
    case 'okta':
      return { ...settings, okta: oktaSettings(new Block(config.okta, secretKeysSet)) };
    case 'demo':
      return { ...settings, demo: { seed: config.demo.seed, users: config.demo.users, groups: config.demo.groups } };
  }
}

function entraSettings(b: Block): EntraSettingsType {
  return {
    tenantId: b.text('tenantId'),
    clientId: b.text('clientId'),
    clientSecretSet: b.secretSet('clientSecret'),
    certificatePath: b.text('certificatePath'),
    certificateSet: b.secretSet('certificate'),
    certificatePasswordSet: b.secretSet('certificatePassword'),
    authorityHost: b.text('authorityHost') ?? DEFAULT_AUTHORITY_HOST,
    graphBaseUrl: b.text('graphBaseUrl') ?? DEFAULT_GRAPH_BASE_URL,
    caCertificate: b.text('caCertificate'),
    groupTypes: b.choice('groupTypes', ['all', 'security'], 'all'),
    passwordAuthentication: b.flag('passwordAuthentication', false),
    publicClientId: b.text('publicClientId'),
    memberReads: b.choice('memberReads', ['delta', 'pages'], 'delta'),
    resourceUnitBudget: b.integer('resourceUnitBudget') ?? DEFAULT_RESOURCE_UNIT_BUDGET,
  };
}

function googleSettings(b: Block): GoogleSettingsType {
  const queriesPerMinute = b.integer('queriesPerMinute') ?? DEFAULT_QUERIES_PER_MINUTE;
  return {
    domain: b.text('domain'),
    customerId: b.text('customerId'),
    serviceAccountKeyFile: b.text('serviceAccountKeyFile'),
    serviceAccountKeySet: b.secretSet('serviceAccountKey'),
    adminEmail: b.text('adminEmail'),
    tokenUrl: b.text('tokenUrl') ?? DEFAULT_TOKEN_URL,
    rootUrl: b.text('rootUrl') ?? DEFAULT_ROOT_URL,
    orgUnits: b.texts('orgUnits') ?? [],
    queriesPerMinute,
    maxConcurrency: b.integer('maxConcurrency') ?? defaultConcurrency(queriesPerMinute),
  };
}

function oktaSettings(b: Block): OktaSettingsType {
  const clientId = b.text('clientId');
  const apiTokenSet = b.secretSet('apiToken');
  // The connector splits a scopes string at spaces and commas; scopes only apply to an OAuth app.
  const scopeText = b.text('scopes');
  const scopes = scopeText !== null ? scopeText.split(/[\s,]+/).filter((s) => s !== '') : b.texts('scopes');
  return {
    orgUrl: b.text('orgUrl'),
    apiTokenSet,
    clientId,
    privateKeySet: b.secretSet('privateKey'),
    privateKeyFile: b.text('privateKeyFile'),
    keyId: b.text('keyId'),
    scopes: scopes ?? (clientId !== null && !apiTokenSet ? [...DEFAULT_SCOPES] : null),
    groupTypes: b.texts('groupTypes') ?? [...GROUP_TYPES],
    userStatuses: b.texts('userStatuses') ?? [...USER_STATUSES],
    rateLimitShare: b.number('rateLimitShare') ?? DEFAULT_RATE_LIMIT_SHARE,
    passwordAuthentication: b.flag('passwordAuthentication', false),
  };
}

/** Typed reads of an unparsed provider block: a value of another type reads as absent. */
class Block {
  private readonly values: Readonly<Record<string, unknown>>;

  constructor(
    block: unknown,
    private readonly secretKeysSet: ReadonlySet<string>,
  ) {
    this.values = typeof block === 'object' && block !== null && !Array.isArray(block) ? { ...block } : {};
  }

  text(key: string): string | null {
    const value = this.values[key];
    return typeof value === 'string' ? value : null;
  }

  texts(key: string): string[] | null {
    const value = this.values[key];
    return Array.isArray(value) && value.every((v): v is string => typeof v === 'string') ? [...value] : null;
  }

  flag(key: string, fallback: boolean): boolean {
    const value = this.values[key];
    return typeof value === 'boolean' ? value : fallback;
  }

  choice(key: string, allowed: readonly string[], fallback: string): string {
    const value = this.text(key);
    return value !== null && allowed.includes(value) ? value : fallback;
  }

  /** A number, or a decimal string as the file allows (`${BUDGET}`). */
  number(key: string): number | null {
    const value = this.values[key];
    const parsed = typeof value === 'string' && /^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : value;
    return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : null;
  }

  /** An integer GraphQL's Int can carry (32 bits). */
  integer(key: string): number | null {
    const value = this.number(key);
    return value !== null && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : null;
  }

  /** Stored sealed, or written inline (a file's directory); never the value. */
  secretSet(key: SecretSettingKey): boolean {
    const inline = this.values[key];
    return this.secretKeysSet.has(key) || (typeof inline === 'string' && inline !== '');
  }
}
