import type { PasswordCheck } from '../provider';
import type { OktaSettings } from './config';
import { NetworkFailure, type PacedExecutor } from './transport';

/**
 * Crowd password checks through Okta's Classic Engine Authentication API, primary
 * authentication (`POST /api/v1/authn` {username, password}; developer.okta.com/docs/reference/api/authn).
 * Public endpoint: no API token is sent (with one, Okta would treat crowdgate as a trusted app
 * acting for the user). Identity Engine orgs do not serve it: checks then answer `unavailable`.
 *
 * Outcomes (transaction `status`, or the error):
 * - SUCCESS, and PASSWORD_WARN (correct, expiring soon) → ok;
 * - 401 E0000004 "Authentication failed" → invalid (Okta answers the same for an unknown user,
 *   a wrong password and an account that cannot sign in, so those are not told apart);
 * - LOCKED_OUT → inactive (Okta answers it whatever the password, so it reveals nothing);
 * - PASSWORD_EXPIRED → expired;
 * - MFA_REQUIRED, MFA_ENROLL, MFA_CHALLENGE → mfa-required (a Crowd check cannot give a factor);
 * - anything else (429, 5xx, no answer, an unexpected status) → unavailable, with the reason.
 * Session and state tokens in the answer are dropped unused (they expire after 5 minutes).
 */
const OK = new Set(['SUCCESS', 'PASSWORD_WARN']);
const MFA = new Set(['MFA_REQUIRED', 'MFA_ENROLL', 'MFA_CHALLENGE', 'MFA_ENROLL_ACTIVATE']);

export class PasswordChecker {
  constructor(
    private readonly settings: OktaSettings,
    private readonly executor: PacedExecutor,
  ) {}

  async check(login: string, password: string): Promise<PasswordCheck> {
    if (login === '' || password === '') return { kind: 'invalid' };
    let status: number;
    let body: { status?: unknown; errorCode?: unknown; errorSummary?: unknown } = {};
    try {
      const response = await this.executor.fetch({
        url: `${this.settings.orgUrl}/api/v1/authn`,
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'crowdgate' },
        body: JSON.stringify({
          username: login,
          password,
          options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: false },
        }),
      });
      status = response.status;
      try {
        body = (await response.json()) as typeof body;
      } catch {
        body = {};
      }
    } catch (error) {
      return {
        kind: 'unavailable',
        reason: `Okta password check got no answer${error instanceof NetworkFailure ? ` (${error.code})` : ''}`,
      };
    }
    if (status === 401 && body.errorCode === 'E0000004') return { kind: 'invalid' };
    if (status === 200 && typeof body.status === 'string') {
      if (OK.has(body.status)) return { kind: 'ok' };
      if (body.status === 'LOCKED_OUT') return { kind: 'inactive' };
      if (body.status === 'PASSWORD_EXPIRED') return { kind: 'expired' };
      if (MFA.has(body.status)) return { kind: 'mfa-required' };
      return { kind: 'unavailable', reason: `Okta answered the password check with status ${body.status}` };
    }
    const code = typeof body.errorCode === 'string' ? ` ${body.errorCode}` : '';
    const hint =
      status === 404
        ? ': the org does not serve the Classic authentication API (Identity Engine orgs need another method)'
        : status === 429
          ? ': rate limit of /api/v1/authn reached'
          : '';
    return { kind: 'unavailable', reason: `Okta password check failed (${status}${code})${hint}` };
  }
}
