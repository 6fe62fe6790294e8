/**
 * The console's only way to the server: GraphQL over HTTP POST to /graphql (same origin), as any
 * dashboard would call it. The session cookie (HttpOnly, set by createSession) travels by itself;
 * every request carries the session's CSRF token in X-Crowdgate-CSRF, which the server demands of
 * cookie-authenticated mutations. A 401 means the session ended: listeners are told (the app shows
 * the sign-in over the current page, so nothing typed is lost) and the request fails with
 * UNAUTHENTICATED.
 */

export const GRAPHQL_PATH = '/graphql';
const CSRF_STORAGE_KEY = 'crowdgate.csrf';

/** One error of a GraphQL answer, as the console shows it: next to `field` when it names one. */
export interface Problem {
  readonly message: string;
  /** `extensions.code`: BAD_USER_INPUT, FORBIDDEN, CONFLICT, NOT_FOUND, UNAUTHENTICATED, NETWORK… */
  readonly code: string;
  /** The input path the error is about (`entra.tenantId`, `localGroups[2]`), when it names one. */
  readonly field?: string;
}

export class GraphQLFailure extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'GraphQLFailure';
  }

  get code(): string {
    return this.problems[0]?.code ?? 'UNKNOWN';
  }

  /** The problems that name a field, by field (the first message per field). */
  byField(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const p of this.problems) if (p.field && !(p.field in fields)) fields[p.field] = p.message;
    return fields;
  }

  /** The problems that name no field: shown as a message above the form. */
  general(): string[] {
    return this.problems.filter((p) => !p.field).map((p) => p.message);
  }
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called whenever the server answers 401 (the session expired or was ended elsewhere). */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export function rememberCsrfToken(token: string | null): void {
  if (token) localStorage.setItem(CSRF_STORAGE_KEY, token);
  else localStorage.removeItem(CSRF_STORAGE_KEY);
}

interface RawError {
  message?: string;
  extensions?: { code?: string; field?: string; problems?: Array<{ field?: string; message?: string }> };
}

/** The problems of an answer's `errors`: a validation error with several `problems` gives one each. */
function problemsOf(errors: readonly RawError[]): Problem[] {
  return errors.flatMap((error) => {
    const code = error.extensions?.code ?? 'UNKNOWN';
    const listed = error.extensions?.problems ?? [];
    if (listed.length > 0)
      return listed.map((p) => ({ code, message: p.message ?? 'invalid', ...(p.field ? { field: p.field } : {}) }));
    const field = error.extensions?.field;
    return [{ code, message: error.message ?? 'The request failed', ...(field ? { field } : {}) }];
  });
}

export interface RequestOptions {
  /** `Authorization: Bearer …` instead of the session cookie (sign-in only). */
  readonly bearer?: string;
  readonly signal?: AbortSignal;
}

/**
 * Runs one operation and answers its `data`, or throws a GraphQLFailure: the server's errors with
 * their fields, NETWORK when the server could not be reached (what was typed stays in the form).
 */
export async function request<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const csrf = localStorage.getItem(CSRF_STORAGE_KEY);
  if (csrf) headers['x-crowdgate-csrf'] = csrf;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ query, variables }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new GraphQLFailure([
      { code: 'NETWORK', message: 'crowdgate could not be reached. Nothing was lost: check the connection and retry.' },
    ]);
  }
  let body: { data?: T | null; errors?: RawError[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GraphQLFailure([{ code: 'NETWORK', message: `crowdgate answered HTTP ${response.status} without JSON` }]);
  }
  if (response.status === 401 && !options.bearer) for (const listener of expiredListeners) listener();
  if (body.errors && body.errors.length > 0) throw new GraphQLFailure(problemsOf(body.errors));
  if (body.data === undefined || body.data === null)
    throw new GraphQLFailure([{ code: 'UNKNOWN', message: `crowdgate answered HTTP ${response.status} without data` }]);
  return body.data;
}

/** A message for any error a request can throw. */
export function messageOf(error: unknown): string {
  if (error instanceof GraphQLFailure) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
