/**
 * The System Log through the official SDK: polling from an initial position, changes made
 * in-process and through the control API showing up as exactly the expected events, positions
 * lost to the retention window or to the forceResync fault, and bounded queries.
 */
import type { Collection, LogEvent } from '@okta/okta-sdk-nodejs';
import { startOktaEmulator, type RunningOktaEmulator } from '../../../src/emulators/okta';
import { getAll, getJson, links, rejection, scrubOktaEnvironment, sswsClient } from './helpers';

jest.setTimeout(60_000);

let emulator: RunningOktaEmulator;

beforeAll(async () => {
  scrubOktaEnvironment();
  emulator = await startOktaEmulator({ tenant: { seed: 'okta-logs', users: 400, groups: 40 } });
});

afterAll(async () => {
  await emulator?.close();
});

/** Items of the next page of a polling collection (an empty page returns []). */
async function poll(collection: Collection<LogEvent>): Promise<LogEvent[]> {
  const items: LogEvent[] = [];
  for (;;) {
    const { value } = await collection.next();
    if (value === null) return items;
    items.push(value);
    if (collection.currentItems.length === 0) return items;
  }
}

test('poll from an initial position: the next page holds exactly the changes made since, in order', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const collection = await client.systemLogApi.listLogEvents({ since: new Date().toISOString(), limit: 1000 });
  expect(await poll(collection)).toEqual([]);
  const position = collection.nextUri;
  expect(position).toMatch(new RegExp(`^${emulator.url}/api/v1/logs\\?.*after=\\d+_\\d+`));

  const { state, directory } = emulator;
  const user = [...state.users.values()].find((u) => u.enabled)!;
  const group = [...state.groups.values()].find((g) => !g.userIds.has(user.id))!;
  state.updateUser(user.id, { displayName: 'Renamed Person' });
  state.addMember(group.id, user.id);
  state.updateGroup(group.id, { name: 'Renamed Group' });
  state.removeMember(group.id, user.id);

  const events = await poll(collection);
  const userId = directory.oktaUserId(user.id);
  const groupId = directory.oktaGroupId(group.id);
  expect(events.map((e) => e.eventType)).toEqual([
    'user.account.update_profile',
    'group.user_membership.add',
    'group.profile.update',
    'group.user_membership.remove',
  ]);
  const add = events[1]!;
  expect(add.target!.map((t) => [t.type, t.id])).toEqual([
    ['User', userId],
    ['UserGroup', groupId],
  ]);
  expect(add.target![0]!.alternateId).toBe(user.login);
  expect(add.outcome!.result).toBe('SUCCESS');
  expect(add.actor!.type).toBe('User');
  expect(typeof add.uuid).toBe('string');
  expect(new Set(events.map((e) => e.uuid)).size).toBe(4);
  expect(events[2]!.target![0]!.displayName).toBe('Renamed Group');
  const published = events.map((e) => (e.published as Date).getTime());
  expect([...published].sort((a, b) => a - b)).toEqual(published);

  // Nothing new: an empty page that still links onwards.
  expect(await poll(collection)).toEqual([]);
  expect(collection.nextUri).toBeDefined();
  // A stored position is stable: it replays exactly those four events.
  const replay = await fetch(position, { headers: { Authorization: `SSWS ${emulator.apiToken}` } });
  expect(((await replay.json()) as { uuid: string }[]).map((e) => e.uuid)).toEqual(events.map((e) => e.uuid));
});

test('changes through the control API appear in the log and deletions log deactivate + delete', async () => {
  const head = await getJson(emulator, `/api/v1/logs?since=${encodeURIComponent(new Date().toISOString())}`);
  const next = links(head.headers).next!;
  const user = [...emulator.state.users.values()].find((u) => u.enabled && !u.guest)!;
  const memberships = [...emulator.state.groups.values()].filter((g) => g.userIds.has(user.id)).length;
  expect(memberships).toBeGreaterThan(0);
  const oktaId = emulator.directory.oktaUserId(user.id);
  const response = await fetch(`${emulator.url}/_emulator/changes`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emulator.controlToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([
      { op: 'updateUser', id: user.id, patch: { enabled: false } },
      { op: 'deleteUser', id: user.id },
    ]),
  });
  expect(response.status).toBe(200);
  const page = await fetch(next, { headers: { Authorization: `SSWS ${emulator.apiToken}` } });
  const events = (await page.json()) as { eventType: string; target: { id: string }[] }[];
  const types = events.map((e) => e.eventType);
  const removals = memberships;
  expect(types.slice(1, 1 + removals)).toEqual(Array(removals).fill('group.user_membership.remove'));
  expect(events.every((e) => e.target[0]!.id === oktaId)).toBe(true);
  const disable = types[0];
  expect(disable === 'user.lifecycle.suspend' || disable === 'user.lifecycle.deactivate').toBe(true);
  const tail = types.slice(1 + removals);
  expect(tail).toEqual(
    disable === 'user.lifecycle.suspend'
      ? ['user.lifecycle.deactivate', 'user.lifecycle.delete.initiated']
      : ['user.lifecycle.delete.initiated'],
  );
  expect(links(page.headers).next).toBeDefined();
});

