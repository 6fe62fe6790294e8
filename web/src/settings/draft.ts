/**
 * A directory's settings as the console's forms hold them (text as typed), and their translation
 * to and from GraphQL. Every form control names its `DirectoryInput` path (`entra.clientId`,
 * `localGroups[1]`), the same path the server names in `extensions.field` / `problems[].field`,
 * so a server error lands next to the control it is about.
 */

export type ProviderKind = 'entra' | 'google' | 'okta' | 'demo';

export interface ReplaceRule {
  pattern: string;
  with: string;
}

export interface AttributeRule {
  name: string;
  kind: 'equals' | 'matches';
  /** equals: values separated by commas; matches: a regular expression. */
  value: string;
}

export interface Draft {
  name: string;
  provider: ProviderKind;
  entra: {
    tenantId: string;
    clientId: string;
    /** Secret: kept in memory only. */
    clientSecret: string;
    groupTypes: 'all' | 'security';
    authorityHost: string;
    graphBaseUrl: string;
    caCertificate: string;
    passwordAuthentication: boolean;
    publicClientId: string;
  };
  google: {
    /** Secret: kept in memory only. */
    serviceAccountKey: string;
    domain: string;
    adminEmail: string;
    customerId: string;
    /** One org unit path per line. */
    orgUnits: string;
    tokenUrl: string;
    rootUrl: string;
  };
  okta: {
    orgUrl: string;
    credential: 'apiToken' | 'oauth';
    /** Secret: kept in memory only. */
    apiToken: string;
    clientId: string;
    /** Secret: kept in memory only. */
    privateKey: string;
    keyId: string;
    /** Scopes separated by spaces. */
    scopes: string;
    passwordAuthentication: boolean;
  };
  demo: { seed: string; users: string; groups: string };
  username: { source: string; stripDomain: boolean; lowercase: boolean; replace: ReplaceRule[] };
  filters: {
    /** One provider group per line. */
    groups: string;
    disabledUsers: 'include' | 'exclude';
    guests: 'include' | 'exclude';
    attributes: AttributeRule[];
  };
  localGroups: string[];
  groupMappings: Array<{ from: string; to: string }>;
  nestedGroups: 'keep' | 'flatten';
  deprovisioning: { deleted: 'remove' | 'deactivate'; disabled: 'deactivate' | 'remove' };
  safety: { maxRemovals: string; maxRemovalShare: string };
  schedule: { fullMinutes: string; incrementalSeconds: string };
  /**
   * Keys of the provider block the forms do not show (resourceUnitBudget, privateKeyFile, …),
   * kept from the stored settings so that saving does not reset them.
   */
  kept: Record<string, unknown>;
}

export const OKTA_DEFAULT_SCOPES = 'okta.users.read okta.groups.read okta.logs.read';

/** The defaults of config/sync-schema.ts and the providers' parsers. */
export function emptyDraft(provider: ProviderKind): Draft {
  return {
    name: '',
    provider,
    entra: {
      tenantId: '',
      clientId: '',
      clientSecret: '',
      groupTypes: 'all',
      authorityHost: '',
      graphBaseUrl: '',
      caCertificate: '',
      passwordAuthentication: false,
      publicClientId: '',
    },
    google: {
      serviceAccountKey: '',
      domain: '',
      adminEmail: '',
      customerId: '',
      orgUnits: '',
      tokenUrl: '',
      rootUrl: '',
    },
    okta: {
      orgUrl: '',
      credential: 'apiToken',
      apiToken: '',
      clientId: '',
      privateKey: '',
      keyId: '',
      scopes: OKTA_DEFAULT_SCOPES,
      passwordAuthentication: false,
    },
    demo: { seed: '', users: '', groups: '' },
    username: { source: 'login', stripDomain: false, lowercase: false, replace: [] },
    filters: { groups: '', disabledUsers: 'include', guests: 'include', attributes: [] },
    localGroups: [],
    groupMappings: [],
    nestedGroups: 'keep',
    deprovisioning: { deleted: 'remove', disabled: 'deactivate' },
    safety: { maxRemovals: '500', maxRemovalShare: '0.1' },
    schedule: { fullMinutes: '15', incrementalSeconds: '60' },
    kept: {},
  };
}

/** The secrets of each provider: never persisted, write-only on the server. */
export const SECRET_FIELDS = {
  entra: ['clientSecret'],
  google: ['serviceAccountKey'],
  okta: ['apiToken', 'privateKey'],
} as const;

