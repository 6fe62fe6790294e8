/**
 * Shared plumbing of the connector benchmarks (entra-sync, google-sync, okta-sync): the scripted
 * upstream changes of the incremental phase, the parent↔emulator-child message link, the engine
 * over a fresh store reading one connector, arguments, and units.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS } from '../src/config/sync-schema';
import type { TenantState } from '../src/emulators/core/tenant-state';
import { silentLogger } from '../src/logging/logger';
import type { DirectoryProvider } from '../src/providers/provider';
import { openSqliteStore } from '../src/store/open';
import type { Store } from '../src/store/store';
import type { SyncRun } from '../src/store/sync-records';
import { SyncEngine } from '../src/sync/engine';

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
    const kind = ['update', 'rename', 'disable', 'create', 'delete', 'join', 'leave', 'update', 'update', 'join'][
      i % 10
    ]!;
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
        state.createUser({
          id,
          givenName: 'Bench',
          surname: String(i),
          displayName: `Bench ${i}`,
          login,
          mail: login,
          mailNickname: `bench${i}`,
          samAccountName: null,
          department: 'Bench',
          jobTitle: 'Bench',
          employeeId: `7${String(i).padStart(7, '0')}`,
          enabled: true,
          guest: false,
        });
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
  return Object.entries(kinds)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/** The tenant size and the latency the emulator child adds to every answer. */
export interface BenchSpec {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  readonly latencyMs: number;
}

/**
 * The emulator child's side of the link: `onMessage` handles each request of the parent (and
 * answers with `send`); the child exits when the parent goes away. Returns `send`.
 */
export function childLink<To, From>(
  onMessage: (message: To, send: (message: From) => void) => void,
): (message: From) => void {
  const send = (message: From): void => void process.send?.(message);
  // The benchmark process went away (crashed, killed): do not linger.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: To) => onMessage(message, send));
  return send;
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
  /** Tells the child to stop and waits until it has exited. */
  async stop(message: To): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send(message as object);
    await exited;
  }

  async ask(message: To): Promise<Extract<From, { type: 'done' }>> {
    const reply = this.next();
    this.child.send(message as object);
    const answer = await reply;
    if (answer.type !== 'done') throw new Error('unexpected emulator message');
    return answer as Extract<From, { type: 'done' }>;
  }
}

/**
 * Forks `file` (the bench itself) as its emulator child — `--serve SPEC`, with a heap of its own —
 * and waits for the child's `ready` message.
 */
export async function startEmulatorChild<To, From extends { readonly type: string }>(
  file: string,
  spec: object,
): Promise<{ link: EmulatorLink<To, From>; ready: Extract<From, { type: 'ready' }> }> {
  const child = fork(file, ['--serve', JSON.stringify(spec)], {
    execArgv: ['--max-old-space-size=6144'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const link = new EmulatorLink<To, From>(child);
  const ready = await link.next();
  if (ready.type !== 'ready') throw new Error('emulator did not start');
  return { link, ready: ready as Extract<From, { type: 'ready' }> };
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

/** The real sync engine over a fresh SQLite store, with one directory `bench` read by `provider`. */
export interface BenchTarget<P extends DirectoryProvider & { close(): Promise<void> }> {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly provider: P;
  readonly root: string;
  readonly directoryId: number;
}

/** Removal safety off (a bench deletes freely), no local groups. */
export async function benchTarget<P extends DirectoryProvider & { close(): Promise<void> }>(
  kind: string,
  provider: P,
): Promise<BenchTarget<P>> {
  const root = mkdtempSync(join(tmpdir(), `crowdgate-${kind}-bench-`));
  const store = openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'bench', provider: kind }]);
  const settings = {
    ...DEFAULT_SYNC_SETTINGS,
    localGroups: [],
    safety: { maxRemovalShare: 1, maxRemovals: 1_000_000 },
  };
  const engine = new SyncEngine(store, [{ directory: directory!, provider, settings }], silentLogger);
  return { store, engine, provider, root, directoryId: directory!.id };
}

export async function disposeTarget(t: BenchTarget<DirectoryProvider & { close(): Promise<void> }>): Promise<void> {
  await t.provider.close();
  await t.store.close();
  rmSync(t.root, { recursive: true, force: true });
}

/** One line about a run: status, mode (and why it fell back), counts. */
export function describeRun(run: SyncRun): string {
  if (run.status !== 'succeeded') return `${run.status}: ${run.error ?? ''}`;
  const c = run.counts;
  const fallback = (run.report as { fallback?: string } | null)?.fallback;
  return `${run.status} (${run.mode}${fallback ? `: ${fallback}` : ''}); users +${c['usersAdded'] ?? 0} ~${c['usersUpdated'] ?? 0} r${c['usersRenamed'] ?? 0} -${c['usersRemoved'] ?? 0}, groups +${c['groupsAdded'] ?? 0} -${c['groupsRemoved'] ?? 0}, memberships +${c['membershipsAdded'] ?? 0} -${c['membershipsRemoved'] ?? 0}`;
}

/**
 * A bench's command line: `[users groups memberships]` (underscores allowed) and options;
 * `withValue` names the options followed by a value, every other `--x` is a flag.
 */
export function benchArgs(withValue: readonly string[]) {
  const args = process.argv.slice(2);
  const positional = args.filter((a, i) => !a.startsWith('--') && !withValue.includes(args[i - 1] ?? ''));
  return {
    has: (flag: string): boolean => args.includes(flag),
    option: (name: string, fallback: number): number => {
      const at = args.indexOf(name);
      return at >= 0 ? Number(args[at + 1]) : fallback;
    },
    /** The tenant size from the positional arguments; 100k users, 20k groups, 1M memberships by default. */
    tenant: () => {
      const num = (i: number, fallback: number): number =>
        positional[i] === undefined ? fallback : Number(positional[i]!.replace(/_/g, ''));
      return { users: num(0, 100_000), groups: num(1, 20_000), memberships: num(2, 1_000_000) };
    },
  };
}

/** The emulated tenant of a bench child process (seed `bench`), and how long generating it took from `started`. */
export async function benchTenant(spec: {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
}) {
  const { generateTenant } = await import('../src/emulators/tenant');
  return generateTenant({ seed: 'bench', users: spec.users, groups: spec.groups, memberships: spec.memberships });
}
