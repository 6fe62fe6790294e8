import type { LiveGroup, LiveUser, TenantState } from '../../src/emulators/core/tenant-state';
import type {
  AccessReport,
  DeltaCapable,
  DeltaResult,
  DirectoryProvider,
  PasswordCapable,
  PasswordCheck,
  ProviderChange,
  ProviderGroup,
  ProviderMember,
  ProviderUser,
} from '../../src/providers/provider';
import { DEMO_USER_PASSWORD } from '../../src/config/demo';

/**
 * The provider double of tests and benchmarks: a provider over an in-process live tenant
 * (src/emulators/core/tenant-state.ts), with no HTTP in between. Its change feed is the tenant's
 * journal, so a change made to the tenant shows up in the next incremental run. It checks passwords
 * like the demo (every active user's password is `demo`).
 */
export class TenantProvider implements DirectoryProvider, DeltaCapable, PasswordCapable {
  readonly kind = 'demo';

  /** `state` is the live tenant: tests and benchmarks change it to play upstream changes. */
  constructor(readonly state: TenantState) {}

  /** Every active user's password is `demo`. */
  async checkPassword(login: string, password: string): Promise<PasswordCheck> {
    return checkDemoPassword(this.state, login, password);
  }

  async *users(): AsyncIterable<ProviderUser> {
    for (const user of this.state.users.values()) yield toProviderUser(user);
  }

  async *groups(): AsyncIterable<ProviderGroup> {
    for (const group of this.state.groups.values()) yield toProviderGroup(group);
  }

  async *members(group: ProviderGroup): AsyncIterable<ProviderMember> {
    const live = this.state.groups.get(group.id);
    if (!live) return;
    for (const id of live.userIds) yield { kind: 'user', id };
    for (const id of live.groupIds) yield { kind: 'group', id };
  }

  async checkAccess(): Promise<AccessReport> {
    const message = `in-process tenant with ${this.state.users.size} users and ${this.state.groups.size} groups`;
    return { ok: true, messages: [message], findings: [{ code: 'OK', severity: 'INFO', message, fix: '' }] };
  }

  async deltaStart(): Promise<string> {
    return String(this.state.latestSeq);
  }

  async delta(cursor: string): Promise<DeltaResult> {
    const seq = Number(cursor);
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > this.state.latestSeq)
      return { kind: 'resync', reason: `unknown position ${cursor}` };
    const changes: ProviderChange[] = [];
    for (const change of this.state.changesSince(seq)) {
      switch (change.kind) {
        case 'user.created':
        case 'user.updated': {
          const user = this.state.users.get(change.id);
          if (user) changes.push({ kind: 'userUpserted', user: toProviderUser(user) });
          break;
        }
        case 'user.deleted':
          changes.push({ kind: 'userDeleted', id: change.id });
          break;
        case 'group.created':
        case 'group.updated': {
          const group = this.state.groups.get(change.id);
          if (group) changes.push({ kind: 'groupUpserted', group: toProviderGroup(group) });
          break;
        }
        case 'group.deleted':
          changes.push({ kind: 'groupDeleted', id: change.id });
          break;
        case 'member.added':
        case 'member.removed':
          changes.push({
            kind: change.kind === 'member.added' ? 'memberAdded' : 'memberRemoved',
            groupId: change.id,
            member: { kind: change.memberKind!, id: change.memberId! },
          });
          break;
      }
    }
    return { kind: 'changes', changes, cursor: String(this.state.latestSeq) };
  }
}

function toProviderUser(user: LiveUser): ProviderUser {
  return {
    id: user.id,
    login: user.login,
    email: user.mail,
    givenName: user.givenName,
    surname: user.surname,
    displayName: user.displayName,
    enabled: user.enabled,
    guest: user.guest,
    attributes: {
      department: user.department,
      jobTitle: user.jobTitle,
      employeeId: user.employeeId,
      mailNickname: user.mailNickname,
      ...(user.samAccountName ? { samAccountName: user.samAccountName } : {}),
    },
  };
}

function toProviderGroup(group: LiveGroup): ProviderGroup {
  return { id: group.id, name: group.name, description: group.description };
}

/**
 * `login` is matched case-insensitively against the tenant login, the local part of the login (the
 * demo directory strips the domain from usernames) or the mail, because the store keeps the Crowd
 * username, not the provider login. Unknown login or wrong password → invalid; disabled → inactive.
 */
function checkDemoPassword(state: TenantState, login: string, password: string): PasswordCheck {
  const wanted = login.toLowerCase();
  const users = [...state.users.values()];
  const user =
    users.find((u) => u.login.toLowerCase() === wanted) ??
    users.find((u) => u.login.toLowerCase().split('@')[0] === wanted) ??
    users.find((u) => u.mail.toLowerCase() === wanted);
  if (!user || password !== DEMO_USER_PASSWORD) return { kind: 'invalid' };
  return user.enabled ? { kind: 'ok' } : { kind: 'inactive' };
}
