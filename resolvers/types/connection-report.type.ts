import { Field, ObjectType } from 'type-graphql';
import type { FindingCode } from '../../src/providers/provider';

/** One line per code for the schema's description (every code is listed: the compiler checks). */
const CODES = {
  OK: 'every read probe passed; the message says what was read',
  SIGNED_IN: 'the credential was accepted (as which application, service account or token)',
  CAN_READ: 'one read probe passed (users, groups, members, the Okta System Log)',
  MISSING_PERMISSION: 'an Entra application permission, a Google admin-role privilege or an Okta admin role is missing',
  WRONG_SECRET: 'the client secret (Entra) or API token (Okta) was refused',
  SECRET_ID_INSTEAD_OF_VALUE: "Entra: the secret's Secret ID was configured instead of its Value",
  UNKNOWN_TENANT: 'Entra: no such tenant (AADSTS90002)',
  UNKNOWN_CLIENT: 'no such app registration (Entra), service account (Google) or OAuth client (Okta)',
  MISSING_SCOPE: 'Google domain-wide delegation or an Okta API scope is not granted',
  ADMIN_NOT_FOUND: 'Google: the impersonated admin does not exist or is suspended',
  NOT_AN_ADMIN: 'the identity crowdgate acts as has no admin role that reads users (Google, Okta)',
  DOMAIN_NOT_FOUND: 'Google: the configured domain is not one of the account',
  CUSTOMER_NOT_FOUND: 'Google: the configured customer ID is not the account',
  INVALID_KEY: 'a key or certificate is missing, malformed, deleted or not registered',
  EXPIRED_CREDENTIAL: 'Entra: the client secret has expired',
  SECRET_EXPIRY: 'Entra: when the client secret expires (WARNING under 30 days), or that it cannot be told',
  UNREACHABLE: 'no answer: connection refused, DNS failure, timeout',
  UNTRUSTED_CERTIFICATE: "the host's TLS certificate is not trusted",
  WRONG_URL: 'the configured URL answers, but not as the provider',
  PROVIDER_UNAVAILABLE: 'the provider kept answering 5xx',
  THROTTLED: 'the provider kept throttling the probes',
  CLOCK_SKEW: "a signed assertion was refused for its time claims: this machine's clock is off",
  WRONG_APP_TYPE: 'Okta: the OAuth app is not an API Services app',
  NO_USERS_VISIBLE: 'the credential works but no user is visible',
  NO_GROUPS_VISIBLE: 'the account has no groups, so members could not be read',
  PASSWORD_AUTHENTICATION: 'password authentication is on, and what it needs or cannot do',
  PASSWORD_AUTHENTICATION_UNAVAILABLE: 'password authentication is on but the provider does not offer it',
  RATE_LIMIT: 'a rate limit the provider reported, and the share crowdgate uses',
  UNEXPECTED_ERROR: 'an answer the test does not recognise; the message quotes it',
} as const satisfies Record<FindingCode, string>;

@ObjectType('ConnectionFinding', {
  description:
    'One finding of a connection test, machine-readable: a stable code, a severity, what was found and how to fix it.',
})
export class ConnectionFindingType {
  @Field(() => String, {
    description: [
      'What the finding is about; a closed list, stable across releases:',
      ...Object.entries(CODES).map(([code, meaning]) => `- ${code}: ${meaning}`),
    ].join('\n'),
  })
  code!: FindingCode;

  @Field(() => String, {
    description:
      'ERROR (crowdgate cannot sync until it is fixed), WARNING (it syncs, with a limitation) or INFO (for the record).',
  })
  severity!: 'ERROR' | 'WARNING' | 'INFO';

  @Field(() => String, { description: "What was found, in an administrator's words; never a secret." })
  message!: string;

  @Field(() => String, {
    description:
      "What to click or change in the provider's portal (with the portal's field names) and in crowdgate's settings; empty when there is nothing to do.",
  })
  fix!: string;

  @Field(() => Date, {
    nullable: true,
    description: 'SECRET_EXPIRY: when the credential expires, where the provider tells.',
  })
  expiresAt?: Date | null;
}

@ObjectType('ConnectionReport', {
  description: "A directory's connection test: can crowdgate read its identity provider?",
})
export class ConnectionReportType {
  @Field(() => Boolean, { description: 'True when every check passed: users, groups and members can be read.' })
  ok!: boolean;

  @Field(() => [String], {
    description: 'One finding per line, naming what is wrong (a key, a permission, a scope); never a secret.',
  })
  messages!: string[];

  @Field(() => [ConnectionFindingType], {
    description:
      'The findings behind `messages`, in the same order, with a stable code and a fix each; `ok` is false exactly when one is an ERROR.',
  })
  findings!: ConnectionFindingType[];
}
