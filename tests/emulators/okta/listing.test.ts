/**
 * Full listings through the official SDK (SSWS, cache off) at the maximum page sizes, compared
 * with the tenant: users of every status, groups, every group's members, a user's groups; plus
 * the query features a connector relies on (filter, search, q, single lookups, Link headers).
 */
import type { Group, User } from '@okta/okta-sdk-nodejs';
import { generateTenant, type Tenant } from '../../../src/emulators/tenant';
import {
  isEnabledStatus,
  startOktaEmulator,
  type RunningOktaEmulator,
  type UserStatus,
} from '../../../src/emulators/okta';
import {
  collect,
  countingExecutor,
  getAll,
  getJson,
  links,
  rejection,
  scrubOktaEnvironment,
  sswsClient,
} from './helpers';

jest.setTimeout(60_000);

const STATUSES: UserStatus[] = [
  'ACTIVE',
  'DEPROVISIONED',
  'LOCKED_OUT',
  'PASSWORD_EXPIRED',
  'PROVISIONED',
  'RECOVERY',
  'STAGED',
  'SUSPENDED',
];

let tenant: Tenant;
let emulator: RunningOktaEmulator;

beforeAll(async () => {
  scrubOktaEnvironment();
  tenant = generateTenant({ seed: 'okta-listing', users: 2_500, groups: 150 });
  emulator = await startOktaEmulator({ tenant });
});

afterAll(async () => {
  await emulator?.close();
});

function oktaUserId(tenantId: string): string {
  return emulator.directory.oktaUserId(tenantId) as string;
}

