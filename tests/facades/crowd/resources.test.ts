import { SMALL_DIRECTORY } from '../../helpers/fixtures';
import { startTestCrowdgate, type TestCrowdgate } from '../../helpers/crowdgate';
import { LoginLimits } from '../../../src/security/login-limits';
import { userRecord, groupRecord } from '../../conformance/fixtures';
import { child, strictDocument, strictGroup, strictUser, text } from './jaxb';
import { NoPasswordProvider, PasswordProvider } from './password-provider';

/**
 * The read, authentication and session resources
 * (https://developer.atlassian.com/server/crowd/crowd-rest-resources/) against a running crowdgate
 * with two directories: `corp` (SMALL_DIRECTORY, a provider with passwords) and `other` (no
 * password capability; its `alice` is shadowed by corp's: first directory wins).
 */
describe('Crowd resources', () => {
  let cg: TestCrowdgate;
  const passwords = new PasswordProvider();
  beforeAll(async () => {
    cg = await startTestCrowdgate(
      [
        { name: 'corp', changes: SMALL_DIRECTORY },
        {
          name: 'other',
          changes: {
            upsertUsers: [userRecord('o-alice', 'Alice', { firstName: 'Shadowed' }), userRecord('o-erin', 'erin')],
            upsertGroups: [groupRecord('o-dev', 'developers'), groupRecord('o-ops', 'ops')],
            addUserMemberships: [['o-erin', 'o-ops']],
          },
        },
      ],
      {},
      // A clock that stands still: a delayed login stays delayed however slow the machine is.
      { providers: [passwords, new NoPasswordProvider()], loginLimits: new LoginLimits({ now: () => 0 }) },
    );
  });
  afterAll(() => cg.stop());

  const base = () => `${cg.url}/rest/usermanagement/1`;
  async function call(path: string, init: RequestInit & { json?: boolean } = {}) {
    const { json, headers, ...rest } = init;
    const response = await fetch(`${base()}${path}`, {
      ...rest,
      headers: {
        authorization: cg.basic(),
        ...(json ? { accept: 'application/json' } : {}),
        ...(headers as Record<string, string>),
      },
    });
    expect(response.headers.get('x-embedded-crowd-version')).toBeTruthy();
    return { status: response.status, headers: response.headers, body: await response.text() };
  }
  const xmlPost = (path: string, body: string) =>
    call(path, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
  const jsonPost = (path: string, body: unknown) =>
    call(path, {
      method: 'POST',
      json: true,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const names = (body: string, root: string) => strictDocument(body, root).children.map((c) => c.attributes.name);
  const reason = (body: string) => text(strictDocument(body, 'error'), 'reason');

  test('users by name (first directory wins) and by key', async () => {
    const alice = strictUser(strictDocument((await call('/user?username=ALICE')).body, 'user'));
    expect(alice).toMatchObject({ name: 'alice', firstName: 'Alice' });
    const byKey = await call(`/user?key=${encodeURIComponent(alice.key)}`);
    expect(strictUser(strictDocument(byKey.body, 'user')).name).toBe('alice');
    expect(strictUser(strictDocument((await call('/user?username=erin')).body, 'user')).name).toBe('erin');
    expect((await call('/user?key=999:nothing')).status).toBe(404);
  });

  test('user and group attributes', async () => {
    const attributes = strictDocument((await call('/user/attribute?username=alice')).body, 'attributes');
    const department = child(attributes, 'attribute')!;
    expect(department.attributes.name).toBe('department');
    expect(child(department, 'values')!.children.map((v) => v.text)).toEqual(['R&D']);
    expect(child(attributes, 'link')!.attributes.href).toBe(`${base()}/user/attribute?username=alice`);
    expect(JSON.parse((await call('/group/attribute?groupname=developers', { json: true })).body)).toEqual({
      link: { rel: 'self', href: `${base()}/group/attribute?groupname=developers` },
      attributes: [],
    });
    expect(reason((await call('/user/attribute?username=nobody')).body)).toBe('USER_NOT_FOUND');
    expect(reason((await call('/group/attribute?groupname=nothing')).body)).toBe('GROUP_NOT_FOUND');
  });

  test('user ↔ group, direct and nested, lists and membership checks (404 when not a member)', async () => {
    expect(names((await call('/user/group/direct?username=carol')).body, 'groups')).toEqual([
      'backend',
      'jira-software-users',
    ]);
    expect(names((await call('/user/group/nested?username=carol')).body, 'groups')).toEqual([
      'backend',
      'developers',
      'jira-software-users',
    ]);
    const full = strictDocument((await call('/user/group/nested?username=carol&expand=group')).body, 'groups');
    expect(full.children.map(strictGroup).map((g) => g.name)).toEqual(['backend', 'developers', 'jira-software-users']);
    expect(names((await call('/group/user/nested?groupname=developers')).body, 'users')).toEqual([
      'alice',
      'Bob Smith',
      'carol',
    ]);
    const users = strictDocument(
      (await call('/group/user/nested?groupname=developers&expand=user&start-index=1&max-results=1')).body,
      'users',
    );
    expect(users.children.map(strictUser).map((u) => u.name)).toEqual(['Bob Smith']);

    const nestedMember = await call('/user/group/nested?username=carol&groupname=DEVELOPERS');
    expect(strictGroup(strictDocument(nestedMember.body, 'group')).name).toBe('developers');
    const notDirect = await call('/user/group/direct?username=carol&groupname=developers');
    expect([notDirect.status, reason(notDirect.body)]).toEqual([404, 'MEMBERSHIP_NOT_FOUND']);
    const groupNested = await call('/group/user/nested?groupname=developers&username=carol');
    expect(strictUser(strictDocument(groupNested.body, 'user')).name).toBe('carol');
    const groupDirect = await call('/group/user/direct?groupname=developers&username=carol');
    expect([groupDirect.status, reason(groupDirect.body)]).toEqual([404, 'MEMBERSHIP_NOT_FOUND']);
    const unknownMember = await call('/group/user/direct?groupname=developers&username=ghost');
    expect([unknownMember.status, reason(unknownMember.body)]).toEqual([404, 'MEMBERSHIP_NOT_FOUND']);
  });

  test('child and parent groups, direct and nested, with both parent-check parameter names', async () => {
    expect(names((await call('/group/child-group/direct?groupname=developers')).body, 'groups')).toEqual(['backend']);
    expect(names((await call('/group/child-group/nested?groupname=developers')).body, 'groups')).toEqual(['backend']);
    expect(names((await call('/group/parent-group/direct?groupname=backend')).body, 'groups')).toEqual(['developers']);
    expect(names((await call('/group/parent-group/nested?groupname=backend&expand=group')).body, 'groups')).toEqual([
      'developers',
    ]);
    expect((await call('/group/child-group/direct?groupname=developers&child-groupname=Backend')).status).toBe(200);
    expect((await call('/group/parent-group/direct?groupname=backend&parent-groupname=developers')).status).toBe(200);
    expect((await call('/group/parent-group/direct?groupname=backend&child-groupname=developers')).status).toBe(200);
    expect((await call('/group/parent-group/nested?groupname=backend&parent-groupname=developers')).status).toBe(200);
    const no = await call('/group/child-group/direct?groupname=backend&child-groupname=developers');
    expect([no.status, reason(no.body)]).toEqual([404, 'MEMBERSHIP_NOT_FOUND']);
    expect(reason((await call('/group/child-group/direct?groupname=nothing')).body)).toBe('GROUP_NOT_FOUND');
  });

  test('GET /config/cookie', async () => {
    expect((await call('/config/cookie')).body).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cookie-config><domain></domain><secure>false</secure><name>crowd.token_key</name></cookie-config>',
    );
    expect(JSON.parse((await call('/config/cookie', { json: true })).body)).toEqual({
      domain: '',
      name: 'crowd.token_key',
      secure: false,
    });
  });

  test('GET /event and /event/{token}', async () => {
    const token = strictDocument((await call('/event')).body, 'events').attributes.newEventToken!;
    expect(token).toMatch(/^[A-Za-z0-9._~:-]+$/);
    const since = await call(`/event/${encodeURIComponent(token)}`);
    expect(since.status).toBe(200);
    expect(strictDocument(since.body, 'events').children).toEqual([]);
    for (const bad of ['garbage', '%20', 'x'.repeat(300)]) {
      const response = await call(`/event/${bad}`);
      expect([bad, response.status, reason(response.body)]).toEqual([bad, 410, 'EVENT_TOKEN_EXPIRED']);
    }
  });

  test('POST /authentication: every outcome, XML and JSON bodies', async () => {
    const ok = await xmlPost(
      '/authentication?username=ALICE&expand=attributes',
      '<password><value>wonderland</value></password>',
    );
    expect(ok.status).toBe(200);
    const alice = strictDocument(ok.body, 'user');
    expect(alice.attributes.name).toBe('alice');
    expect(child(child(alice, 'attributes')!, 'attribute')).toBeDefined();
    expect(passwords.logins).toContain('alice'); // the provider is asked with the stored username
    expect(JSON.parse((await jsonPost('/authentication?username=alice', { value: 'wonderland' })).body)).toMatchObject({
      name: 'alice',
      active: true,
    });

    const cases: Array<[string, string, number, string, RegExp?]> = [
      ['alice', 'wrong', 400, 'INVALID_USER_AUTHENTICATION'],
      ['nobody', 'wonderland', 400, 'USER_NOT_FOUND'],
      ['carol', 'wonderland', 400, 'EXPIRED_CREDENTIAL'],
      ['Bob+Smith', 'wonderland', 400, 'INVALID_USER_AUTHENTICATION', /MFA/],
      ['dave', 'wonderland', 400, 'INACTIVE_ACCOUNT'],
      [
        'erin',
        'wonderland',
        400,
        'INVALID_USER_AUTHENTICATION',
        /password authentication is not available for directory other/,
      ],
    ];
    for (const [user, password, status, why, message] of cases) {
      const response = await xmlPost(
        `/authentication?username=${user}`,
        `<password><value>${password}</value></password>`,
      );
      expect([user, response.status, reason(response.body)]).toEqual([user, status, why]);
      if (message) expect(text(strictDocument(response.body, 'error'), 'message')).toMatch(message);
    }
    expect(reason((await xmlPost('/authentication', '<password><value>x</value></password>')).body)).toBe(
      'ILLEGAL_ARGUMENT',
    );
    expect(reason((await xmlPost('/authentication?username=alice', '<user name="x"/>')).body)).toBe('ILLEGAL_ARGUMENT');
  });

  test('failed user authentications are delayed per username and source', async () => {
    // Through POST /authentication the source is the product itself: 20 failures before delays.
    for (let i = 0; i < 20; i++)
      await xmlPost('/authentication?username=Bob+Smith', '<password><value>bad</value></password>');
    const asked = passwords.logins.length;
    const limited = await xmlPost(
      '/authentication?username=Bob+Smith',
      '<password><value>wonderland</value></password>',
    );
    expect([limited.status, reason(limited.body)]).toEqual([400, 'INVALID_USER_AUTHENTICATION']);
    expect(text(strictDocument(limited.body, 'error'), 'message')).toMatch(/Too many failed/);
    expect(passwords.logins.length).toBe(asked); // the provider was not asked
    expect(
      (await xmlPost('/authentication?username=alice', '<password><value>wonderland</value></password>')).status,
    ).toBe(200);
  });

  test('POST /authentication/notify (SSO)', async () => {
    const ok = await xmlPost('/authentication/notify?username=Bob+Smith', '<password/>');
    expect(strictUser(strictDocument(ok.body, 'user'))).toMatchObject({ name: 'Bob Smith', active: true });
    const empty = await call('/authentication/notify?username=carol', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
    });
    expect(empty.status).toBe(200);
    const inactive = await xmlPost('/authentication/notify?username=dave', '<password/>');
    expect([inactive.status, reason(inactive.body)]).toEqual([400, 'INACTIVE_ACCOUNT']);
    const unknown = await xmlPost('/authentication/notify?username=ghost', '<password/>');
    expect([unknown.status, reason(unknown.body)]).toEqual([404, 'USER_NOT_FOUND']);
  });

  test('sessions: create, reuse, validate, read, delete', async () => {
    const context = (user: string, password: string, address = '127.0.0.1') =>
      `<authentication-context><username>${user}</username><password>${password}</password><validation-factors><validation-factor><name>remote_address</name><value>${address}</value></validation-factor></validation-factors></authentication-context>`;
    const created = await xmlPost('/session', context('alice', 'wonderland'));
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-cache, no-store');
    const session = strictDocument(created.body, 'session');
    const token = text(session, 'token')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(created.headers.get('location')).toBe(`${base()}/session/${token}`);
    expect(strictUser(child(session, 'user')!).name).toBe('alice');
    expect(Date.parse(text(session, 'expiry-date')!)).toBeGreaterThan(Date.parse(text(session, 'created-date')!));

    // Same user and factors → the same token; other factors → another one.
    expect(
      text(strictDocument((await xmlPost('/session', context('ALICE', 'wonderland'))).body, 'session'), 'token'),
    ).toBe(token);
    const other = text(
      strictDocument((await xmlPost('/session', context('alice', 'wonderland', '10.1.1.1'))).body, 'session'),
      'token',
    );
    expect(other).not.toBe(token);

    const bad = await xmlPost('/session', context('alice', 'nope'));
    expect([bad.status, reason(bad.body)]).toEqual([400, 'INVALID_USER_AUTHENTICATION']);
    const inactive = await call('/session?validate-password=false', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dave' }),
    });
    expect([inactive.status, reason(inactive.body)]).toEqual([400, 'INACTIVE_ACCOUNT']);
    const unvalidated = await jsonPost('/session?validate-password=false&duration=60', {
      userName: 'carol',
      'validation-factors': { validationFactors: [{ name: 'remote_address', value: '127.0.0.1' }] },
    });
    expect(unvalidated.status).toBe(201);
    const carol = JSON.parse(unvalidated.body) as {
      token: string;
      user: { name: string };
      'created-date': number;
      'expiry-date': number;
    };
    expect(carol.user.name).toBe('carol');
    expect(carol['expiry-date'] - carol['created-date']).toBe(60_000);

    const read = strictDocument((await call(`/session/${token}?expand=user`)).body, 'session');
    expect(strictUser(child(read, 'user')!).name).toBe('alice');
    const renewed = await xmlPost(
      `/session/${token}`,
      '<validation-factors><validation-factor><name>remote_address</name><value>127.0.0.1</value></validation-factor></validation-factors>',
    );
    expect(renewed.status).toBe(200);
    const mismatch = await xmlPost(
      `/session/${token}`,
      '<validation-factors><validation-factor><name>remote_address</name><value>192.168.0.9</value></validation-factor></validation-factors>',
    );
    expect([mismatch.status, reason(mismatch.body)]).toEqual([400, 'INVALID_SSO_TOKEN']);
    const unknown = await xmlPost('/session/unknown-token', '<validation-factors/>');
    expect([unknown.status, reason(unknown.body)]).toEqual([404, 'INVALID_SSO_TOKEN']);
    expect((await call('/session/unknown-token')).status).toBe(404);

    expect((await call(`/session/${token}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/session/${token}`)).status).toBe(404);
    expect((await call('/session/never-existed', { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/session?username=ALICE&exclude=${other}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/session/${other}`)).status).toBe(200);
    expect((await call('/session?username=alice', { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/session/${other}`)).status).toBe(404);
    expect(reason((await call('/session', { method: 'DELETE' })).body)).toBe('ILLEGAL_ARGUMENT');
  });

  test('every write to users and groups is refused as on a read-only directory; /webhook is 404', async () => {
    const writes: Array<[string, string]> = [
      ['POST', '/user'],
      ['PUT', '/user?username=alice'],
      ['DELETE', '/user?username=alice'],
      ['POST', '/user/attribute?username=alice'],
      ['DELETE', '/user/attribute?username=alice&attributename=department'],
      ['PUT', '/user/password?username=alice'],
      ['DELETE', '/user/password?username=alice'],
      ['POST', '/user/mail/password?username=alice'],
      ['POST', '/user/mail/usernames?email=alice@example.com'],
      ['POST', '/user/rename?username=alice'],
      ['POST', '/user/expire-all-passwords?confirm=true'],
      ['POST', '/user/group/direct?username=alice'],
      ['DELETE', '/user/group/direct?username=alice&groupname=developers'],
      ['POST', '/group'],
      ['PUT', '/group?groupname=developers'],
      ['DELETE', '/group?groupname=developers'],
      ['POST', '/group/attribute?groupname=developers'],
      ['DELETE', '/group/attribute?groupname=developers&attributename=x'],
      ['POST', '/group/user/direct?groupname=developers'],
      ['DELETE', '/group/user/direct?groupname=developers&username=alice'],
      ['POST', '/group/child-group/direct?groupname=developers'],
      ['DELETE', '/group/child-group/direct?groupname=developers&child-groupname=backend'],
      ['POST', '/group/parent-group/direct?groupname=backend'],
    ];
    for (const [method, path] of writes) {
      const response = await call(path, {
        method,
        headers: { 'content-type': 'application/xml' },
        body: '<user name="x"/>',
      });
      expect([method, path, response.status, reason(response.body)]).toEqual([
        method,
        path,
        403,
        'APPLICATION_PERMISSION_DENIED',
      ]);
    }
    for (const method of ['POST', 'GET'])
      expect((await call('/webhook', { method, ...(method === 'POST' ? { body: '<webhook/>' } : {}) })).status).toBe(
        404,
      );
    expect((await call('/webhook/1', { method: 'DELETE' })).status).toBe(404);
    expect((await call('/user?username=alice')).status).toBe(200);
  });
});
