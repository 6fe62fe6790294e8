import type {
  AccessReport,
  DeltaCapable,
  DeltaResult,
  DirectoryProvider,
  ProviderChange,
  ProviderGroup,
  ProviderMember,
  ProviderUser,
} from '../../src/providers/provider';

/**
 * An upstream double for engine tests: a picture the test edits through methods that also feed a
 * change log (the "delta"), and switches that make any stage fail. `asProvider` adapts it to the
 * DirectoryProvider contract with the delta capability.
 */
export class FakeUpstream {
  readonly kind = 'fake';
  readonly users = new Map<string, ProviderUser>();
  readonly groups = new Map<string, ProviderGroup>();
  readonly members = new Map<string, ProviderMember[]>();
  private readonly log: ProviderChange[] = [];
  fail: { users?: boolean; groups?: boolean; membersOf?: string; delta?: boolean } = {};
  /** Cursors below this are answered "resync". */
  oldestCursor = 0;
  calls = { users: 0, delta: 0 };
  /** When set, listings wait for it: lets a test hold a run in progress. */
  gate: Promise<void> | null = null;
  /** Rate-limit refusals so far (a test raises it to stand for throttled answers during a listing). */
  throttled = 0;

  async *listUsers(): AsyncIterable<ProviderUser> {
    this.calls.users++;
    if (this.gate) await this.gate;
    let n = 0;
    for (const user of this.users.values()) {
      if (this.fail.users && ++n > 1) throw new Error('users page 2: 503 Service Unavailable');
      yield user;
    }
  }

  async *groupsIterable(): AsyncIterable<ProviderGroup> {
    if (this.fail.groups) throw new Error('groups: 429 throttled past the retries');
    yield* this.groups.values();
  }

  async *membersIterable(group: ProviderGroup): AsyncIterable<ProviderMember> {
    if (this.fail.membersOf === group.id) throw new Error(`members of ${group.name}: token expired`);
    yield* this.members.get(group.id) ?? [];
  }

  async checkAccess(): Promise<AccessReport> {
    return { ok: true, messages: [], findings: [] };
  }

  async deltaStart(): Promise<string> {
    return String(this.log.length);
  }

  async delta(cursor: string): Promise<DeltaResult> {
    this.calls.delta++;
    if (this.fail.delta) throw new Error('delta page 3: 503');
    const position = Number(cursor);
    if (position < this.oldestCursor) return { kind: 'resync', reason: '410 Gone: the delta token expired' };
    return { kind: 'changes', changes: this.log.slice(position), cursor: String(this.log.length) };
  }

  // Mutations the tests make upstream; each is recorded in the change log.
  putUser(user: ProviderUser): void {
    this.users.set(user.id, user);
    this.log.push({ kind: 'userUpserted', user });
  }
  deleteUser(id: string): void {
    this.users.delete(id);
    for (const [groupId, list] of this.members)
      this.members.set(
        groupId,
        list.filter((m) => m.id !== id),
      );
    this.log.push({ kind: 'userDeleted', id });
  }
  putGroup(group: ProviderGroup): void {
    this.groups.set(group.id, group);
    this.log.push({ kind: 'groupUpserted', group });
  }
  deleteGroup(id: string): void {
    this.groups.delete(id);
    this.members.delete(id);
    for (const [groupId, list] of this.members)
      this.members.set(
        groupId,
        list.filter((m) => m.id !== id),
      );
    this.log.push({ kind: 'groupDeleted', id });
  }
  addMember(groupId: string, member: ProviderMember): void {
    this.members.set(groupId, [...(this.members.get(groupId) ?? []), member]);
    this.log.push({ kind: 'memberAdded', groupId, member });
  }
  removeMember(groupId: string, memberId: string): void {
    const list = this.members.get(groupId) ?? [];
    const member = list.find((m) => m.id === memberId);
    this.members.set(
      groupId,
      list.filter((m) => m.id !== memberId),
    );
    if (member) this.log.push({ kind: 'memberRemoved', groupId, member });
  }
}

export function asProvider(fake: FakeUpstream): DirectoryProvider & DeltaCapable {
  return {
    kind: fake.kind,
    users: () => fake.listUsers(),
    groups: () => fake.groupsIterable(),
    members: (group) => fake.membersIterable(group),
    checkAccess: () => fake.checkAccess(),
    throttledAnswers: () => fake.throttled,
    deltaStart: () => fake.deltaStart(),
    delta: (cursor) => fake.delta(cursor),
  };
}

export function person(id: string, login: string, extra: Partial<ProviderUser> = {}): ProviderUser {
  const local = login.split('@')[0]!;
  return {
    id,
    login,
    email: login,
    givenName: local,
    surname: 'Example',
    displayName: `${local} Example`,
    enabled: true,
    guest: false,
    attributes: { department: 'Engineering' },
    ...extra,
  };
}
