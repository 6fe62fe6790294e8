import type { ProviderKind } from './schema';

/**
 * Which keys of a directory's provider settings (`directories[].<provider>`) are confidential, and
 * how a settings block is split into its plain part and its secrets.
 *
 * Contract: secrets are stored sealed (src/security/secret-box.ts, context such as
 * `directory:corp:entra.clientSecret`) and are never answered: APIs report only whether each one
 * is set (`secretsSet`, the `<key>Set` fields of the GraphQL settings). An update that leaves a
 * secret out keeps the stored one (`keepStoredSecrets`), unless the update chose another
 * credential that excludes it.
 *
 * Paths (`certificatePath`, `serviceAccountKeyFile`, `privateKeyFile`) are not secrets: the file
 * they name is. Neither are ids (`clientId`, `keyId`) nor the public `caCertificate`.
 */
export const SECRET_SETTINGS = {
  /** Client secret Value; certificate (PEM text with its private key) and the key's password. */
  entra: ['clientSecret', 'certificatePassword', 'certificate'],
  /** The service account's JSON key text. */
  google: ['serviceAccountKey'],
  /** SSWS API token; the OAuth service app's private key (PEM or JWK). */
  okta: ['apiToken', 'privateKey'],
  demo: [],
} as const satisfies Record<ProviderKind, readonly string[]>;

export type SecretSettingKey<Kind extends ProviderKind = ProviderKind> = (typeof SECRET_SETTINGS)[Kind][number];

/**
 * Keys of each credential a provider accepts. The connector's parser allows exactly one
 * credential, so a stored secret that belongs to no credential shared with the keys of an update
 * must go (an update switching from clientSecret to a certificate does not keep the old secret).
 */
const CREDENTIALS: Record<ProviderKind, readonly (readonly string[])[]> = {
  entra: [['clientSecret'], ['certificatePath', 'certificatePassword'], ['certificate', 'certificatePassword']],
  google: [['serviceAccountKeyFile'], ['serviceAccountKey']],
  okta: [
    ['apiToken'],
    ['clientId', 'privateKey', 'keyId', 'scopes'],
    ['clientId', 'privateKeyFile', 'keyId', 'scopes'],
  ],
  demo: [],
};

export function isSecretSetting(kind: ProviderKind, key: string): boolean {
  return (SECRET_SETTINGS[kind] as readonly string[]).includes(key);
}

/**
 * Splits a provider settings block: `settings` is every other key (values as given), `secrets`
 * the confidential keys whose value is a string. A confidential key holding anything else
 * (null, a number…) is dropped from both: validate the block first, so that cannot happen.
 */
export function splitSecrets(
  kind: ProviderKind,
  block: Readonly<Record<string, unknown>>,
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(block)) {
    if (!isSecretSetting(kind, key)) settings[key] = value;
    else if (typeof value === 'string') secrets[key] = value;
  }
  return { settings, secrets };
}

/** The whole block again, as the connector's parser reads it (a secret wins over a same-named plain key). */
export function withSecrets(
  settings: Readonly<Record<string, unknown>>,
  secrets: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return { ...settings, ...secrets };
}

/** For each confidential key of `kind`: whether a non-empty value is stored. */
export function secretsSet(kind: ProviderKind, secrets: Readonly<Record<string, string>>): Record<string, boolean> {
  return Object.fromEntries(
    (SECRET_SETTINGS[kind] as readonly string[]).map((key) => [key, (secrets[key] ?? '') !== ''] as const),
  );
}

/**
 * The secrets of an update: those it gives, plus each stored one it leaves out — unless a key of
 * the update (plain or secret) belongs only to other credentials than the stored secret, e.g. a
 * stored `clientSecret` when the update gives `certificatePath`, or a stored Okta `apiToken` when
 * it gives `clientId`.
 */
export function keepStoredSecrets(
  kind: ProviderKind,
  update: { readonly settings: Readonly<Record<string, unknown>>; readonly secrets: Readonly<Record<string, string>> },
  stored: Readonly<Record<string, string>>,
): Record<string, string> {
  const given = [...Object.keys(update.settings), ...Object.keys(update.secrets)].filter(
    (key) => (update.settings[key] ?? update.secrets[key]) !== undefined,
  );
  const credentials = CREDENTIALS[kind];
  const compatible = (secret: string, key: string): boolean => {
    const keyCredentials = credentials.filter((keys) => keys.includes(key));
    // A key of no credential (tenantId, orgUrl…) excludes nothing.
    return keyCredentials.length === 0 || keyCredentials.some((keys) => keys.includes(secret));
  };
  const merged: Record<string, string> = { ...update.secrets };
  for (const [key, value] of Object.entries(stored)) {
    if (!isSecretSetting(kind, key) || merged[key] !== undefined) continue;
    if (given.every((other) => compatible(key, other))) merged[key] = value;
  }
  return merged;
}
