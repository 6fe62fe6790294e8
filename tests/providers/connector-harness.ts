import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../src/config/sync-schema';
import type { TenantState } from '../../src/emulators/core/tenant-state';
import type { Faults } from '../../src/emulators/core/faults';
import type { DirectoryProvider } from '../../src/providers/provider';
import { silentLogger } from '../../src/logging/logger';
import { openSqliteStore } from '../../src/store/open';
import type { DirectoryContents, Store } from '../../src/store/store';
import type { SyncRun } from '../../src/store/sync-records';
import { SyncEngine } from '../../src/sync/engine';

/**
 * Test plumbing shared by the connector suites: the REAL sync engine over a fresh SQLite store,
 * with one directory `corp` read by the given connector (built by the caller exactly as the
 * registry builds it), the comparison of what the store holds with what the tenant holds, and the
 * description of one connector (`ConnectorSubject`) that the conformance suite
 * (tests/conformance/provider.conformance.ts) and each connector's own tests use.
 */
export interface Harness<P extends DirectoryProvider> {
  readonly store: Store;
  readonly engine: SyncEngine;
  readonly provider: P;
  readonly directoryId: number;
  full(): Promise<SyncRun>;
  incremental(): Promise<SyncRun>;
  state(): Promise<DirectoryContents>;
  /** Closes the connector and the store, and removes the store's files. */
  close(): Promise<void>;
}

