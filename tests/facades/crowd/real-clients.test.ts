import CrowdClient from 'atlassian-crowd-client';
import { SMALL_DIRECTORY } from '../../helpers/fixtures';
import { APP_PASSWORD, startTestCrowdgate, type TestCrowdgate } from '../../helpers/crowdgate';
import { PasswordProvider } from './password-provider';

/** The npm `atlassian-crowd-client` (JSON, strict about content types) against a running crowdgate. */
describe('atlassian-crowd-client', () => {
  let cg: TestCrowdgate;
  let crowd: CrowdClient;
  beforeAll(async () => {
    cg = await startTestCrowdgate([{ name: 'corp', changes: SMALL_DIRECTORY }]);
    crowd = new CrowdClient({ baseUrl: `${cg.url}/`, application: { name: 'jira', password: APP_PASSWORD } });
  });
  afterAll(() => cg.stop());

  test('reads a user with its names and active flag', async () => {
    const user = await crowd.user.get('carol');
    expect(user).toMatchObject({ username: 'carol', firstname: 'Carol', lastname: 'Jones', displayname: 'Carol Jones', email: 'carol@example.org', active: true });
    const dave = await crowd.user.get('dave');
    expect(dave.active).toBe(false);
  });

  test('reads a group, user groups and group members', async () => {
    expect(await crowd.group.get('developers')).toMatchObject({ groupname: 'developers', description: 'All developers', active: true });
    expect(await crowd.user.groups.list('alice')).toEqual(['developers', 'jira-software-users']);
    expect(await crowd.group.users.list('developers')).toEqual(['alice', 'Bob Smith']);
  });

  test('searches with CQL', async () => {
    expect(await crowd.search.user('email="carol@example.org"')).toEqual(['carol']);
    expect(await crowd.search.group('name=dev*')).toEqual(['developers']);
  });

  test('maps errors: unknown user, wrong application password, refused write', async () => {
    await expect(crowd.user.get('nobody')).rejects.toMatchObject({ type: 'USER_NOT_FOUND' });
    const wrong = new CrowdClient({ baseUrl: `${cg.url}/`, application: { name: 'jira', password: 'nope' } });
    await expect(wrong.user.get('alice')).rejects.toMatchObject({ type: 'APPLICATION_ACCESS_DENIED' });
    await expect(crowd.group.remove('developers')).rejects.toMatchObject({ type: 'APPLICATION_PERMISSION_DENIED' });
  });
});

/** Authentication, SSO sessions and cookie config through the npm client, and the call patterns of clients not installed here. */
describe('client call patterns: authentication, sessions, cookie config', () => {
  let cg: TestCrowdgate;
  let crowd: CrowdClient;
  beforeAll(async () => {
    cg = await startTestCrowdgate([{ name: 'corp', changes: SMALL_DIRECTORY }], {}, { providers: [new PasswordProvider()] });
    crowd = new CrowdClient({ baseUrl: `${cg.url}/`, application: { name: 'jira', password: APP_PASSWORD } });
  });
  afterAll(() => cg.stop());

  test('atlassian-crowd-client: authentication, sessions, cookie config', async () => {
    expect(await crowd.authentication.authenticate('alice', 'wonderland')).toMatchObject({ username: 'alice', active: true });
    await expect(crowd.authentication.authenticate('alice', 'nope')).rejects.toMatchObject({ type: 'INVALID_USER_AUTHENTICATION' });
    await expect(crowd.authentication.authenticate('dave', 'wonderland')).rejects.toMatchObject({ type: 'INACTIVE_ACCOUNT' });
    const session = await crowd.session.create('alice', 'wonderland');
    expect(session.token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(session.expiresAt.getTime()).toBeGreaterThan(session.createdAt.getTime());
    expect(await crowd.session.getUser(session.token)).toMatchObject({ username: 'alice', email: 'alice@example.com' });
    expect((await crowd.session.validate(session.token)).token).toBe(session.token);
    const unvalidated = await crowd.session.createUnvalidated('carol');
    expect((await crowd.session.getUser(unvalidated.token)).username).toBe('carol');
    await crowd.session.remove(session.token);
    await expect(crowd.session.getUser(session.token)).rejects.toMatchObject({ type: 'INVALID_SSO_TOKEN' });
    await crowd.session.removeAll('carol');
    await expect(crowd.session.validate(unvalidated.token)).rejects.toMatchObject({ type: 'INVALID_SSO_TOKEN' });
    expect(await crowd.config.cookie()).toEqual({ domain: '', name: 'crowd.token_key', secure: false });
    expect(await crowd.user.groups.list('carol', true)).toEqual(['backend', 'developers', 'jira-software-users']);
    expect(await crowd.group.users.list('developers', true)).toEqual(['alice', 'Bob Smith', 'carol']);
  });

  const basic = () => `Basic ${Buffer.from(`jira:${APP_PASSWORD}`).toString('base64')}`;

  test('passport-atlassian-crowd@0.0.8 (not installed): POST latest/authentication?expand=attributes, then latest/user/group/nested', async () => {
    const auth = await fetch(`${cg.url}/rest/usermanagement/latest/authentication?expand=attributes&username=alice`, {
      method: 'POST',
      headers: { authorization: basic(), accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'wonderland' }),
    });
    expect(auth.status).toBe(200);
    const user = (await auth.json()) as { name: string; attributes: { attributes: Array<{ name: string; values: string[] }> } };
    expect(user.attributes.attributes).toEqual([expect.objectContaining({ name: 'department', values: ['R&D'] })]);
    const groups = await fetch(`${cg.url}/rest/usermanagement/latest/user/group/nested?username=alice`, { headers: { authorization: basic(), accept: 'application/json' } });
    expect(((await groups.json()) as { groups: Array<{ name: string }> }).groups.map((g) => g.name)).toEqual(['developers', 'jira-software-users']);
  });

  test('atlassian-crowd@0.5.0 (not installed): content-type must be exactly application/json, on success and error', async () => {
    const paths = ['/user?username=alice', '/user/group/nested?username=alice', '/group/user/direct?groupname=developers&username=alice', '/config/cookie', '/user?username=ghost'];
    for (const path of paths) {
      const response = await fetch(`${cg.url}/rest/usermanagement/1${path}`, { headers: { authorization: basic(), accept: 'application/json' } });
      expect([path, response.headers.get('content-type')]).toEqual([path, 'application/json']);
    }
    const session = await fetch(`${cg.url}/rest/usermanagement/1/session`, {
      method: 'POST',
      headers: { authorization: basic(), accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'wonderland', 'validation-factors': { validationFactors: [{ name: 'remote_address', value: '127.0.0.1' }] } }),
    });
    expect([session.status, session.headers.get('content-type')]).toEqual([201, 'application/json']);
  });

  test('omniauth_crowd (not installed): no Accept header, latest alias, XML password body, groups by XPath //groups/group/@name', async () => {
    const auth = await fetch(`${cg.url}/rest/usermanagement/latest/authentication?username=alice`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/xml' },
      body: '<password><value>wonderland</value></password>',
    });
    expect([auth.status, auth.headers.get('content-type')]).toEqual([200, 'application/xml']);
    const groups = await fetch(`${cg.url}/rest/usermanagement/latest/user/group/direct?username=alice`, { headers: { authorization: basic() } });
    expect([...(await groups.text()).matchAll(/<group name="([^"]+)"/g)].map((m) => m[1])).toEqual(['developers', 'jira-software-users']);
  });
});
