import { DirectoryError } from '../../../src/domain/errors';
import type { UserLoginDelays } from '../../../src/security/login-limits';
import type { RequestBody } from '../body';
import { authenticationContextFromBody, factorsFromBody, type ValidationFactor } from '../codec/credentials';
import { renderSession, sessionLink } from '../codec/session';
import { withCrowdStatus } from '../errors';
import type { CrowdUserView } from '../graphql-types';
import { expansions, param, requiredParam, runAs, type CrowdCall, type Reply } from '../request';
import { canonicalFactors, type Session, type Sessions } from '../session-store';
import { authenticate } from './authentication';
import { CrowdUserByNameDocument } from '../generated/operations';

/**
 * The SSO token resource `/session` (https://developer.atlassian.com/server/crowd/crowd-rest-resources/), over the facade's Sessions.
 * Every answer carries `Cache-Control: no-cache, no-store` (set by the router for all answers).
 */
export interface SessionDeps {
  readonly sessions: Sessions;
  readonly limiter: UserLoginDelays;
}

function invalidToken(token: string): DirectoryError {
  return withCrowdStatus(new DirectoryError('INVALID_TOKEN', `Token <${token}> is not valid or has expired`), 404);
}

async function liveUser(call: CrowdCall, name: string, attributes: boolean): Promise<CrowdUserView | null> {
  const data = await runAs(call, CrowdUserByNameDocument, { name, attributes });
  return data.user;
}

/** Only the address factors are compared on validation; others (Random-Number, …) may change. */
const COMPARED_FACTORS = new Set(['remote_address', 'x-forwarded-for']);

function factorsMatch(session: Session, given: readonly ValidationFactor[]): boolean {
  const stored = new Map(
    session.factors
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => [l.slice(0, l.indexOf('=')).toLowerCase(), l.slice(l.indexOf('=') + 1)] as const),
  );
  return given.every(
    (f) =>
      !COMPARED_FACTORS.has(f.name.toLowerCase()) ||
      !stored.has(f.name.toLowerCase()) ||
      stored.get(f.name.toLowerCase()) === f.value,
  );
}

/** Longest end-user source kept as a limit key (factors come from the application, unchecked). */
const MAX_SOURCE_LENGTH = 200;

/**
 * The end user's address path from a session's validation factors, for the failed-login limit:
 * the `X-Forwarded-For` factor's addresses, then `remote_address` (what the product saw), as a
 * proxy would append them; undefined when neither is given. The whole path, not its first entry,
 * is the source: an end user can write any X-Forwarded-For but cannot change what the product's
 * own side saw, so nobody can pass for another user's familiar source.
 */
function endUserSource(factors: readonly ValidationFactor[]): string | undefined {
  const factor = (name: string) => factors.find((f) => f.name.toLowerCase() === name)?.value.trim() || undefined;
  const path = [factor('x-forwarded-for'), factor('remote_address')].filter((part) => part !== undefined).join(', ');
  return path === '' ? undefined : path.slice(0, MAX_SOURCE_LENGTH);
}

/**
 * POST /session[?validate-password=false][&duration=S][&expand=user|attributes] → 201, Location
 * `{B}/session/{token}`, session entity. With validation (default) the password is checked like
 * POST /authentication (same errors, same failure limit, the source being the end user's address
 * from the validation factors when they hold one: endUserSource); without it the user must exist (400
 * USER_NOT_FOUND) and be active (400 INACTIVE_ACCOUNT). A live session of the same user and
 * factors is returned again (still 201, as Crowd does).
 */
export async function postSession(call: CrowdCall, body: RequestBody, deps: SessionDeps): Promise<Reply> {
  const context = authenticationContextFromBody(body);
  const attributes = expansions(call).has('attributes');
  const validate = (param(call, 'validate-password') ?? 'true').toLowerCase() !== 'false';
  const durationRaw = param(call, 'duration');
  if (durationRaw !== undefined && !/^\d{1,9}$/.test(durationRaw))
    throw new DirectoryError('INVALID_ARGUMENT', 'duration must be a number of seconds');
  let user: CrowdUserView;
  if (validate) {
    user = await authenticate(
      call,
      deps.limiter,
      context.username,
      context.password ?? '',
      attributes,
      endUserSource(context.factors),
    );
  } else {
    const found = await liveUser(call, context.username, attributes);
    if (!found)
      throw withCrowdStatus(new DirectoryError('USER_NOT_FOUND', `User <${context.username}> does not exist`), 400);
    if (!found.active) throw new DirectoryError('INACTIVE_ACCOUNT', `Account with name <${found.name}> is inactive`);
    user = found;
  }
  const { session } = await deps.sessions.open(
    user.name,
    canonicalFactors(context.factors),
    durationRaw === undefined ? undefined : Number(durationRaw),
  );
  return {
    status: 201,
    location: sessionLink(call.links, session.token),
    body: renderSession(session, user, call.format, call.links, attributes),
  };
}

/** Resolves a token to its session and live user; a deactivated or removed user ends the session. */
async function sessionWithUser(call: CrowdCall, token: string, deps: SessionDeps, renew: boolean) {
  const session = await deps.sessions.get(token);
  if (!session) throw invalidToken(token);
  const attributes = expansions(call).has('attributes');
  const user = await liveUser(call, session.username, attributes);
  if (!user || !user.active) {
    await deps.sessions.remove(token);
    throw invalidToken(token);
  }
  // The renewed session is a new value when sessions live in the primary (serving workers).
  const current = renew ? await deps.sessions.renew(token) : session;
  if (!current) throw invalidToken(token);
  return { session: current, user, attributes };
}

/** GET /session/{token}[?expand=user] → 200 session entity with the complete user; unknown → 404 INVALID_SSO_TOKEN. */
export async function getSession(call: CrowdCall, token: string, deps: SessionDeps): Promise<string> {
  const { session, user, attributes } = await sessionWithUser(call, token, deps, false);
  return renderSession(session, user, call.format, call.links, attributes);
}

/**
 * POST /session/{token}, body validation factors → 200 renewed session entity; unknown or
 * expired → 404 INVALID_SSO_TOKEN; address factors that differ from the session's → 400
 * INVALID_SSO_TOKEN.
 */
export async function renewSession(
  call: CrowdCall,
  token: string,
  body: RequestBody,
  deps: SessionDeps,
): Promise<string> {
  const factors = factorsFromBody(body);
  const current = await deps.sessions.get(token);
  if (!current) throw invalidToken(token);
  if (!factorsMatch(current, factors))
    throw new DirectoryError('INVALID_TOKEN', `Token <${token}> does not match the validation factors`);
  const { session, user, attributes } = await sessionWithUser(call, token, deps, true);
  return renderSession(session, user, call.format, call.links, attributes);
}

/** DELETE /session/{token} → 204, known or not. */
export async function deleteSession(token: string, deps: SessionDeps): Promise<Reply> {
  await deps.sessions.remove(token);
  return { status: 204 };
}

/** DELETE /session?username=U[&exclude=T] → 204 (API 1.3). */
export async function deleteUserSessions(call: CrowdCall, deps: SessionDeps): Promise<Reply> {
  const username = requiredParam(call, 'username');
  await deps.sessions.removeUser(username, param(call, 'exclude'));
  return { status: 204 };
}