/** Removal safety off (tests delete freely); no local groups; `sync` overrides the rest. */
export async function connectorHarness<P extends DirectoryProvider & { close(): Promise<void> }>(
  kind: string,
  provider: P,
  sync: Partial<SyncSettings> = {},
): Promise<Harness<P>> {
  const root = mkdtempSync(join(tmpdir(), `crowdgate-${kind}-connector-`));
  const store = openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: kind }]);
  const settings = {
    ...DEFAULT_SYNC_SETTINGS,
    localGroups: [],
    safety: { maxRemovalShare: 1, maxRemovals: 1e9 },
    ...sync,
  };
  const engine = new SyncEngine(store, [{ directory: directory!, provider, settings }], silentLogger);
  return {
    store,
    engine,
    provider,
    directoryId: directory!.id,
    full: () => engine.sync('corp', { mode: 'full', trigger: 'manual' }),
    incremental: () => engine.sync('corp', { mode: 'incremental', trigger: 'manual' }),
    state: () => store.loadDirectoryContents(directory!.id),
    close: async () => {
      await provider.close();
      await store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A stored user as a picture compares it. */
export interface PictureUser {
  name: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  active: boolean;
  attributes: Record<string, string>;
}

/**
 * A comparable picture: users, groups and direct memberships (`member>group`) keyed by the
 * provider's immutable ids. A connector may compare fewer user fields (`U`).
 */
export interface Picture<U extends { name: string; active: boolean } = PictureUser> {
  readonly users: Map<string, U>;
  readonly groups: Map<string, { name: string; description: string }>;
  readonly userMemberships: Set<string>;
  readonly groupMemberships: Set<string>;
}

/** The store's side of a Picture (multi-valued attributes joined with `|`). */
export function storePicture(state: DirectoryContents): Picture {
  const users: Picture['users'] = new Map();
  for (const u of state.users) {
    const attributes: Record<string, string> = {};
    for (const [key, values] of Object.entries(u.attributes)) attributes[key] = values.join('|');
    users.set(u.externalId, {
      name: u.name,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      displayName: u.displayName,
      active: u.active,
      attributes,
    });
  }
  const groups: Picture['groups'] = new Map();
  for (const g of state.groups) groups.set(g.externalId, { name: g.name, description: g.description });
  return {
    users,
    groups,
    userMemberships: new Set(state.userMemberships.map(([u, g]) => `${u}>${g}`)),
    groupMemberships: new Set(state.groupMemberships.map(([c, p]) => `${c}>${p}`)),
  };
}

/** Asserts the store shows exactly `expected` (sorted arrays give readable diffs). */
export async function expectStorePicture<U extends { name: string; active: boolean }>(
  h: Harness<DirectoryProvider>,
  expected: Picture<U>,
  project: (state: DirectoryContents) => Picture<U> = storePicture as unknown as (
    state: DirectoryContents,
  ) => Picture<U>,
): Promise<void> {
  const actual = project(await h.state());
  expect(actual.users.size).toBe(expected.users.size);
  expect(sorted(actual.users)).toEqual(sorted(expected.users));
  expect(sorted(actual.groups)).toEqual(sorted(expected.groups));
  expect([...actual.userMemberships].sort()).toEqual([...expected.userMemberships].sort());
  expect([...actual.groupMemberships].sort()).toEqual([...expected.groupMemberships].sort());
}

export function sorted<V>(map: Map<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A new tenant user in the shape TenantState.createUser takes. */
export function newUser(
  id: string,
  login: string,
  extra: Partial<{ enabled: boolean; guest: boolean; mail: string; department: string }> = {},
) {
  return {
    id,
    givenName: 'Nova',
    surname: 'Tester',
    displayName: 'Nova Tester',
    login,
    mail: extra.mail ?? login,
    mailNickname: login.split('@')[0]!,
    samAccountName: null,
    department: extra.department ?? 'Research',
    jobTitle: 'Engineer',
    employeeId: '99990001',
    enabled: extra.enabled ?? true,
    guest: extra.guest ?? false,
  };
}

/** Fast retries so fault tests finish quickly (every connector's RetryPolicy has these fields). */
export const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, requestTimeoutMs: 5_000 } as const;

/** Connector options with FAST_RETRY unless they name their own retry policy. */
export function withFastRetry<Options extends { readonly retry?: object }>(options: Options): Options {
  return { retry: FAST_RETRY, ...options };
}

/** Any emulator a connector test drives: the vendor-neutral tenant, faults, shutdown. */
export interface ConnectorEmulator {
  readonly state: TenantState;
  readonly faults: Faults;
  close(): Promise<void>;
}

export type ClosableProvider = DirectoryProvider & { close(): Promise<void> };

/**
 * One connector as its tests see it: how to start its emulator and build it exactly as the
 * registry does (with fast retries), and how to read the emulated tenant. `Options` are the
 * connector's own constructor options (retry policy, …).
 */
export interface ConnectorSubject<
  E extends ConnectorEmulator,
  P extends ClosableProvider,
  Options = unknown,
  U extends { name: string; active: boolean } = PictureUser,
> {
  /** The directory kind (`entra`, `google`, `okta`, `scim`, …). */
  readonly kind: string;
  startEmulator(): Promise<E>;
  /** The provider for the emulator's directory `corp`, settings overriding the emulator's. */
  createProvider(emu: E, settings?: Record<string, unknown>, options?: Options): P;
  /** What the store must hold after a full sync with default settings. */
  expectedPicture(emu: E): Picture<U>;
  /** The store's side of the picture (default: every user field and attribute). */
  storePicture?(state: DirectoryContents): Picture<U>;
  /** The provider's id of a tenant user or group (vendors that assign their own ids differ from the tenant's). */
  providerId(emu: E, tenantId: string): string;
  /** API requests the emulator has answered so far. */
  requestsServed(emu: E): number;
}

export interface HarnessOptions<Options> {
  /** Connector settings overriding the emulator's. */
  readonly settings?: Record<string, unknown>;
  readonly provider?: Options;
  readonly sync?: Partial<SyncSettings>;
}

/** What `connectorTest` gives a test file. */
export interface ConnectorTest<
  E extends ConnectorEmulator,
  P extends ClosableProvider,
  Options,
  U extends { name: string; active: boolean },
> {
  /** The running emulator (inside a test or hook). */
  readonly emu: E;
  /** Replaces the running emulator (closed first) with another one for the rest of the test or file. */
  restart(next: () => Promise<E>): Promise<E>;
  /** A provider closed after the test. */
  provider(settings?: Record<string, unknown>, options?: Options, emu?: E): P;
  /** The engine over a fresh store reading this connector; closed after the test. */
  harness(options?: HarnessOptions<Options>, emu?: E): Promise<Harness<P>>;
  /** The store's side of the picture. */
  picture(state: DirectoryContents): Picture<U>;
  /** Asserts the store shows exactly the emulated tenant. */
  expectStoreEqualsTenant(h: Harness<DirectoryProvider>, emu?: E): Promise<void>;
  /** Resolves once the emulator has answered `n` more requests than when called. */
  afterRequests(n: number, emu?: E): Promise<void>;
}

/**
 * A connector test file's emulator and harnesses: one emulator per file (`perTest`: per test),
 * faults reset and harnesses closed after each test. Call at the top level of a test file.
 */
export function connectorTest<
  E extends ConnectorEmulator,
  P extends ClosableProvider,
  Options,
  U extends { name: string; active: boolean },
>(
  subject: ConnectorSubject<E, P, Options, U>,
  lifetime: { readonly perTest?: boolean; readonly start?: () => Promise<E> } = {},
): ConnectorTest<E, P, Options, U> {
  let current: E | undefined;
  const open: Harness<P>[] = [];
  const providers: P[] = [];
  const start = lifetime.start ?? (() => subject.startEmulator());
  if (lifetime.perTest) beforeEach(async () => void (current = await start()));
  else beforeAll(async () => void (current = await start()));
  afterEach(async () => {
    await Promise.all([...open.splice(0).map((h) => h.close()), ...providers.splice(0).map((p) => p.close())]);
    if (lifetime.perTest) await current?.close();
    else current?.faults.reset();
  });
  if (!lifetime.perTest) afterAll(() => current?.close());
  const test: ConnectorTest<E, P, Options, U> = {
    get emu(): E {
      if (current === undefined) throw new Error('the emulator is not running (use it inside a test)');
      return current;
    },
    async restart(next: () => Promise<E>): Promise<E> {
      await current?.close();
      current = await next();
      return current;
    },
    provider(settings?: Record<string, unknown>, options?: Options, emu: E = test.emu): P {
      const p = subject.createProvider(emu, settings, options);
      providers.push(p);
      return p;
    },
    async harness(options: HarnessOptions<Options> = {}, emu: E = test.emu): Promise<Harness<P>> {
      const h = await connectorHarness(
        subject.kind,
        subject.createProvider(emu, options.settings, options.provider),
        options.sync,
      );
      open.push(h);
      return h;
    },
    picture(state: DirectoryContents): Picture<U> {
      return (subject.storePicture ?? (storePicture as unknown as (s: DirectoryContents) => Picture<U>))(state);
    },
    expectStoreEqualsTenant(h: Harness<DirectoryProvider>, emu: E = test.emu): Promise<void> {
      return expectStorePicture(h, subject.expectedPicture(emu), (state) => test.picture(state));
    },
    async afterRequests(n: number, emu: E = test.emu): Promise<void> {
      const start = subject.requestsServed(emu);
      while (subject.requestsServed(emu) < start + n) await new Promise((resolve) => setTimeout(resolve, 2));
    },
  };
  return test;
}
