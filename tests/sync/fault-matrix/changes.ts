import type { TenantState } from '../../../src/emulators/core/tenant-state';
import type { Random } from './random';

/**
 * Random live changes to an emulator's tenant between runs, so that "the new picture" differs
 * from "the previous picture": attribute updates, renames (also case-only, swaps, a freed name
 * taken by someone else, rename chains of groups), disable/enable, create/delete of users and
 * groups, joins and leaves, nesting changes. Logins and group names stay unique
 * case-insensitively (as the vendors require), so no username collision is planted here.
 */
export type ChangeKind =
  | 'user.update'
  | 'user.rename'
  | 'user.rename-case'
  | 'user.swap-names'
  | 'user.reuse-name'
  | 'user.reuse-login'
  | 'user.toggle'
  | 'user.create'
  | 'user.delete'
  | 'member.add'
  | 'member.remove'
  | 'group.create'
  | 'group.delete'
  | 'group.rename'
  | 'group.rename-chain'
  | 'group.update'
  | 'group.nest'
  | 'group.unnest';

const KINDS: readonly [ChangeKind, number][] = [
  ['user.update', 6],
  ['user.rename', 3],
  ['user.rename-case', 1],
  ['user.swap-names', 1],
  ['user.reuse-name', 1],
  ['user.reuse-login', 1],
  ['user.toggle', 3],
  ['user.create', 4],
  ['user.delete', 3],
  ['member.add', 6],
  ['member.remove', 5],
  ['group.create', 2],
  ['group.delete', 1],
  ['group.rename', 2],
  ['group.rename-chain', 1],
  ['group.update', 2],
  ['group.nest', 2],
  ['group.unnest', 1],
];
const TOTAL = KINDS.reduce((s, [, w]) => s + w, 0);

export class TenantChanger {
  private counter = 0;

  constructor(
    private readonly state: TenantState,
    private readonly random: Random,
    /** Group kinds the emulator serves (Okta: flat groups, nesting changes are invisible but harmless). */
    private readonly options: { nesting: boolean; protectedIds?: ReadonlySet<string> } = { nesting: true },
  ) {}

  /** Applies `count` random changes; returns how many of each kind were made. */
  apply(count: number, tally: Record<string, number>): void {
    for (let i = 0; i < count; i++) {
      const kind = this.kind();
      try {
        if (this.make(kind)) tally[kind] = (tally[kind] ?? 0) + 1;
      } catch {
        // e.g. a nesting that would make a cycle: skipped
      }
    }
  }

  private kind(): ChangeKind {
    let x = this.random.next() * TOTAL;
    for (const [kind, weight] of KINDS) {
      x -= weight;
      if (x < 0) return kind;
    }
    return 'user.update';
  }

  private users() {
    const keep = this.options.protectedIds;
    return [...this.state.users.values()].filter((u) => !u.guest && !keep?.has(u.id));
  }

  private groups() {
    return [...this.state.groups.values()];
  }

  private domain(): string {
    const any = this.users()[0];
    return any ? any.login.slice(any.login.indexOf('@') + 1) : 'example.test';
  }

  private unique(prefix: string): string {
    return `${prefix}${++this.counter}x${this.random.int(0, 1e6).toString(36)}`;
  }

