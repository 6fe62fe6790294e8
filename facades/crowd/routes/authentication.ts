import { DirectoryError, isDirectoryError } from '../../../src/domain/errors';
import { foldName } from '../../../src/domain/names';
import type { RequestBody } from '../body';
import { renderUser } from '../codec/entities';
import { passwordFromBody } from '../codec/credentials';
import { withCrowdStatus } from '../errors';
import type { CrowdUserView } from '../graphql-types';
import type { FailureLimiter } from '../rate-limit';
import { expansions, requiredParam, runAs, type CrowdCall } from '../request';

/**
 * Checks a password through the CrowdAuthenticate mutation, with the per username+source failure
 * limit. USER_NOT_FOUND is answered 400 here (crowd-rest.md §3.4, "explicitly 400, not 404").
 * Failures counted: unknown user and refused credentials.
 */
export async function authenticate(call: CrowdCall, limiter: FailureLimiter, name: string, password: string, attributes: boolean): Promise<CrowdUserView> {
  const key = `${foldName(name)}\n${call.clientAddress}`;
  if (limiter.blocked(key)) {
    throw new DirectoryError('INVALID_CREDENTIALS', 'Too many failed authentication attempts for this user from this address; try again later');
  }
  try {
    const data = await runAs<{ authenticateUser: CrowdUserView }>(call, 'CrowdAuthenticate', { name, password, attributes });
    limiter.succeed(key);
    return data.authenticateUser;
  } catch (error) {
    if (isDirectoryError(error) && (error.code === 'USER_NOT_FOUND' || error.code === 'INVALID_CREDENTIALS')) limiter.fail(key);
    if (isDirectoryError(error) && error.code === 'USER_NOT_FOUND') throw withCrowdStatus(error, 400);
    throw error;
  }
}

/**
 * POST /authentication?username=U, body `<password><value>PW</value></password>` or
 * `{"value":"PW"}` → 200 user entity (`expand=attributes` honoured). Failures (all 400):
 * USER_NOT_FOUND, INVALID_USER_AUTHENTICATION (wrong password, MFA required, no password
 * capability, rate limited), INACTIVE_ACCOUNT, EXPIRED_CREDENTIAL (crowd-rest.md §3.4).
 * Never 401: Jira would read that as the *application* failing.
 */
export async function postAuthentication(call: CrowdCall, body: RequestBody, limiter: FailureLimiter): Promise<string> {
  const name = requiredParam(call, 'username');
  const attributes = expansions(call).has('attributes');
  const user = await authenticate(call, limiter, name, passwordFromBody(body), attributes);
  return renderUser(user, call.format, call.links, attributes);
}

/**
 * POST /authentication/notify?username=U, body `<password/>` (Crowd ≥3.3): the user logged in by
 * other means (SAML/OIDC SSO). → 200 user entity; unknown → 404 USER_NOT_FOUND with an error
 * entity (the client then falls back to GET /user); inactive → 400 INACTIVE_ACCOUNT
 * (crowd-rest.md §3.4, §4.4). The body is not used: no password is checked.
 */
export async function postAuthenticationNotify(call: CrowdCall): Promise<string> {
  const name = requiredParam(call, 'username');
  const attributes = expansions(call).has('attributes');
  const data = await runAs<{ user: CrowdUserView | null }>(call, 'CrowdUserByName', { name, attributes });
  if (!data.user) throw new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`);
  if (!data.user.active) throw new DirectoryError('INACTIVE_ACCOUNT', `Account with name <${data.user.name}> is inactive`);
  return renderUser(data.user, call.format, call.links, attributes);
}
