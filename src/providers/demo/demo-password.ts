import type { TenantState } from '../../emulators/core/tenant-state';
import type { PasswordCheck } from '../provider';

/**
 * DEMO ONLY. The password of every demo user is `demo`: the in-process tenant has no secrets, and
 * the demo must let a person log into Jira through crowdgate's `/authentication`. Never use the
 * demo provider for real accounts.
 */
export const DEMO_USER_PASSWORD = 'demo';

/**
 * Checks a demo user's password. `login` is matched case-insensitively against the tenant login,
 * the local part of the login (the demo directory strips the domain from usernames) or the mail,
 * because the store keeps the Crowd username, not the provider login (see the facade's README
 * section). Unknown login or wrong password → invalid; disabled account → inactive.
 */
export function checkDemoPassword(state: TenantState, login: string, password: string): PasswordCheck {
  const wanted = login.toLowerCase();
  const users = [...state.users.values()];
  const user =
    users.find((u) => u.login.toLowerCase() === wanted) ??
    users.find((u) => u.login.toLowerCase().split('@')[0] === wanted) ??
    users.find((u) => u.mail.toLowerCase() === wanted);
  if (!user || password !== DEMO_USER_PASSWORD) return { kind: 'invalid' };
  return user.enabled ? { kind: 'ok' } : { kind: 'inactive' };
}