  private make(kind: ChangeKind): boolean {
    const r = this.random;
    const s = this.state;
    const users = this.users();
    const groups = this.groups();
    if (users.length < 4 || groups.length < 3) {
      if (kind !== 'user.create' && kind !== 'group.create') return false;
    }
    switch (kind) {
      case 'user.update': {
        const u = r.pick(users);
        s.updateUser(
          u.id,
          r.chance(0.5)
            ? { jobTitle: this.unique('Title ') }
            : { displayName: `${u.givenName} ${this.unique('N')}`, surname: this.unique('S') },
        );
        return true;
      }
      case 'user.rename': {
        const u = r.pick(users);
        const login = `${this.unique('r')}.${u.login}`;
        s.updateUser(u.id, { login, mail: login, mailNickname: login.split('@')[0]! });
        return true;
      }
      case 'user.rename-case': {
        const u = r.pick(users);
        const [local, domain] = u.login.split('@') as [string, string];
        const flipped =
          local === local.toLowerCase() ? local.charAt(0).toUpperCase() + local.slice(1) : local.toLowerCase();
        if (flipped === local) return false;
        s.updateUser(u.id, { login: `${flipped}@${domain}` });
        return true;
      }
      case 'user.swap-names': {
        const a = r.pick(users);
        const b = r.pick(users);
        if (a.id === b.id) return false;
        const [la, lb] = [a.login, b.login];
        s.updateUser(a.id, { login: `${this.unique('tmp')}@${this.domain()}` });
        s.updateUser(b.id, { login: la, mail: la });
        s.updateUser(a.id, { login: lb, mail: lb });
        return true;
      }
      case 'user.reuse-name': {
        const gone = r.pick(users);
        const heir = r.pick(users);
        if (gone.id === heir.id) return false;
        const login = gone.login;
        s.deleteUser(gone.id);
        s.updateUser(heir.id, { login, mail: login });
        return true;
      }
      case 'user.reuse-login': {
        // A leaver's login given to a new hire within one sync interval.
        const gone = r.pick(users);
        const n = ++this.counter;
        const id = `fa17fa17-0002-4000-8000-${String(n).padStart(12, '0')}`;
        s.deleteUser(gone.id);
        s.createUser({
          id,
          givenName: 'New',
          surname: `Hire${n}`,
          displayName: `New Hire${n}`,
          login: gone.login,
          mail: gone.login,
          mailNickname: gone.mailNickname,
          samAccountName: null,
          department: 'Research',
          jobTitle: 'Hire',
          employeeId: String(80000000 + n),
          enabled: true,
          guest: false,
        });
        if (groups.length > 0) s.addMember(r.pick(groups).id, id);
        return true;
      }
      case 'user.toggle': {
        const u = r.pick(users);
        s.updateUser(u.id, { enabled: !u.enabled });
        return true;
      }
      case 'user.create': {
        const n = ++this.counter;
        const id = `fa17fa17-0000-4000-8000-${String(n).padStart(12, '0')}`;
        const local = `fault.user${n}`;
        const login = `${local}@${this.domain()}`;
        s.createUser({
          id,
          givenName: 'Fault',
          surname: `User${n}`,
          displayName: `Fault User${n}`,
          login,
          mail: login,
          mailNickname: local,
          samAccountName: null,
          department: 'Research',
          jobTitle: 'Tester',
          employeeId: String(90000000 + n),
          enabled: r.chance(0.9),
          guest: false,
        });
        for (let k = r.int(0, 3); k > 0 && groups.length > 0; k--) s.addMember(r.pick(groups).id, id);
        return true;
      }
      case 'user.delete': {
        s.deleteUser(r.pick(users).id);
        return true;
      }
      case 'member.add': {
        s.addMember(r.pick(groups).id, r.pick(users).id);
        return true;
      }
      case 'member.remove': {
        const g = r.pick(groups.filter((x) => x.userIds.size > 0).concat(groups[0]!));
        const member = [...g.userIds][r.int(0, Math.max(0, g.userIds.size - 1))];
        if (member === undefined) return false;
        s.removeMember(g.id, member);
        return true;
      }
      case 'group.create': {
        const n = ++this.counter;
        const id = `fa17fa17-0001-4000-8000-${String(n).padStart(12, '0')}`;
        s.createGroup({
          id,
          name: `Fault Group ${n}`,
          description: r.chance(0.5) ? `made by the fault matrix (${n})` : '',
          mailNickname: `fault-group-${n}`,
          kind: 'team',
          securityEnabled: true,
          mailEnabled: false,
          unified: false,
        });
        for (let k = r.int(0, 4); k > 0 && users.length > 0; k--) s.addMember(id, r.pick(users).id);
        return true;
      }
      case 'group.delete': {
        s.deleteGroup(r.pick(groups).id);
        return true;
      }
      case 'group.rename': {
        const g = r.pick(groups);
        s.updateGroup(g.id, { name: `${g.name} ${this.unique('v')}` });
        return true;
      }
      case 'group.rename-chain': {
        // "Team" → "Team (old)" and, in the same window, "Team New" → "Team": a name freed and
        // taken again by another group within one run.
        const a = r.pick(groups);
        const b = r.pick(groups);
        if (a.id === b.id) return false;
        const freed = a.name;
        s.updateGroup(a.id, { name: `${freed} (${this.unique('old')})` });
        s.updateGroup(b.id, { name: freed });
        return true;
      }
      case 'group.update': {
        s.updateGroup(r.pick(groups).id, { description: this.unique('Description ') });
        return true;
      }
      case 'group.nest': {
        if (!this.options.nesting) return false;
        const parent = r.pick(groups);
        const child = r.pick(groups);
        if (parent.id === child.id) return false;
        s.addMember(parent.id, child.id); // throws on a cycle: skipped
        return true;
      }
      case 'group.unnest': {
        if (!this.options.nesting) return false;
        const parent = groups.find((g) => g.groupIds.size > 0);
        const child = parent ? [...parent.groupIds][0] : undefined;
        if (!parent || child === undefined) return false;
        s.removeMember(parent.id, child);
        return true;
      }
    }
  }
}
