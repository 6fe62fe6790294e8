import Ajv, { type ValidateFunction } from 'ajv';
import type { admin_directory_v1 } from 'googleapis';

/**
 * Response validation against googleapis' own types. There is no discovery document locally, so
 * the JSON Schemas below are built from `Record<keyof Schema$X, …>` tables: the compiler rejects
 * a table that misses a field of the official type or invents one, and ajv
 * (`additionalProperties: false`) rejects a response field the official type does not have, or a
 * value of the wrong JSON type (e.g. directMembersCount must be an int64 *string*).
 */

type JsonSchema = Record<string, unknown>;
const ANY: JsonSchema = {};
const STR: JsonSchema = { type: 'string' };
const BOOL: JsonSchema = { type: 'boolean' };
const STRS: JsonSchema = { type: 'array', items: STR };
const OBJ: JsonSchema = { type: 'object' };

function closed<T>(fields: Record<keyof T, JsonSchema>, required: (keyof T)[] = []): JsonSchema {
  return { type: 'object', properties: fields, required, additionalProperties: false };
}

const USER_NAME: Record<keyof admin_directory_v1.Schema$UserName, JsonSchema> = {
  displayName: STR,
  familyName: STR,
  fullName: STR,
  givenName: STR,
};
const USER_EMAIL: Record<keyof admin_directory_v1.Schema$UserEmail, JsonSchema> = {
  address: STR,
  customType: STR,
  primary: BOOL,
  public_key_encryption_certificates: OBJ,
  type: STR,
};
const USER_ORGANIZATION: Record<keyof admin_directory_v1.Schema$UserOrganization, JsonSchema> = {
  costCenter: STR,
  customType: STR,
  department: STR,
  description: STR,
  domain: STR,
  fullTimeEquivalent: { type: 'integer' },
  location: STR,
  name: STR,
  primary: BOOL,
  symbol: STR,
  title: STR,
  type: STR,
};
const USER_EXTERNAL_ID: Record<keyof admin_directory_v1.Schema$UserExternalId, JsonSchema> = {
  customType: STR,
  type: STR,
  value: STR,
};

const USER: Record<keyof admin_directory_v1.Schema$User, JsonSchema> = {
  addresses: ANY,
  agreedToTerms: BOOL,
  aliases: STRS,
  archivalTime: STR,
  archived: BOOL,
  changePasswordAtNextLogin: BOOL,
  creationTime: STR,
  customerId: STR,
  customSchemas: { type: 'object', additionalProperties: OBJ },
  deletionTime: STR,
  emails: { type: 'array', items: closed(USER_EMAIL, ['address']) },
  etag: STR,
  externalIds: { type: 'array', items: closed(USER_EXTERNAL_ID, ['value']) },
  gender: ANY,
  guestAccountInfo: OBJ,
  hashFunction: STR,
  id: { type: 'string', pattern: '^1[0-9]{20}$' },
  ims: ANY,
  includeInGlobalAddressList: BOOL,
  ipWhitelisted: BOOL,
  isAdmin: BOOL,
  isDelegatedAdmin: BOOL,
  isEnforcedIn2Sv: BOOL,
  isEnrolledIn2Sv: BOOL,
  isGuestUser: BOOL,
  isMailboxSetup: BOOL,
  keywords: ANY,
  kind: { const: 'admin#directory#user' },
  languages: ANY,
  lastLoginTime: STR,
  locations: ANY,
  name: closed(USER_NAME, ['givenName', 'familyName', 'fullName']),
  nonEditableAliases: STRS,
  notes: ANY,
  organizations: { type: 'array', items: closed(USER_ORGANIZATION) },
  orgUnitPath: { type: 'string', pattern: '^/' },
  password: STR,
  phones: ANY,
  posixAccounts: ANY,
  primaryEmail: STR,
  recoveryEmail: STR,
  recoveryPhone: STR,
  relations: ANY,
  sshPublicKeys: ANY,
  suspended: BOOL,
  suspensionReason: STR,
  suspensionTime: STR,
  thumbnailPhotoEtag: STR,
  thumbnailPhotoUrl: STR,
  websites: ANY,
};

const GROUP: Record<keyof admin_directory_v1.Schema$Group, JsonSchema> = {
  adminCreated: BOOL,
  aliases: STRS,
  description: STR,
  directMembersCount: { type: 'string', pattern: '^[0-9]+$' },
  email: STR,
  etag: STR,
  externalIds: ANY,
  id: { type: 'string', pattern: '^0[0-9][0-9a-z]{13}$' },
  kind: { const: 'admin#directory#group' },
  name: STR,
  nonEditableAliases: STRS,
};

const MEMBER: Record<keyof admin_directory_v1.Schema$Member, JsonSchema> = {
  delivery_settings: STR,
  email: STR,
  etag: STR,
  id: STR,
  kind: { const: 'admin#directory#member' },
  role: { enum: ['OWNER', 'MANAGER', 'MEMBER'] },
  status: STR,
  type: { enum: ['USER', 'GROUP', 'CUSTOMER'] },
};

const ajv = new Ajv({ allErrors: true });
const validators = {
  user: ajv.compile(
    closed(USER, ['kind', 'id', 'etag', 'primaryEmail', 'name', 'suspended', 'archived', 'customerId', 'orgUnitPath']),
  ),
  group: ajv.compile(closed(GROUP, ['kind', 'id', 'etag', 'email', 'name', 'directMembersCount'])),
  member: ajv.compile(closed(MEMBER, ['kind', 'etag', 'id', 'role', 'type'])),
} satisfies Record<string, ValidateFunction>;

/** Throws with ajv's findings when `value` is not a valid `kind` resource. */
export function expectValid(kind: keyof typeof validators, value: unknown): void {
  const validate = validators[kind];
  if (!validate(value))
    throw new Error(`${kind} invalid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
}