test('paging every status with search at limit 200 returns every tenant user exactly once, mapped', async () => {
  const { executor, urls } = countingExecutor(0);
  const client = sswsClient(emulator.url, emulator.apiToken, executor);
  const byId = new Map<string, User>();
  let expectedPages = 0;
  for (const status of STATUSES) {
    const before = urls.length;
    const users = await collect(client.userApi.listUsers({ search: `status eq "${status}"`, limit: 200 }));
    for (const user of users) {
      expect(user.status).toBe(status);
      expect(byId.has(user.id as string)).toBe(false);
      byId.set(user.id as string, user);
    }
    expectedPages += Math.max(1, Math.ceil(users.length / 200));
    expect(urls.length - before).toBe(Math.max(1, Math.ceil(users.length / 200)));
  }
  expect(urls.length).toBe(expectedPages);
  expect(byId.size).toBe(tenant.users.length);
  for (const t of tenant.users) {
    const user = byId.get(oktaUserId(t.id));
    expect(user).toBeDefined();
    expect(user!.profile!.login).toBe(t.login);
    expect(user!.profile!.email).toBe(t.mail);
    expect(user!.profile!.firstName).toBe(t.givenName);
    expect(user!.profile!.lastName).toBe(t.surname);
    expect(user!.profile!.displayName).toBe(t.displayName);
    expect(user!.profile!.userType).toBe(t.guest ? 'Guest' : 'Employee');
    expect(isEnabledStatus(user!.status as UserStatus)).toBe(t.enabled);
    expect(user!.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect((user!.created as Date).getTime()).toBe(t.createdAt.getTime());
  }
  const statuses = new Set([...byId.values()].map((u) => u.status));
  for (const s of ['ACTIVE', 'SUSPENDED', 'DEPROVISIONED', 'LOCKED_OUT', 'STAGED', 'PROVISIONED', 'PASSWORD_EXPIRED'])
    expect(statuses.has(s as never)).toBe(true);
});

test('without filter or search DEPROVISIONED users are omitted; filter includes them', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const all = await collect(client.userApi.listUsers({ limit: 200 }));
  const deprovisioned = await collect(client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"', limit: 200 }));
  expect(deprovisioned.length).toBeGreaterThan(0);
  expect(all.some((u) => u.status === 'DEPROVISIONED')).toBe(false);
  expect(all.length + deprovisioned.length).toBe(tenant.users.length);
  const either = await collect(
    client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED" or status eq "ACTIVE"', limit: 200 }),
  );
  expect(either.length).toBe(deprovisioned.length + all.filter((u) => u.status === 'ACTIVE').length);
});

test('groups: all of them in one page at limit 10000 and identically in pages of 7, Everyone included', async () => {
  const { executor, urls } = countingExecutor(0);
  const client = sswsClient(emulator.url, emulator.apiToken, executor);
  const groups = await collect(client.groupApi.listGroups({ limit: 10_000 }));
  expect(urls.length).toBe(1);
  expect(groups.length).toBe(tenant.groups.length + 1);
  const paged = await collect(client.groupApi.listGroups({ limit: 7 }));
  expect(urls.length).toBe(1 + Math.ceil(groups.length / 7));
  expect(paged.map((g) => g.id)).toEqual(groups.map((g) => g.id));
  const byId = new Map(groups.map((g) => [g.id as string, g]));
  for (const t of tenant.groups) {
    const group = byId.get(emulator.directory.oktaGroupId(t.id) as string) as Group;
    expect(group.profile!.name).toBe(t.name);
    expect(group.type === 'OKTA_GROUP' || group.type === 'APP_GROUP').toBe(true);
    expect(group.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
  }
  const everyone = groups.filter((g) => g.type === 'BUILT_IN');
  expect(everyone.map((g) => g.profile!.name)).toEqual(['Everyone']);
  expect(groups.filter((g) => g.type === 'APP_GROUP').length).toBe(Math.round(148 * 0.04));
});

test("every group's members, paged at limit 1000, equal the tenant's direct user members", async () => {
  const { executor, urls } = countingExecutor(0);
  const client = sswsClient(emulator.url, emulator.apiToken, executor);
  let pagesExpected = 0;
  let largest = 0;
  for (const t of tenant.groups) {
    const groupId = emulator.directory.oktaGroupId(t.id) as string;
    const members = await collect(client.groupApi.listGroupUsers({ groupId, limit: 1000 }));
    expect(members.map((u) => u.id).sort()).toEqual(t.memberUserIds.map(oktaUserId).sort());
    pagesExpected += Math.max(1, Math.ceil(members.length / 1000));
    largest = Math.max(largest, members.length);
  }
  expect(largest).toBeGreaterThan(1000); // "All Staff" needs several pages
  expect(urls.length).toBe(pagesExpected);
  const everyone = await collect(
    client.groupApi.listGroupUsers({ groupId: emulator.directory.everyone.id, limit: 1000 }),
  );
  expect(everyone.length).toBe(tenant.users.length);
});

test("a user's groups are the groups that list it, plus Everyone", async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const t = tenant.users.find((u) => tenant.groups.filter((g) => g.memberUserIds.includes(u.id)).length >= 3)!;
  const groups = await collect(client.userApi.listUserGroups({ userId: oktaUserId(t.id) }));
  const expected = tenant.groups
    .filter((g) => g.memberUserIds.includes(t.id))
    .map((g) => emulator.directory.oktaGroupId(g.id));
  expect(groups.map((g) => g.id).sort()).toEqual([...expected, emulator.directory.everyone.id].sort());
});

test("Content-Type okta-response=omitCredentials omits credentials (SDK's contentType parameter)", async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const plain = await collect(client.userApi.listUsers({ limit: 200 }));
  expect(plain.every((u) => u.credentials !== undefined)).toBe(true);
  const lean = await collect(
    client.userApi.listUsers({ limit: 200, contentType: 'application/json; okta-response=omitCredentials' }),
  );
  expect(lean.length).toBe(plain.length);
  expect(lean.every((u) => u.credentials === undefined)).toBe(true);
});

