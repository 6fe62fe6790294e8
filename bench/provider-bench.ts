/**
 * Shared plumbing of the connector benchmarks (entra-sync, google-sync, okta-sync): the scripted
 * upstream changes of the incremental phase, the parent↔emulator-child message link, and units.
 */
import type { ChildProcess } from 'node:child_process';
import type { TenantState } from '../src/emulators/core/tenant-state';

export const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
/** Peak resident set size of this process so far. */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

export interface ChangeOptions {
  /** Domain of created users' logins. */
  readonly domain?: string;
  /** Attributes an "update" change sets (the provider must map them, or nothing changes). */
  readonly update?: (i: number) => Parameters<TenantState['updateUser']>[1];
}

/**
 * `count` upstream changes of every kind (update, rename, disable, create, delete, join, leave),
 * spread over the tenant deterministically; answers a summary such as "30 update, 10 rename".
 */
export function applyChanges(state: TenantState, count: number, options: ChangeOptions = {}): string {
  const domain = options.domain ?? 'bench.example';
  const update = options.update ?? ((i: number) => ({ jobTitle: `Bench ${i}`, department: 'Benchmarking' }));
  const users = [...state.users.values()].filter((u) => !u.guest);
  const groups = [...state.groups.values()].filter((g) => g.userIds.size > 0 && g.userIds.size < 500);
  const step = Math.max(1, Math.floor(users.length / (count + 1)));
  const kinds: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const user = users[(i * step) % users.length]!;
    const group = groups[(i * 7) % groups.length]!;
    const kind = ['update', 'rename', 'disable', 'create', 'delete', 'join', 'leave', 'update', 'update', 'join'][i % 10]!;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    switch (kind) {
      case 'update':
        state.updateUser(user.id, update(i));
        break;
      case 'rename':
        state.updateUser(user.id, { login: `renamed${i}.${user.login}`, mail: `renamed${i}.${user.login}` });
        break;
      case 'disable':
        state.updateUser(user.id, { enabled: !user.enabled });
        break;
      case 'create': {
        const id = `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const login = `bench${i}@${domain}`;
        state.createUser({ id, givenName: 'Bench', surname: String(i), displayName: `Bench ${i}`, login, mail: login, mailNickname: `bench${i}`, samAccountName: null, department: 'Bench', jobTitle: 'Bench', employeeId: `7${String(i).padStart(7, '0')}`, enabled: true, guest: false });
        state.addMember(group.id, id);
        break;
      }
      case 'delete':
        state.deleteUser(user.id);
        break;
      case 'join':
        state.addMember(group.id, user.id);
        break;
      case 'leave': {
        const member = [...group.userIds][0];
        if (member !== undefined) state.removeMember(group.id, member);
        break;
      }
    }
  }
  return Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
}

/** Request/answer messages with the emulator child: every request is answered by one `done`. */
export class EmulatorLink<To, From extends { readonly type: string }> {
  private waiting: ((message: From) => void)[] = [];
  constructor(readonly child: ChildProcess) {
    child.on('message', (message: From) => this.waiting.shift()?.(message));
  }
  next(): Promise<From> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  async ask(message: To): Promise<Extract<From, { type: 'done' }>> {
    const reply = this.next();
    this.child.send(message as object);
    const answer = await reply;
    if (answer.type !== 'done') throw new Error('unexpected emulator message');
    return answer as Extract<From, { type: 'done' }>;
  }
}

/** The goals of one bench run: `check` prints `ok` or `MISS` per goal; `finish` says whether all were met and exits 0 or 1. */
export class Goals {
  private missed = 0;

  readonly check = (label: string, ok: boolean): void => {
    console.log(`  ${ok ? 'ok  ' : 'MISS'} ${label}`);
    if (!ok) this.missed++;
  };

  finish(): never {
    console.log(this.missed === 0 ? '\n  all goals met' : `\n  ${this.missed} goal(s) missed`);
    process.exit(this.missed === 0 ? 0 : 1);
  }
}

/** Entry of a provider bench: `--serve SPEC` runs the emulator side (the child process), anything else the bench. */
export function runBench<Spec>(serve: (spec: Spec) => Promise<void>, main: () => Promise<void>): void {
  const run = process.argv[2] === '--serve' ? serve(JSON.parse(process.argv[3] ?? '{}') as Spec) : main();
  run.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
