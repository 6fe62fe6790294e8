import type {
  AccessReport,
  DirectoryProvider,
  PasswordCapable,
  PasswordCheck,
  ProviderGroup,
  ProviderMember,
  ProviderUser,
} from '../../../src/providers/provider';

/** A provider double that lists nothing (tests fill the store directly and never sync) and is always reachable. */
export abstract class ListsNothingProvider implements DirectoryProvider {
  readonly kind = 'demo';
  async *users(): AsyncIterable<ProviderUser> {}
  async *groups(): AsyncIterable<ProviderGroup> {}
  async *members(): AsyncIterable<ProviderMember> {}
  async checkAccess(): Promise<AccessReport> {
    return { ok: true, messages: [], findings: [] };
  }
}

/**
 * A provider double for SMALL_DIRECTORY with a password capability: alice/wonderland is ok,
 * carol's password is expired, "Bob Smith" needs MFA, dave is inactive, `down` is unavailable.
 * It lists nothing (the tests fill the store directly and never sync).
 */
export class PasswordProvider extends ListsNothingProvider implements PasswordCapable {
  readonly logins: string[] = [];
  async checkPassword(login: string, password: string): Promise<PasswordCheck> {
    this.logins.push(login);
    if (password !== 'wonderland') return { kind: 'invalid' };
    switch (login) {
      case 'alice':
        return { kind: 'ok' };
      case 'carol':
        return { kind: 'expired' };
      case 'Bob Smith':
        return { kind: 'mfa-required' };
      case 'dave':
        return { kind: 'inactive' };
      default:
        return { kind: 'invalid' };
    }
  }
}

/** A provider without the password capability. */
export class NoPasswordProvider extends ListsNothingProvider {}