test('a position older than the retained window is 400 E0000001; the forceResync fault loses any position once', async () => {
  const small = await startOktaEmulator({
    tenant: { seed: 'okta-logs-small', users: 50, groups: 5 },
    logRetention: { maxEvents: 5 },
  });
  try {
    const client = sswsClient(small.url, small.apiToken);
    const collection = await client.systemLogApi.listLogEvents({ since: new Date().toISOString() });
    expect(await poll(collection)).toEqual([]);
    const users = [...small.state.users.values()];
    for (const u of users.slice(0, 3)) small.state.updateUser(u.id, { jobTitle: 'Title 1' });
    expect((await poll(collection)).length).toBe(3); // within the window
    for (const u of users.slice(0, 6)) small.state.updateUser(u.id, { jobTitle: 'Title 2' }); // 6 > 5: one lost
    const error = await rejection(poll(collection));
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe('E0000001');
    expect(error.errorSummary).toBe('Api validation failed: after');

    // Resync: a new position works; then the fault makes the next cursor request fail once.
    const fresh = await client.systemLogApi.listLogEvents({ since: new Date().toISOString() });
    expect(await poll(fresh)).toEqual([]);
    small.faults.update({ forceResync: true });
    const lost = await rejection(poll(fresh));
    expect(lost.status).toBe(400);
    expect(small.faults.settings.forceResync).toBe(false);
    const again = await client.systemLogApi.listLogEvents({ since: new Date().toISOString() });
    expect(await poll(again)).toEqual([]);
    small.state.updateUser(users[0]!.id, { jobTitle: 'Title 3' });
    expect((await poll(again)).map((e) => e.eventType)).toEqual(['user.account.update_profile']);
  } finally {
    await small.close();
  }
});

test('bounded queries: filter by eventType, since/until without a polling link, DESCENDING order', async () => {
  const start = new Date(Date.now() - 1).toISOString();
  const { state } = emulator;
  const users = [...state.users.values()].filter((u) => u.enabled).slice(10, 15);
  const group = [...state.groups.values()].find((g) => users.every((u) => !g.userIds.has(u.id)))!;
  for (const u of users) state.addMember(group.id, u.id);
  state.updateGroup(group.id, { description: 'bounded' });
  await new Promise((resolve) => setTimeout(resolve, 5));
  const until = new Date().toISOString();

  const client = sswsClient(emulator.url, emulator.apiToken);
  const adds: LogEvent[] = [];
  await (
    await client.systemLogApi.listLogEvents({
      since: start,
      until,
      filter: 'eventType eq "group.user_membership.add"',
      limit: 2,
    })
  ).each((e) => {
    adds.push(e);
  });
  expect(adds.map((e) => e.target!.find((t) => t.type === 'User')!.id)).toEqual(
    users.map((u) => emulator.directory.oktaUserId(u.id)),
  );

  const bounded = await getJson(
    emulator,
    `/api/v1/logs?since=${encodeURIComponent(start)}&until=${encodeURIComponent(until)}&limit=100`,
  );
  expect((bounded.body as unknown[]).length).toBe(6);
  expect(links(bounded.headers).next).toBeUndefined();

  const descending = await getAll(
    emulator,
    `/api/v1/logs?since=${encodeURIComponent(start)}&until=${encodeURIComponent(until)}&sortOrder=DESCENDING&limit=4`,
  );
  expect(descending.pages).toBe(2);
  expect((descending.items as { eventType: string }[]).map((e) => e.eventType)).toEqual([
    'group.profile.update',
    ...Array(5).fill('group.user_membership.add'),
  ]);

  const byTarget = await getJson(
    emulator,
    `/api/v1/logs?since=${encodeURIComponent(start)}&until=${encodeURIComponent(until)}&filter=${encodeURIComponent(`target.id eq "${emulator.directory.oktaUserId(users[2]!.id)}"`)}`,
  );
  expect((byTarget.body as unknown[]).length).toBe(1);
  const keyword = await getJson(
    emulator,
    `/api/v1/logs?since=${encodeURIComponent(start)}&until=${encodeURIComponent(until)}&q=${encodeURIComponent('profile update')}`,
  );
  expect((keyword.body as { eventType: string }[]).map((e) => e.eventType)).toEqual(['group.profile.update']);

  const badFilter = await getJson(emulator, `/api/v1/logs?filter=${encodeURIComponent('eventType eq')}`);
  expect(badFilter.status).toBe(400);
});
