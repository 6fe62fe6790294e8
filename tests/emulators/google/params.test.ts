import type { RunningGoogleEmulator } from '../../../src/emulators/google';
import { generateTenant, type Tenant } from '../../../src/emulators/tenant';
import { adminClient, allUsers, caught, firstReason, startEmulator, type Admin } from './helpers';
import { expectValid } from './schemas';

/** Parameter validation, lookups, search and projections of the Directory API, via the official client. */

let tenant: Tenant;
let emu: RunningGoogleEmulator;
let admin: Admin;

beforeAll(async () => {
  tenant = generateTenant({ seed: 'google-params', users: 700, groups: 50 });
  emu = await startEmulator({ tenant });
  admin = adminClient(emu);
});
afterAll(() => emu.close());

test.each([
  [
    'users.list maxResults 0',
    () => admin.users.list({ customer: 'my_customer', maxResults: 0 }),
    "Invalid value '0'. Values must be within the range: [1, 500]",
  ],
  [
    'users.list maxResults 501',
    () => admin.users.list({ customer: 'my_customer', maxResults: 501 }),
    "Invalid value '501'. Values must be within the range: [1, 500]",
  ],
  [
    'groups.list maxResults 201',
    () => admin.groups.list({ customer: 'my_customer', maxResults: 201 }),
    "Invalid value '201'. Values must be within the range: [1, 200]",
  ],
  [
    'members.list maxResults 201',
    () => admin.members.list({ groupKey: `all-staff@${tenant.spec.domain}`, maxResults: 201 }),
    "Invalid value '201'. Values must be within the range: [1, 200]",
  ],
])('%s → 400 with the Google error body', async (_name, call, message) => {
  const err = await caught(call());
  expect(err.status).toBe(400);
  expect(err.data).toEqual({
    error: {
      code: 400,
      message,
      errors: [{ message, domain: 'global', reason: 'invalid' }],
      status: 'INVALID_ARGUMENT',
    },
  });
});

test('maxResults at the limits is accepted; defaults are 100 (users) and 200 (groups, members)', async () => {
  expect((await admin.users.list({ customer: 'my_customer', maxResults: 500 })).data.users).toHaveLength(500);
  expect((await admin.users.list({ customer: 'my_customer' })).data.users).toHaveLength(100);
  expect((await admin.groups.list({ customer: 'my_customer' })).data.groups).toHaveLength(50);
  const big = (await admin.members.list({ groupKey: `all-staff@${tenant.spec.domain}` })).data.members;
  expect(big).toHaveLength(200);
});

test('customer or domain is required; foreign ones are refused', async () => {
  const none = await caught(admin.users.list({}));
  expect(none.status).toBe(400);
  expect(firstReason(none.data)).toMatchObject({ reason: 'badRequest', message: 'Bad Request' });
  expect((await caught(admin.groups.list({}))).status).toBe(400);
  const foreign = await caught(admin.users.list({ customer: 'C0zzzzzzz' }));
  expect(foreign.status).toBe(403);
  expect((await caught(admin.users.list({ domain: 'other.example' }))).status).toBe(403);
  const byId = await admin.users.list({ customer: emu.customerId, maxResults: 3 });
  const byDomain = await admin.users.list({ domain: tenant.spec.domain, maxResults: 3 });
  expect(byId.data.users?.map((u) => u.id)).toEqual(byDomain.data.users?.map((u) => u.id));
});

test('users.get by primary email (any case), alias and id; 404 otherwise', async () => {
  const { items } = await allUsers(admin);
  const withAlias = items.find((u) => (u.aliases ?? []).length > 0);
  expect(withAlias).toBeDefined();
  const u = withAlias as NonNullable<typeof withAlias>;
  expect((await admin.users.get({ userKey: (u.primaryEmail as string).toUpperCase() })).data.id).toBe(u.id);
  expect((await admin.users.get({ userKey: (u.aliases as string[])[0] as string })).data.id).toBe(u.id);
  expect((await admin.users.get({ userKey: u.id as string })).data.primaryEmail).toBe(u.primaryEmail);
  const missing = await caught(admin.users.get({ userKey: '100000000000000000000' }));
  expect(missing.status).toBe(404);
  expect(missing.data).toEqual({
    error: {
      code: 404,
      message: 'Resource Not Found: userKey',
      errors: [{ message: 'Resource Not Found: userKey', domain: 'global', reason: 'notFound' }],
      status: 'NOT_FOUND',
    },
  });
  const noGroup = await caught(admin.groups.get({ groupKey: `nope@${tenant.spec.domain}` }));
  expect(firstReason(noGroup.data).message).toBe('Resource Not Found: groupKey');
});