test('single lookups by id and by login; unknown ids are 404 E0000007', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const t = tenant.users[42]!;
  const byId = await client.userApi.getUser({ userId: oktaUserId(t.id) });
  const byLogin = await client.userApi.getUser({ userId: t.login.toUpperCase() });
  expect(byId.id).toBe(oktaUserId(t.id));
  expect(byLogin.id).toBe(byId.id);
  const group = await client.groupApi.getGroup({ groupId: emulator.directory.everyone.id });
  expect(group.profile!.name).toBe('Everyone');
  const error = await rejection(client.userApi.getUser({ userId: '00uDOESNOTEXIST000000' }));
  expect(error.status).toBe(404);
  expect(error.errorCode).toBe('E0000007');
});

test('filter on lastUpdated and search with sw/co select exactly the matching users', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const everyone = await collect(client.userApi.listUsers({ search: 'status pr', limit: 200 }));
  expect(everyone.length).toBe(tenant.users.length);
  const times = everyone.map((u) => (u.lastUpdated as Date).getTime()).sort((a, b) => a - b);
  const cut = times[Math.floor(times.length * 0.9)]!;
  const recent = await collect(
    client.userApi.listUsers({ filter: `lastUpdated gt "${new Date(cut).toISOString()}"`, limit: 200 }),
  );
  expect(recent.length).toBe(times.filter((t) => t > cut).length);
  expect(recent.every((u) => (u.lastUpdated as Date).getTime() > cut)).toBe(true);
  const window = await collect(
    client.userApi.listUsers({
      filter: `lastUpdated ge "${new Date(cut).toISOString()}" and lastUpdated lt "${new Date(times[times.length - 1]!).toISOString()}"`,
      limit: 50,
    }),
  );
  expect(window.length).toBe(times.filter((t) => t >= cut && t < times[times.length - 1]!).length);

  const t = tenant.users.find((u) => !u.guest)!;
  const prefix = t.surname.slice(0, 3);
  const sw = await collect(
    client.userApi.listUsers({ search: `profile.lastName sw "${prefix.toLowerCase()}"`, limit: 200 }),
  );
  expect(sw.map((u) => u.id).sort()).toEqual(
    tenant.users
      .filter((u) => u.surname.toLowerCase().startsWith(prefix.toLowerCase()))
      .map((u) => oktaUserId(u.id))
      .sort(),
  );
  const co = await collect(
    client.userApi.listUsers({ search: `profile.email co "${t.mail.slice(1, 6)}"`, limit: 200 }),
  );
  expect(co.map((u) => u.id)).toContain(oktaUserId(t.id));
  const dept = await collect(
    client.userApi.listUsers({ search: `profile.department eq "engineering" and status eq "ACTIVE"`, limit: 200 }),
  );
  expect(dept.length).toBe(
    everyone.filter((u) => u.profile!.department === 'Engineering' && u.status === 'ACTIVE').length,
  );
});

test('id and login equality: exact lookups, case-sensitive in filter and case-insensitive in search', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const t = tenant.users.find((u) => !u.guest && /[a-z]/.test(u.login))!;
  const id = oktaUserId(t.id);
  const ids = async (params: { filter?: string; search?: string }) =>
    (await collect(client.userApi.listUsers({ ...params, limit: 200 }))).map((u) => u.id);
  expect(await ids({ filter: `id eq "${id}"` })).toEqual([id]);
  expect(await ids({ filter: `profile.login eq "${t.login}"` })).toEqual([id]);
  expect(await ids({ filter: `profile.login eq "${t.login.toUpperCase()}"` })).toEqual([]);
  expect(await ids({ search: `profile.login eq "${t.login.toUpperCase()}"` })).toEqual([id]);
  expect(await ids({ filter: `id eq "${id}" and status eq "NOPE"` })).toEqual([]);
  const group = emulator.directory.oktaGroupId(tenant.groups[3]!.id)!;
  expect((await collect(client.groupApi.listGroups({ filter: `id eq "${group}"` }))).map((g) => g.id)).toEqual([group]);
});

