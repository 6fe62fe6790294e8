import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from '../../../src/config/demo';
import type { TenantProvider } from '../../helpers/tenant-provider';
import { startCrowdgate, type Crowdgate } from '../../../src/server/bootstrap';
import { silentLogger } from '../../../src/logging/logger';
import { child, strictDocument, strictGroup, strictUser, text } from './jaxb';

/**
 * Replays what Jira's "Atlassian Crowd" directory does against a running
 * crowdgate serving the demo directory through the real provider → sync engine → store path:
 * test connection, full sync, upstream changes + incremental sync, password login, SSO login.
 * Requests carry the headers of the 5.x Java client (XML only, preemptive Basic, `+` in queries).
 */
describe("Jira's Crowd connector against crowdgate", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-jira-'));
  let cg: Crowdgate;
  let base: string;
  beforeAll(async () => {
    cg = await startCrowdgate(await demoConfig({ port: 0, dataDir }), silentLogger);
    await Promise.all(cg.engine.directories().map((d) => cg.engine.idle(d.directory.id)));
    base = `${cg.server.url}/rest/usermanagement/1`;
  });
  afterAll(async () => {
    await cg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const headers = {
    authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
    accept: 'application/xml',
    'x-atlassian-token': 'no-check',
  };
  async function jira(path: string, body?: string) {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/xml; charset=UTF-8' },
      ...(body === undefined ? {} : { body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${body}` }),
    });
    expect(response.headers.get('x-embedded-crowd-version')).toMatch(/^Crowd\/5\./);
    return { status: response.status, body: await response.text() };
  }
  const NULL = '<null-search-restriction/>';

  async function fullSync() {
    const before = strictDocument((await jira('/event')).body, 'events');
    expect(before.attributes.incrementalSynchronisationAvailable).toBe('true');
    const users = strictDocument(
      (await jira('/search?entity-type=user&start-index=0&max-results=-1&expand=user', NULL)).body,
      'users',
    );
    const groups = strictDocument(
      (await jira('/search?entity-type=group&start-index=0&max-results=-1&expand=group', NULL)).body,
      'groups',
    );
    const memberships = strictDocument((await jira('/group/membership')).body, 'memberships');
    const after = strictDocument((await jira('/event')).body, 'events');
    return {
      users: users.children.map(strictUser),
      groups: groups.children.map(strictGroup),
      memberships,
      token: after.attributes.newEventToken!,
    };
  }

  test('test connection, full sync, incremental sync, password and SSO login', async () => {
    // Test connection: the NULL-match property restriction, max-results=1.
    const probe = await jira(
      '/search?entity-type=user&start-index=0&max-results=1&expand=user',
      '<property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>NULL</match-mode></property-search-restriction>',
    );
    expect(probe.status).toBe(200);
    strictDocument(probe.body, 'users');

    // Full sync.
    const full = await fullSync();
    expect(full.users.length).toBeGreaterThan(100);
    const groupNames = new Set(full.groups.map((g) => g.name));
    const membershipGroups = full.memberships.children.map((m) => m.attributes.group!);
    expect(new Set(membershipGroups)).toEqual(groupNames); // one <membership> per group
    for (const m of full.memberships.children) {
      expect(child(m, 'users')).toBeDefined();
      expect(child(m, 'groups')).toBeDefined();
    }

    // Upstream changes, applied by the sync engine.
    const provider = cg.engine.directories()[0]!.provider as TenantProvider;
    const tenant = provider.state;
    const live = [...tenant.users.values()].filter((u) => u.enabled && !u.guest);
    const renamedPerson = live[0]!;
    const disabled = live[1]!;
    tenant.updateUser(renamedPerson.id, { displayName: 'Renamed Person', givenName: 'Renamed' });
    tenant.updateUser(disabled.id, { enabled: false });
    const someGroup = [...tenant.groups.values()].find(
      (g) => g.userIds.size > 0 && full.groups.some((fg) => fg.name === g.name),
    )!;
    const removedMember = [...someGroup.userIds][0]!;
    tenant.removeMember(someGroup.id, removedMember);
    const run = await cg.engine.sync('demo', { mode: 'incremental', trigger: 'manual' });
    expect(run.status).toBe('succeeded');

    // Incremental sync: exactly those changes.
    const incremental = await jira(`/event/${encodeURIComponent(full.token)}`);
    expect(incremental.status).toBe(200);
    const events = strictDocument(incremental.body, 'events');
    expect(events.attributes.newEventToken).toBeTruthy();
    expect(events.attributes.incrementalSynchronisationAvailable).toBeUndefined();
    const userEvents = events.children
      .filter((e) => e.name === 'userEvent')
      .map((e) => ({ op: text(e, 'operation'), user: strictUser(child(e, 'user')!) }));
    const keyOf = (id: string) => `${cg.engine.directories()[0]!.directory.id}:${id}`;
    expect(userEvents.find((e) => e.user.key === keyOf(renamedPerson.id))).toMatchObject({
      op: 'UPDATED',
      user: { displayName: 'Renamed Person', firstName: 'Renamed', active: true },
    });
    expect(userEvents.find((e) => e.user.key === keyOf(disabled.id))).toMatchObject({
      op: 'UPDATED',
      user: { active: false },
    });
    const removedKey = keyOf(removedMember);
    const removedName = full.users.find((u) => u.key === removedKey)!.name;
    const membershipEvent = events.children.find(
      (e) => e.name === 'userMembershipEvent' && child(e, 'childUser')!.attributes.name === removedName,
    )!;
    expect(text(membershipEvent, 'operation')).toBe('UPDATED');
    const parents = child(membershipEvent, 'parentGroups')!.children.map((g) => g.attributes.name);
    expect(parents).not.toContain(someGroup.name);
    // The parent set is complete: the user's direct groups as the facade now lists them.
    const direct = strictDocument(
      (await jira(`/user/group/direct?username=${encodeURIComponent(removedName)}&start-index=0&max-results=-1`)).body,
      'groups',
    );
    expect([...parents].sort()).toEqual(direct.children.map((g) => g.attributes.name!).sort());

    // The next token continues from there; a garbage token is 410 EVENT_TOKEN_EXPIRED.
    const empty = strictDocument(
      (await jira(`/event/${encodeURIComponent(events.attributes.newEventToken!)}`)).body,
      'events',
    );
    expect(empty.children).toEqual([]);
    const expired = await jira('/event/not-a-token%3A12');
    expect(expired.status).toBe(410);
    expect(text(strictDocument(expired.body, 'error'), 'reason')).toBe('EVENT_TOKEN_EXPIRED');

    // Password login: POST /authentication, then the user's direct groups.
    const someone = full.users.find(
      (u) => u.active && u.key !== keyOf(renamedPerson.id) && u.key !== keyOf(disabled.id),
    )!;
    const login = await jira(
      `/authentication?username=${encodeURIComponent(someone.name).replace(/%20/g, '+')}`,
      '<password><value>demo</value></password>',
    );
    expect(login.status).toBe(200);
    expect(strictUser(strictDocument(login.body, 'user'))).toMatchObject({ name: someone.name, active: true });
    const groups = await jira(
      `/user/group/direct?username=${encodeURIComponent(someone.name)}&start-index=0&max-results=-1`,
    );
    expect(groups.status).toBe(200);
    const wrong = await jira(
      `/authentication?username=${encodeURIComponent(someone.name)}`,
      '<password><value>nope</value></password>',
    );
    expect([wrong.status, text(strictDocument(wrong.body, 'error'), 'reason')]).toEqual([
      400,
      'INVALID_USER_AUTHENTICATION',
    ]);
    const disabledName = full.users.find((u) => u.key === keyOf(disabled.id))!.name;
    const inactive = await jira(
      `/authentication?username=${encodeURIComponent(disabledName)}`,
      '<password><value>demo</value></password>',
    );
    expect([inactive.status, text(strictDocument(inactive.body, 'error'), 'reason')]).toEqual([
      400,
      'INACTIVE_ACCOUNT',
    ]);
    const unknown = await jira('/authentication?username=no-such-user', '<password><value>demo</value></password>');
    expect([unknown.status, text(strictDocument(unknown.body, 'error'), 'reason')]).toEqual([400, 'USER_NOT_FOUND']);

    // SSO login: POST /authentication/notify with <password/>, then direct groups.
    const sso = await jira(
      `/authentication/notify?username=${encodeURIComponent(someone.name.toUpperCase())}`,
      '<password/>',
    );
    expect(sso.status).toBe(200);
    expect(strictUser(strictDocument(sso.body, 'user')).name).toBe(someone.name); // canonical case
    expect(
      (await jira(`/user/group/direct?username=${encodeURIComponent(someone.name)}&start-index=0&max-results=-1`))
        .status,
    ).toBe(200);
    const ssoInactive = await jira(
      `/authentication/notify?username=${encodeURIComponent(disabledName)}`,
      '<password/>',
    );
    expect([ssoInactive.status, text(strictDocument(ssoInactive.body, 'error'), 'reason')]).toEqual([
      400,
      'INACTIVE_ACCOUNT',
    ]);
    const ssoUnknown = await jira('/authentication/notify?username=ghost', '<password/>');
    expect([ssoUnknown.status, text(strictDocument(ssoUnknown.body, 'error'), 'reason')]).toEqual([
      404,
      'USER_NOT_FOUND',
    ]);
  });
});
