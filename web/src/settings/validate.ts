import type { Draft } from './draft';

/**
 * The obvious checks made before anything is sent (the server checks everything again and its
 * errors land at the same paths): required fields, URL and e-mail shapes, a Google key that is a
 * service-account key, numbers, regular expressions. Answers problems by `DirectoryInput` path.
 */
export type FieldErrors = Record<string, string>;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function urlProblem(text: string, protocols: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return `must be an absolute URL such as ${protocols[0]}//example.com`;
  }
  if (!protocols.includes(url.protocol)) return `must start with ${protocols.join(' or ')}//`;
  return undefined;
}

/**
 * Why a pasted Google key is not a service-account key, or undefined when it is one: the JSON
 * file of IAM → Service accounts → Keys → Add key → JSON has `type: "service_account"`,
 * `client_email` and `private_key`. The key itself is never quoted.
 */
export function serviceAccountKeyProblem(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'This is not a service-account key: it is not JSON. Paste the whole downloaded .json key file, or upload it.';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'This is not a service-account key: the JSON is not an object.';
  const key = parsed as Record<string, unknown>;
  if (key.type !== 'service_account')
    return `This is not a service-account key: its "type" is ${typeof key.type === 'string' ? `"${key.type}"` : 'missing'}, not "service_account" (an OAuth client file or a user credential will not do).`;
  const missing = ['client_email', 'private_key'].filter((k) => typeof key[k] !== 'string' || key[k] === '');
  if (missing.length > 0) return `This is not a complete service-account key: ${missing.join(' and ')} missing.`;
  return undefined;
}

/** Checks of the name and the provider block (the wizard's first step). */
export function validateConnection(draft: Draft, stored: { [secret: string]: boolean | undefined } = {}): FieldErrors {
  const errors: FieldErrors = {};
  const required = (path: string, value: string, what = 'is required') => {
    if (value.trim() === '') errors[path] = what;
  };
  required('name', draft.name);
  if (draft.name.trim() !== '' && !NAME.test(draft.name.trim()))
    errors.name = 'must be 1 to 64 characters from A-Z a-z 0-9 . _ -';
  if (draft.provider === 'entra') {
    const e = draft.entra;
    required('entra.clientId', e.clientId);
    if (!stored.clientSecret && !stored.certificate) required('entra.clientSecret', e.clientSecret);
    required('entra.tenantId', e.tenantId);
    for (const key of ['authorityHost', 'graphBaseUrl'] as const) {
      const problem = e[key].trim() === '' ? undefined : urlProblem(e[key], ['https:']);
      if (problem) errors[`entra.${key}`] = problem;
    }
    if (e.caCertificate.trim() !== '' && !e.caCertificate.includes('-----BEGIN CERTIFICATE-----'))
      errors['entra.caCertificate'] = 'must be PEM text (-----BEGIN CERTIFICATE----- …)';
  } else if (draft.provider === 'google') {
    const g = draft.google;
    if (g.serviceAccountKey.trim() === '') {
      if (!stored.serviceAccountKey)
        errors['google.serviceAccountKey'] = 'is required: upload the JSON key or paste it';
    } else {
      const problem = serviceAccountKeyProblem(g.serviceAccountKey);
      if (problem) errors['google.serviceAccountKey'] = problem;
    }
    if (g.domain.trim() === '' && g.customerId.trim() === '')
      errors['google.domain'] = 'is required (or give the customer ID)';
    required('google.adminEmail', g.adminEmail);
    if (g.adminEmail.trim() !== '' && !EMAIL.test(g.adminEmail.trim()))
      errors['google.adminEmail'] = 'must be an e-mail address';
    for (const key of ['tokenUrl', 'rootUrl'] as const) {
      const problem = g[key].trim() === '' ? undefined : urlProblem(g[key], ['https:', 'http:']);
      if (problem) errors[`google.${key}`] = problem;
    }
  } else if (draft.provider === 'okta') {
    const o = draft.okta;
    required('okta.orgUrl', o.orgUrl);
    if (o.orgUrl.trim() !== '') {
      const problem = urlProblem(o.orgUrl, ['https:', 'http:']);
      if (problem) errors['okta.orgUrl'] = problem;
    }
    if (o.credential === 'apiToken') {
      if (!stored.apiToken) required('okta.apiToken', o.apiToken);
    } else {
      required('okta.clientId', o.clientId);
      if (!stored.privateKey) required('okta.privateKey', o.privateKey);
      required('okta.scopes', o.scopes);
    }
  }
  return errors;
}

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch {
    return 'must be a valid regular expression';
  }
}

function numberProblem(text: string, min: number, max = Infinity, integer = false): string | undefined {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return 'must be a number';
  if (integer && !Number.isInteger(n)) return 'must be a whole number';
  if (n < min) return `must be at least ${min}`;
  if (n > max) return `must be at most ${max}`;
  return undefined;
}

/** Checks of the users-and-groups settings. */
export function validateSync(draft: Draft): FieldErrors {
  const errors: FieldErrors = {};
  if (draft.username.source.trim() === '') errors['username.source'] = 'is required';
  draft.username.replace.forEach((rule, i) => {
    if (rule.pattern === '') errors[`username.replace[${i}].pattern`] = 'is required';
    else {
      const problem = regexProblem(rule.pattern);
      if (problem) errors[`username.replace[${i}].pattern`] = problem;
    }
  });
  draft.filters.attributes.forEach((rule, i) => {
    if (rule.name.trim() === '') errors[`filters.attributes[${i}].name`] = 'is required';
    if (rule.kind === 'matches') {
      const problem = regexProblem(rule.value);
      if (problem) errors[`filters.attributes[${i}].matches`] = problem;
    } else if (rule.value.trim() === '') errors[`filters.attributes[${i}].equals`] = 'give at least one value';
  });
  draft.localGroups.forEach((group, i) => {
    if (group.trim() === '') errors[`localGroups[${i}]`] = 'is required (or remove the row)';
  });
  draft.groupMappings.forEach((m, i) => {
    if (m.from.trim() === '') errors[`groupMappings[${i}].from`] = 'is required';
    if (m.to.trim() === '') errors[`groupMappings[${i}].to`] = 'is required';
  });
  const checks: Array<[string, string | undefined]> = [
    ['safety.maxRemovals', numberProblem(draft.safety.maxRemovals, 0, Infinity, true)],
    ['safety.maxRemovalShare', numberProblem(draft.safety.maxRemovalShare, 0, 1)],
    ['schedule.fullMinutes', numberProblem(draft.schedule.fullMinutes, 0)],
    ['schedule.incrementalSeconds', numberProblem(draft.schedule.incrementalSeconds, 0)],
  ];
  for (const [path, problem] of checks) if (problem) errors[path] = problem;
  return errors;
}

/** Whether a path belongs to the provider part (name and provider block) or to the sync settings. */
export function isConnectionField(path: string): boolean {
  return /^(name|provider|entra|google|okta|demo)\b/.test(path);
}