test('unsupported filters and searches are 400 E0000031', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  for (const params of [
    { filter: 'status ne "ACTIVE"' },
    { filter: 'profile.department eq "IT"' },
    { filter: 'lastUpdated gt "last week"' },
    { search: 'not status eq "ACTIVE"' },
    { search: 'status eq ACTIVE' },
    { search: 'profile.title co "Engineer"' },
  ]) {
    const error = await rejection(collect(client.userApi.listUsers({ ...params, limit: 200 })));
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe('E0000031');
  }
});

test('q: prefix match, DEPROVISIONED omitted, default limit 10, no next link', async () => {
  const t = tenant.users.find((u) => !u.guest && u.enabled)!;
  const { status, headers, body } = await getJson(
    emulator,
    `/api/v1/users?q=${encodeURIComponent(t.givenName.slice(0, 2))}`,
  );
  expect(status).toBe(200);
  const users = body as { status: string; profile: { firstName: string; lastName: string; email: string } }[];
  expect(users.length).toBeLessThanOrEqual(10);
  expect(users.length).toBeGreaterThan(0);
  expect(users.every((u) => u.status !== 'DEPROVISIONED')).toBe(true);
  expect(links(headers).next).toBeUndefined();
  const groups = await getJson(emulator, `/api/v1/groups?q=${encodeURIComponent('all s')}`);
  expect((groups.body as { profile: { name: string } }[]).map((g) => g.profile.name)).toEqual(['All Staff']);
});

test('Link headers are absolute self/next URLs back to the emulator; limit is capped at 200', async () => {
  const { headers, body } = await getJson(emulator, '/api/v1/users?limit=500&filter=status%20eq%20%22ACTIVE%22');
  expect((body as unknown[]).length).toBe(200);
  const rel = links(headers);
  expect(rel.self).toBe(`${emulator.url}/api/v1/users?limit=500&filter=status%20eq%20%22ACTIVE%22`);
  expect(rel.next).toMatch(
    new RegExp(`^${emulator.url}/api/v1/users\\?filter=status%20eq%20%22ACTIVE%22&after=00u[0-9A-Za-z]{17}&limit=200$`),
  );
  const { items, pages } = await getAll(emulator, '/api/v1/groups?limit=40&expand=stats');
  expect(pages).toBe(Math.ceil((tenant.groups.length + 1) / 40));
  for (const g of items) {
    const t = tenant.groups.find((x) => emulator.directory.oktaGroupId(x.id) === g.id);
    const count = (g._embedded as { stats: { usersCount: number } }).stats.usersCount;
    expect(count).toBe(t === undefined ? tenant.users.length : t.memberUserIds.length);
  }
});

test('an orgUrl with a trailing slash works (gotcha C-7: the SDK then requests //api/v1/...)', async () => {
  const client = sswsClient(`${emulator.url}/`, emulator.apiToken);
  const groups = await collect(client.groupApi.listGroups({ limit: 10_000 }));
  expect(groups.length).toBe(tenant.groups.length + 1);
  const user = await client.userApi.getUser({ userId: oktaUserId(tenant.users[0]!.id) });
  expect(user.profile!.login).toBe(tenant.users[0]!.login);
});

test('filter on group type and lastMembershipUpdated', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const app = await collect(client.groupApi.listGroups({ filter: 'type eq "APP_GROUP"', limit: 10_000 }));
  expect(app.length).toBeGreaterThan(0);
  expect(app.every((g) => g.type === 'APP_GROUP' && g.objectClass![0] === 'okta:windows_security_principal')).toBe(
    true,
  );
  const all = await collect(client.groupApi.listGroups({ limit: 10_000 }));
  const cut = [...all].map((g) => (g.lastMembershipUpdated as Date).getTime()).sort((a, b) => a - b)[
    Math.floor(all.length / 2)
  ]!;
  const recent = await collect(
    client.groupApi.listGroups({ filter: `lastMembershipUpdated gt "${new Date(cut).toISOString()}"`, limit: 10 }),
  );
  expect(recent.length).toBe(all.filter((g) => (g.lastMembershipUpdated as Date).getTime() > cut).length);
});
