/**
 * Field names that hold a secret wherever they appear in a log line's fields, to the fourth level
 * (`settings.entra.clientSecret`, `headers.authorization`). pino replaces their values by
 * "[Redacted]". Callers never pass secrets on purpose; this catches the object logged whole by
 * mistake (a directory's settings, a request's headers, a provider's token answer).
 */
export const SECRET_FIELD_NAMES = [
  'password',
  'newPassword',
  'applicationPassword',
  'passwordHash',
  'token',
  'adminToken',
  'setupToken',
  'apiToken',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'clientSecret',
  'client_secret',
  'clientAssertion',
  'client_assertion',
  'assertion',
  'privateKey',
  'private_key',
  'serviceAccountKey',
  'secret',
  'secretKey',
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Cookie',
  'set-cookie',
] as const;

const DEPTHS = ['', '*.', '*.*.', '*.*.*.'];

/** pino `redact.paths`: every name above at the top level and under up to three levels of nesting. */
export const REDACTED_PATHS: readonly string[] = SECRET_FIELD_NAMES.flatMap((name) =>
  DEPTHS.map((prefix) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${prefix}${name}` : `${prefix}["${name}"]`)),
);
