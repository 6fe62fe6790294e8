import { DirectoryError, isDirectoryError } from '../../../src/domain/errors';
import { foldName } from '../../../src/domain/names';
import type { UserLoginDelays, UserSource } from '../../../src/security/login-limits';
import { isWellFormedText } from '../../../src/security/well-formed';
import type { RequestBody } from '../body';
import { renderUser } from '../codec/entities';
import { passwordFromBody } from '../codec/credentials';
import { withCrowdStatus } from '../errors';
import type { CrowdUserView } from '../graphql-types';
import { expansions, requiredParam, runAs, type CrowdCall } from '../request';
import { CrowdAuthenticateDocument, CrowdUserByNameDocument } from '../generated/operations';

/**
 * Checks a password through the CrowdAuthenticate mutation, under the failed-login limit
 * (src/security/user-login-delays.ts). USER_NOT_FOUND is answered 400 here, as
 * Crowd does (not 404).
 *
 * - A username or password that is not well-formed text (a lone UTF-16 surrogate) is
 *   INVALID_USER_AUTHENTICATION at once: no such password can be right, and no provider is asked.
 * - `endUser` is the end user's address when the caller gave one (a session's validation
 *   factors); without it the source is the calling application's address, relaying its users.
 * - A check is reserved before the provider is asked; a refused one is INVALID_USER_AUTHENTICATION
 *   without asking. Counted as failures: refused credentials (INVALID_CREDENTIALS). An unknown
 *   user, an unavailable provider, an inactive account or an expired password give the slot back.
 */
export async function authenticate(
  call: CrowdCall,
  limiter: UserLoginDelays,
  name: string,
  password: string,
  attributes: boolean,
  endUser?: string,
): Promise<CrowdUserView> {
  if (!isWellFormedText(name) || !isWellFormedText(password)) {
    throw new DirectoryError(
      'INVALID_CREDENTIALS',
      'Failed to authenticate principal: the username or password is not well-formed text',
    );
  }
  const source: UserSource =
    endUser === undefined || endUser === call.clientAddress
      ? { address: call.clientAddress, relay: true }
      : { address: endUser, relay: false };
  const admission = limiter.reserve(foldName(name), source);
  if (!admission.admitted) {
    const seconds = Math.ceil(admission.retryAfterMs / 1000);
    throw new DirectoryError(
      'INVALID_CREDENTIALS',
      `Too many failed authentication attempts for this user from this source; try again in ${seconds} s`,
    );
  }
  const attempt = admission.reservation;
  try {
    const data = await runAs(call, CrowdAuthenticateDocument, { name, password, attributes });
    attempt.succeed();
    return data.authenticateUser;
  } catch (error) {
    if (isDirectoryError(error) && error.code === 'INVALID_CREDENTIALS') attempt.fail();
    else attempt.release();
    if (isDirectoryError(error) && error.code === 'USER_NOT_FOUND') throw withCrowdStatus(error, 400);
    throw error;
  }
}

/**
 * POST /authentication?username=U, body `<password><value>PW</value></password>` or
 * `{"value":"PW"}` → 200 user entity (`expand=attributes` honoured). Failures (all 400):
 * USER_NOT_FOUND, INVALID_USER_AUTHENTICATION (wrong password, MFA required, no password
 * capability, rate limited), INACTIVE_ACCOUNT, EXPIRED_CREDENTIAL (https://docs.atlassian.com/atlassian-crowd/latest/REST/).
 * Never 401: Jira would read that as the *application* failing.
 */
export async function postAuthentication(
  call: CrowdCall,
  body: RequestBody,
  limiter: UserLoginDelays,
): Promise<string> {
  const name = requiredParam(call, 'username');
  const attributes = expansions(call).has('attributes');
  const user = await authenticate(call, limiter, name, passwordFromBody(body), attributes);
  return renderUser(user, call.format, call.links, attributes);
}

/**
 * POST /authentication/notify?username=U, body `<password/>` (Crowd ≥3.3): the user logged in by
 * other means (SAML/OIDC SSO). → 200 user entity; unknown → 404 USER_NOT_FOUND with an error
 * entity (the client then falls back to GET /user); inactive → 400 INACTIVE_ACCOUNT
 * (Crowd 3.3's `/authentication/notify`). The body is not used: no password is checked.
 */
export async function postAuthenticationNotify(call: CrowdCall): Promise<string> {
  const name = requiredParam(call, 'username');
  const attributes = expansions(call).has('attributes');
  const data = await runAs(call, CrowdUserByNameDocument, { name, attributes });
  if (!data.user) throw new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`);
  if (!data.user.active)
    throw new DirectoryError('INACTIVE_ACCOUNT', `Account with name <${data.user.name}> is inactive`);
  return renderUser(data.user, call.format, call.links, attributes);
}
