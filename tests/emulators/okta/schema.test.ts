/**
 * Response shapes against the vendor's OpenAPI spec (shared/specs/okta-management.yaml): User,
 * Group, LogEvent and Error samples, validated with ajv after converting OpenAPI 3.0 to JSON
 * Schema (see helpers.ts). Leniency: none beyond the spec's own openness, except that the
 * closed definitions listed in helpers.ts reject properties the spec does not name.
 */
import { startOktaEmulator, type RunningOktaEmulator } from '../../../src/emulators/okta';
import { getAll, getJson, loadSpecValidator, scrubOktaEnvironment, type SpecValidator } from './helpers';

jest.setTimeout(60_000);

let emulator: RunningOktaEmulator;
let spec: SpecValidator;

beforeAll(async () => {
  scrubOktaEnvironment();
  emulator = await startOktaEmulator({ tenant: { seed: 'okta-schema', users: 600, groups: 80 } });
  spec = loadSpecValidator();
});

afterAll(async () => {
  await emulator?.close();
});

function expectValid(schema: string, data: unknown): void {
  const errors = spec.errors(schema, data);
  if (errors !== null)
    throw new Error(`${schema} invalid:\n${errors}\n${JSON.stringify(data, null, 1).slice(0, 3000)}`);
}

test('the validator is not vacuous: it rejects bad statuses, types, dates and invented properties', async () => {
  const { body } = await getJson(emulator, '/api/v1/users?limit=1');
  const user = (body as Record<string, unknown>[])[0] as Record<string, unknown>;
  expectValid('User', user);
  expect(spec.errors('User', { ...user, status: 'BOGUS' })).not.toBeNull();
  expect(spec.errors('User', { ...user, created: 'yesterday' })).not.toBeNull();
  expect(spec.errors('User', { ...user, lastUpdatd: user.lastUpdated })).not.toBeNull();
  expect(
    spec.errors('User', { ...user, profile: { ...(user.profile as object), email: 'not-an-address' } }),
  ).not.toBeNull();
  expect(spec.errors('Group', { id: 'x', type: 'SOME_GROUP' })).not.toBeNull();
  expect(spec.errors('LogEvent', { outcome: { result: 'MAYBE' } })).not.toBeNull();
});

test('every listed user, in every status, is a valid User; single-user responses too', async () => {
  const seen = new Set<string>();
  for (const status of [
    'ACTIVE',
    'DEPROVISIONED',
    'LOCKED_OUT',
    'PASSWORD_EXPIRED',
    'PROVISIONED',
    'STAGED',
    'SUSPENDED',
  ]) {
    const { items: users } = await getAll(
      emulator,
      `/api/v1/users?search=${encodeURIComponent(`status eq "${status}"`)}`,
    );
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) {
      expectValid('User', user);
      expect(user.status).toBe(status);
      seen.add(user.id as string);
    }
    const single = await getJson(emulator, `/api/v1/users/${(users[0] as { id: string }).id}`);
    expectValid('User', single.body);
    expect(Object.keys((single.body as { _links: object })._links).length).toBeGreaterThan(1);
  }
  expect(seen.size).toBe(600);
});

test('groups of every type, with and without expand=stats, are valid Groups', async () => {
  for (const expand of ['', '&expand=stats', '&expand=stats,app']) {
    const { body } = await getJson(emulator, `/api/v1/groups?limit=10000${expand}`);
    const groups = body as Record<string, unknown>[];
    expect(new Set(groups.map((g) => g.type))).toEqual(new Set(['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN']));
    for (const group of groups) expectValid('Group', group);
  }
  const { body } = await getJson(emulator, `/api/v1/groups?limit=1&expand=stats`);
  const group = (body as Record<string, { stats: { usersCount: number } }>[])[0]!;
  expect(typeof group._embedded!.stats.usersCount).toBe('number');
});

test('every kind of System Log event is a valid LogEvent', async () => {
  const { state } = emulator;
  const enabled = [...state.users.values()].filter((u) => u.enabled).slice(0, 12);
  const [a, b] = enabled;
  const group = [...state.groups.values()].find((g) => !g.userIds.has(b!.id))!;
  state.updateUser(a!.id, { jobTitle: 'Chief Emulation Officer' });
  for (const u of enabled) state.updateUser(u.id, { enabled: false }); // suspend or deactivate, per user
  for (const u of enabled) state.updateUser(u.id, { enabled: true }); // unsuspend or activate
  state.addMember(group.id, b!.id);
  state.removeMember(group.id, b!.id);
  state.updateGroup(group.id, { description: 'changed' });
  state.createUser({ ...b!, id: 'new-user', login: 'new.user@example.com', mail: 'new.user@example.com' });
  state.deleteUser('new-user');
  state.createGroup({ ...group, id: 'new-group', name: 'New Group', mailNickname: 'new-group' });
  state.deleteGroup('new-group');
  const { body } = await getJson(emulator, '/api/v1/logs?limit=1000');
  const events = body as { eventType: string }[];
  expect(new Set(events.map((e) => e.eventType))).toEqual(
    new Set([
      'user.account.update_profile',
      'user.lifecycle.suspend',
      'user.lifecycle.deactivate',
      'user.lifecycle.unsuspend',
      'user.lifecycle.activate',
      'group.user_membership.add',
      'group.user_membership.remove',
      'group.profile.update',
      'user.lifecycle.create',
      'user.lifecycle.delete.initiated',
      'group.lifecycle.create',
      'group.lifecycle.delete',
    ]),
  );
  for (const event of events) expectValid('LogEvent', event);
});

test('error bodies are valid Errors with Okta codes', async () => {
  const cases: [string, string | undefined, number, string][] = [
    ['/api/v1/users', 'bogus', 401, 'E0000011'],
    ['/api/v1/users/00uNOPE', undefined, 404, 'E0000007'],
    ['/api/v1/users?filter=profile.city%20eq%20%22x%22', undefined, 400, 'E0000031'],
  ];
  for (const [path, token, status, code] of cases) {
    const response = await getJson(emulator, path, token);
    expect(response.status).toBe(status);
    expectValid('Error', response.body);
    expect(response.body).toMatchObject({ errorCode: code, errorLink: code });
    expect(Array.isArray((response.body as { errorCauses: unknown }).errorCauses)).toBe(true);
    expect((response.body as { errorId: string }).errorId).toMatch(/^oae/);
  }
});