test('query: isSuspended=true, email:prefix*, isAdmin=true; bad queries → 400', async () => {
  const suspended = await allUsers(admin, { query: 'isSuspended=true' });
  const expectedSuspended = emu.directory.userList('email', false).items.filter((r) => !r.live.enabled);
  expect(suspended.items.length).toBeGreaterThan(0);
  expect(suspended.items.every((u) => u.suspended === true)).toBe(true);
  expect(suspended.items.length).toBeLessThan(expectedSuspended.length); // some disabled users are archived instead
  const archived = await allUsers(admin, { query: 'isArchived=true' });
  expect(suspended.items.length + archived.items.length).toBe(expectedSuspended.length);

  const first = (await admin.users.list({ customer: 'my_customer', maxResults: 1 })).data.users?.[0]
    ?.primaryEmail as string;
  const prefix = first.slice(0, 3);
  const byPrefix = await allUsers(admin, { query: `email:${prefix}*` });
  const expected = emu.directory
    .userList('email', false)
    .items.filter((r) => r.email.startsWith(prefix) || r.aliases.some((a) => a.startsWith(prefix)));
  expect(byPrefix.items.map((u) => u.primaryEmail)).toEqual(expected.map((r) => r.email));
  const admins = await allUsers(admin, { query: 'isAdmin=true' });
  expect(admins.items.map((u) => u.primaryEmail)).toEqual([emu.adminEmail]);
  const both = await allUsers(admin, { query: `isSuspended=false email:${prefix}*` });
  expect(both.items.every((u) => !u.suspended && (u.primaryEmail as string).startsWith(prefix))).toBe(true);
  expect((await caught(admin.users.list({ customer: 'my_customer', query: 'shoeSize=42' }))).status).toBe(400);
});

test('orderBy / sortOrder', async () => {
  const desc = await allUsers(admin, { orderBy: 'email', sortOrder: 'DESCENDING' });
  const asc = await allUsers(admin, { orderBy: 'email' });
  expect(desc.items.map((u) => u.id)).toEqual(asc.items.map((u) => u.id).reverse());
  const byFamily = await allUsers(admin, { orderBy: 'familyName', maxResults: 97 });
  const families = byFamily.items.map((u) => (u.name?.familyName as string).toLowerCase());
  expect(families).toEqual([...families].sort());
  expect(byFamily.items).toHaveLength(asc.items.length);
  expect((await caught(admin.users.list({ customer: 'my_customer', orderBy: 'shoeSize' }))).status).toBe(400);
});

test('projection=full adds custom schemas; custom needs customFieldMask', async () => {
  const onPrem = tenant.users.find((u) => u.samAccountName !== null && !u.guest);
  const login = onPrem?.login as string;
  const basic = await admin.users.get({ userKey: login });
  const full = await admin.users.get({ userKey: login, projection: 'full' });
  expect(basic.data.customSchemas).toBeUndefined();
  expect(full.data.customSchemas).toEqual({ OnPremises: { samAccountName: onPrem?.samAccountName } });
  expect(full.data.etag).toBe(basic.data.etag);
  const custom = await admin.users.get({ userKey: login, projection: 'custom', customFieldMask: 'OnPremises' });
  expect(custom.data.customSchemas).toEqual(full.data.customSchemas);
  expect((await caught(admin.users.get({ userKey: login, projection: 'custom' }))).status).toBe(400);
  expectValid('user', full.data);
  // `fields` is accepted (and ignored).
  expect(
    (await admin.users.list({ customer: 'my_customer', maxResults: 1, fields: 'users(id)' })).data.users?.[0]
      ?.primaryEmail,
  ).toBeDefined();
});

test('a tampered or foreign page token → 400; a token only continues its own listing', async () => {
  const page = await admin.users.list({ customer: 'my_customer', maxResults: 10 });
  const token = page.data.nextPageToken as string;
  expect(token).toBeTruthy();
  const bad = await caught(admin.users.list({ customer: 'my_customer', pageToken: `${token}x!` }));
  expect(bad.status).toBe(400);
  const foreign = await caught(
    admin.users.list({ customer: 'my_customer', query: 'isSuspended=true', pageToken: token }),
  );
  expect(foreign.status).toBe(400);
  // maxResults may change between pages.
  const next = await admin.users.list({ customer: 'my_customer', maxResults: 25, pageToken: token });
  expect(next.data.users).toHaveLength(25);
  expect(next.data.users![0]!.primaryEmail! > page.data.users![9]!.primaryEmail!).toBe(true);
});

test('an empty page has no array, like the real API', async () => {
  const res = await admin.users.list({ customer: 'my_customer', query: 'email:zzzzzz-nobody*' });
  expect(res.data).toEqual({ kind: 'admin#directory#users', etag: expect.any(String) });
});