/** The draft without its secrets (what sessionStorage may hold). */
export function withoutSecrets(draft: Draft): Draft {
  return {
    ...draft,
    entra: { ...draft.entra, clientSecret: '' },
    google: { ...draft.google, serviceAccountKey: '' },
    okta: { ...draft.okta, apiToken: '', privateKey: '' },
  };
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Adds `value` under `key` unless it is empty text (optional keys left out take their defaults). */
function put(target: Record<string, unknown>, key: string, value: string): void {
  if (value.trim() !== '') target[key] = value.trim();
}

function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * The GraphQL `DirectoryInput` of a draft. Empty optional text is left out (the server's default
 * applies; a secret left out of an update keeps the stored one); lists keep their order so that
 * `localGroups[2]` in an error is the third row of the form.
 */
export function toInput(draft: Draft, options: { enabled?: boolean } = {}): Record<string, unknown> {
  const input: Record<string, unknown> = { name: draft.name.trim(), provider: draft.provider };
  if (options.enabled !== undefined) input.enabled = options.enabled;
  if (draft.provider === 'entra') {
    const e = draft.entra;
    const entra: Record<string, unknown> = { ...draft.kept };
    if (e.clientSecret !== '') {
      // A new client secret is the credential: a kept certificate would make two.
      delete entra.certificatePath;
      entra.clientSecret = e.clientSecret.trim();
    }
    put(entra, 'tenantId', e.tenantId);
    put(entra, 'clientId', e.clientId);
    entra.groupTypes = e.groupTypes;
    put(entra, 'authorityHost', e.authorityHost);
    put(entra, 'graphBaseUrl', e.graphBaseUrl);
    put(entra, 'caCertificate', e.caCertificate);
    entra.passwordAuthentication = e.passwordAuthentication;
    put(entra, 'publicClientId', e.publicClientId);
    input.entra = entra;
  } else if (draft.provider === 'google') {
    const g = draft.google;
    const google: Record<string, unknown> = { ...draft.kept };
    if (g.serviceAccountKey.trim() !== '') {
      delete google.serviceAccountKeyFile;
      google.serviceAccountKey = g.serviceAccountKey.trim();
    }
    put(google, 'domain', g.domain);
    put(google, 'adminEmail', g.adminEmail);
    put(google, 'customerId', g.customerId);
    google.orgUnits = lines(g.orgUnits);
    put(google, 'tokenUrl', g.tokenUrl);
    put(google, 'rootUrl', g.rootUrl);
    input.google = google;
  } else if (draft.provider === 'okta') {
    const o = draft.okta;
    const okta: Record<string, unknown> = { ...draft.kept };
    put(okta, 'orgUrl', o.orgUrl);
    if (o.credential === 'apiToken') {
      delete okta.privateKeyFile;
      put(okta, 'apiToken', o.apiToken);
    } else {
      put(okta, 'clientId', o.clientId);
      if (o.privateKey.trim() !== '') {
        delete okta.privateKeyFile;
        okta.privateKey = o.privateKey.trim();
      }
      put(okta, 'keyId', o.keyId);
      okta.scopes = o.scopes.split(/[\s,]+/).filter((s) => s !== '');
    }
    okta.passwordAuthentication = o.passwordAuthentication;
    input.okta = okta;
  } else {
    const demo: Record<string, unknown> = {};
    put(demo, 'seed', draft.demo.seed);
    if (draft.demo.users.trim() !== '') demo.users = numberOrText(draft.demo.users);
    if (draft.demo.groups.trim() !== '') demo.groups = numberOrText(draft.demo.groups);
    input.demo = demo;
  }
  input.username = {
    source: draft.username.source.trim() || 'login',
    stripDomain: draft.username.stripDomain,
    lowercase: draft.username.lowercase,
    replace: draft.username.replace.map((r) => ({ pattern: r.pattern, with: r.with })),
  };
  input.filters = {
    groups: lines(draft.filters.groups),
    disabledUsers: draft.filters.disabledUsers,
    guests: draft.filters.guests,
    attributes: draft.filters.attributes.map((a) =>
      a.kind === 'equals'
        ? {
            name: a.name.trim(),
            equals: a.value
              .split(',')
              .map((v) => v.trim())
              .filter((v) => v !== ''),
          }
        : { name: a.name.trim(), matches: a.value },
    ),
  };
  input.localGroups = draft.localGroups.map((g) => g.trim());
  input.groupMappings = draft.groupMappings.map((m) => ({ from: m.from.trim(), to: m.to.trim() }));
  input.nestedGroups = draft.nestedGroups;
  input.deprovisioning = { ...draft.deprovisioning };
  input.safety = {
    maxRemovals: numberOrText(draft.safety.maxRemovals),
    maxRemovalShare: numberOrText(draft.safety.maxRemovalShare),
  };
  input.schedule = {
    fullMinutes: numberOrText(draft.schedule.fullMinutes),
    incrementalSeconds: numberOrText(draft.schedule.incrementalSeconds),
  };
  return input;
}

/** The part of the input the connection test depends on (the provider block and the name). */
export function connectionKey(draft: Draft): string {
  const input = toInput(draft);
  return JSON.stringify([input.name, input.provider, input.entra, input.google, input.okta, input.demo]);
}

/** `directories { settings { … } }` as the edit page asks for it. */
export const SETTINGS_FIELDS = `
  name provider localGroups nestedGroups
  entra { tenantId clientId clientSecretSet certificateSet certificatePath certificatePasswordSet groupTypes
          authorityHost graphBaseUrl caCertificate passwordAuthentication publicClientId memberReads resourceUnitBudget }
  google { domain customerId adminEmail serviceAccountKeySet serviceAccountKeyFile orgUnits tokenUrl rootUrl
           queriesPerMinute maxConcurrency }
  okta { orgUrl apiTokenSet clientId privateKeySet privateKeyFile keyId scopes groupTypes userStatuses
         rateLimitShare passwordAuthentication }
  demo { seed users groups }
  username { source stripDomain lowercase replace { pattern with } }
  filters { groups disabledUsers guests attributes { name equals matches } }
  groupMappings { from to }
  deprovisioning { deleted disabled }
  safety { maxRemovals maxRemovalShare }
  schedule { fullMinutes incrementalSeconds }`;

export interface StoredSettings {
  name: string;
  provider: ProviderKind;
  localGroups: string[];
  nestedGroups: string;
  entra: null | {
    tenantId: string | null;
    clientId: string | null;
    clientSecretSet: boolean;
    certificateSet: boolean;
    certificatePath: string | null;
    certificatePasswordSet: boolean;
    groupTypes: string;
    authorityHost: string;
    graphBaseUrl: string;
    caCertificate: string | null;
    passwordAuthentication: boolean;
    publicClientId: string | null;
    memberReads: string;
    resourceUnitBudget: number;
  };
  google: null | {
    domain: string | null;
    customerId: string | null;
    adminEmail: string | null;
    serviceAccountKeySet: boolean;
    serviceAccountKeyFile: string | null;
    orgUnits: string[];
    tokenUrl: string;
    rootUrl: string;
    queriesPerMinute: number;
    maxConcurrency: number;
  };
  okta: null | {
    orgUrl: string | null;
    apiTokenSet: boolean;
    clientId: string | null;
    privateKeySet: boolean;
    privateKeyFile: string | null;
    keyId: string | null;
    scopes: string[] | null;
    groupTypes: string[];
    userStatuses: string[];
    rateLimitShare: number;
    passwordAuthentication: boolean;
  };
  demo: null | { seed: string; users: number; groups: number };
  username: { source: string; stripDomain: boolean; lowercase: boolean; replace: ReplaceRule[] };
  filters: {
    groups: string[];
    disabledUsers: string;
    guests: string;
    attributes: Array<{ name: string; equals: string[] | null; matches: string | null }>;
  };
  groupMappings: Array<{ from: string; to: string }>;
  deprovisioning: { deleted: string; disabled: string };
  safety: { maxRemovals: number; maxRemovalShare: number };
  schedule: { fullMinutes: number; incrementalSeconds: number };
}

/** Which write-only secrets the server holds for a stored directory. */
export interface StoredSecrets {
  clientSecret?: boolean;
  certificate?: boolean;
  serviceAccountKey?: boolean;
  apiToken?: boolean;
  privateKey?: boolean;
}

/** A draft filled from a stored directory's settings (secrets empty: "stored — leave empty to keep"). */
export function fromSettings(s: StoredSettings): { draft: Draft; stored: StoredSecrets } {
  const draft = emptyDraft(s.provider);
  const stored: StoredSecrets = {};
  draft.name = s.name;
  const text = (v: string | null | undefined) => v ?? '';
  if (s.entra) {
    const e = s.entra;
    draft.entra = {
      ...draft.entra,
      tenantId: text(e.tenantId),
      clientId: text(e.clientId),
      groupTypes: e.groupTypes === 'security' ? 'security' : 'all',
      authorityHost: e.authorityHost,
      graphBaseUrl: e.graphBaseUrl,
      caCertificate: text(e.caCertificate),
      passwordAuthentication: e.passwordAuthentication,
      publicClientId: text(e.publicClientId),
    };
    draft.kept = { memberReads: e.memberReads, resourceUnitBudget: e.resourceUnitBudget };
    if (e.certificatePath) draft.kept.certificatePath = e.certificatePath;
    stored.clientSecret = e.clientSecretSet;
    stored.certificate = e.certificateSet || Boolean(e.certificatePath);
  }
  if (s.google) {
    const g = s.google;
    draft.google = {
      ...draft.google,
      domain: text(g.domain),
      customerId: text(g.customerId),
      adminEmail: text(g.adminEmail),
      orgUnits: g.orgUnits.join('\n'),
      tokenUrl: g.tokenUrl,
      rootUrl: g.rootUrl,
    };
    draft.kept = { queriesPerMinute: g.queriesPerMinute };
    // The default follows queriesPerMinute (providers/google/config.ts defaultConcurrency): keep only a chosen one.
    const defaultConcurrency = Math.min(20, Math.max(4, Math.ceil((g.queriesPerMinute / 60) * 0.25)));
    if (g.maxConcurrency !== defaultConcurrency) draft.kept.maxConcurrency = g.maxConcurrency;
    if (g.serviceAccountKeyFile) draft.kept.serviceAccountKeyFile = g.serviceAccountKeyFile;
    stored.serviceAccountKey = g.serviceAccountKeySet || Boolean(g.serviceAccountKeyFile);
  }
  if (s.okta) {
    const o = s.okta;
    draft.okta = {
      ...draft.okta,
      orgUrl: text(o.orgUrl),
      credential: o.clientId ? 'oauth' : 'apiToken',
      clientId: text(o.clientId),
      keyId: text(o.keyId),
      scopes: o.scopes ? o.scopes.join(' ') : OKTA_DEFAULT_SCOPES,
      passwordAuthentication: o.passwordAuthentication,
    };
    draft.kept = { groupTypes: o.groupTypes, userStatuses: o.userStatuses, rateLimitShare: o.rateLimitShare };
    if (o.privateKeyFile) draft.kept.privateKeyFile = o.privateKeyFile;
    stored.apiToken = o.apiTokenSet;
    stored.privateKey = o.privateKeySet || Boolean(o.privateKeyFile);
  }
  if (s.demo) draft.demo = { seed: s.demo.seed, users: String(s.demo.users), groups: String(s.demo.groups) };
  draft.username = {
    source: s.username.source,
    stripDomain: s.username.stripDomain,
    lowercase: s.username.lowercase,
    replace: s.username.replace.map((r) => ({ pattern: r.pattern, with: r.with })),
  };
  draft.filters = {
    groups: s.filters.groups.join('\n'),
    disabledUsers: s.filters.disabledUsers === 'exclude' ? 'exclude' : 'include',
    guests: s.filters.guests === 'exclude' ? 'exclude' : 'include',
    attributes: s.filters.attributes.map((a) =>
      a.matches !== null
        ? { name: a.name, kind: 'matches' as const, value: a.matches }
        : { name: a.name, kind: 'equals' as const, value: (a.equals ?? []).join(', ') },
    ),
  };
  draft.localGroups = [...s.localGroups];
  draft.groupMappings = s.groupMappings.map((m) => ({ from: m.from, to: m.to }));
  draft.nestedGroups = s.nestedGroups === 'flatten' ? 'flatten' : 'keep';
  draft.deprovisioning = {
    deleted: s.deprovisioning.deleted === 'deactivate' ? 'deactivate' : 'remove',
    disabled: s.deprovisioning.disabled === 'remove' ? 'remove' : 'deactivate',
  };
  draft.safety = { maxRemovals: String(s.safety.maxRemovals), maxRemovalShare: String(s.safety.maxRemovalShare) };
  draft.schedule = {
    fullMinutes: String(s.schedule.fullMinutes),
    incrementalSeconds: String(s.schedule.incrementalSeconds),
  };
  return { draft, stored };
}
