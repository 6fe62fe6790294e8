import { parseXml, type XmlElement } from '../../../facades/crowd/codec/xml-reader';
import { SMALL_DIRECTORY } from '../../helpers/fixtures';
import { startTestCrowdgate, type TestCrowdgate } from '../../helpers/crowdgate';

const child = (e: XmlElement, name: string) => e.children.find((c) => c.name === name);
const text = (e: XmlElement, name: string) => child(e, name)?.text;

describe('Crowd REST facade', () => {
  let cg: TestCrowdgate;
  beforeAll(async () => {
    cg = await startTestCrowdgate([{ name: 'corp', changes: SMALL_DIRECTORY }]);
  });
  afterAll(() => cg.stop());

  const base = () => `${cg.url}/rest/usermanagement/1`;
  async function call(path: string, init: RequestInit & { auth?: string | null } = {}) {
    const { auth, headers, ...rest } = init;
    const response = await fetch(`${base()}${path}`, {
      ...rest,
      headers: {
        ...(auth === null ? {} : { authorization: auth ?? cg.basic() }),
        ...(headers as Record<string, string>),
      },
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  test('GET /user answers a Crowd XML user with active, key and names; JSON on request', async () => {
    const xml = await call('/user?username=ALICE');
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toBe('application/xml');
    expect(xml.headers.get('x-embedded-crowd-version')).toMatch(/^Crowd\/5\./);
    expect(xml.headers.get('cache-control')).toBe('no-cache, no-store');
    const user = parseXml(xml.body);
    expect(user.name).toBe('user');
    expect(user.attributes.name).toBe('alice'); // canonical stored case
    expect(text(user, 'active')).toBe('true');
    expect(text(user, 'key')).toBe(`${cg.directoryIds[0]}:id-alice`);
    expect([
      text(user, 'first-name'),
      text(user, 'last-name'),
      text(user, 'display-name'),
      text(user, 'email'),
    ]).toEqual(['Alice', 'Liddell', 'Alice Liddell', 'alice@example.com']);
    expect(child(user, 'link')!.attributes.href).toBe(`${base()}/user?username=alice`);

    const json = await call('/user?username=alice', { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(json.body)).toMatchObject({
      name: 'alice',
      active: true,
      key: `${cg.directoryIds[0]}:id-alice`,
      'first-name': 'Alice',
    });
  });

  test('an inactive user says so, and `+` in a query string is a space', async () => {
    expect(text(parseXml((await call('/user?username=dave')).body), 'active')).toBe('false');
    const bob = await call('/user?username=bob+smith');
    expect(bob.status).toBe(200);
    expect(parseXml(bob.body).attributes.name).toBe('Bob Smith');
  });

  test('the latest alias serves the same resources', async () => {
    const response = await fetch(`${cg.url}/rest/usermanagement/latest/group?groupname=developers`, {
      headers: { authorization: cg.basic() },
    });
    expect(response.status).toBe(200);
    const group = parseXml(await response.text());
    expect([group.attributes.name, text(group, 'type'), text(group, 'active'), text(group, 'description')]).toEqual([
      'developers',
      'GROUP',
      'true',
      'All developers',
    ]);
  });

  test('errors: unknown user and group are 404 entities, missing parameters 400, all with the version header', async () => {
    const user = await call('/user?username=nobody');
    expect(user.status).toBe(404);
    expect(parseXml(user.body)).toMatchObject({ name: 'error' });
    expect(text(parseXml(user.body), 'reason')).toBe('USER_NOT_FOUND');
    const group = await call('/group?groupname=nothing', { headers: { accept: 'application/json' } });
    expect(group.status).toBe(404);
    expect(JSON.parse(group.body)).toEqual({ reason: 'GROUP_NOT_FOUND', message: 'Group <nothing> does not exist' });
    const missing = await call('/user');
    expect(missing.status).toBe(400);
    expect(text(parseXml(missing.body), 'reason')).toBe('ILLEGAL_ARGUMENT');
    for (const response of [user, group, missing])
      expect(response.headers.get('x-embedded-crowd-version')).toBeTruthy();
  });

  test('application authentication: 401 text with WWW-Authenticate, 403 for a disallowed address', async () => {
    for (const auth of [null, cg.basic('jira', 'wrong'), cg.basic('unknown-app'), 'Basic !!!']) {
      const response = await call('/user?username=alice', { auth });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('BASIC realm="Crowd REST Service"');
      expect(response.body).toBe('Application failed to authenticate');
      expect(response.headers.get('x-embedded-crowd-version')).toBeTruthy();
    }
    const forbidden = await call('/user?username=alice', { auth: cg.basic('remote') });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatch(/forbidden from making requests to application 'remote'/);
    expect(forbidden.headers.get('x-embedded-crowd-version')).toBeTruthy();
  });

  test("POST /search with Jira's test-connection body and the null restriction, all results and paging", async () => {
    const testConnection =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>NULL</match-mode></property-search-restriction>';
    const probe = await call('/search?entity-type=user&start-index=0&max-results=1&expand=user', {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=UTF-8' },
      body: testConnection,
    });
    expect(probe.status).toBe(200);
    expect(parseXml(probe.body).name).toBe('users');

    const all = await call('/search?entity-type=user&start-index=0&max-results=-1&expand=user', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<null-search-restriction/>',
    });
    const users = parseXml(all.body).children.filter((c) => c.name === 'user');
    expect(users.map((u) => u.attributes.name)).toEqual(['alice', 'Bob Smith', 'carol', 'dave']);
    expect(users.map((u) => text(u, 'active'))).toEqual(['true', 'true', 'true', 'false']);

    const page = await call('/search?entity-type=user&start-index=1&max-results=2', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ 'restriction-type': 'null-search-restriction' }),
    });
    expect(JSON.parse(page.body)).toEqual({
      expand: 'user',
      users: [
        { name: 'Bob Smith', link: { rel: 'self', href: `${base()}/user?username=Bob%20Smith` } },
        { name: 'carol', link: { rel: 'self', href: `${base()}/user?username=carol` } },
      ],
    });
    const past = await call('/search?entity-type=group&start-index=50', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<null-search-restriction/>',
    });
    expect(parseXml(past.body).children).toEqual([]);
  });

  test('search restrictions: XML property match, boolean logic, and GET with CQL', async () => {
    const body = `<boolean-search-restriction boolean-logic="or"><restrictions>
      <property-search-restriction><property><name>email</name><type>STRING</type></property><match-mode>ENDS_WITH</match-mode><value>.ORG</value></property-search-restriction>
      <property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>STARTS_WITH</match-mode><value>al</value></property-search-restriction>
    </restrictions></boolean-search-restriction>`;
    const posted = await call('/search?entity-type=user', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body,
    });
    expect(parseXml(posted.body).children.map((u) => u.attributes.name)).toEqual(['alice', 'carol']);
    const cql = await call(
      `/search?entity-type=user&restriction=${encodeURIComponent('active=false or email="bob@example.com"')}`,
      {
        headers: { accept: 'application/json' },
      },
    );
    expect((JSON.parse(cql.body) as { users: Array<{ name: string }> }).users.map((u) => u.name)).toEqual([
      'Bob Smith',
      'dave',
    ]);
    const groups = await call(
      `/search?entity-type=group&restriction=${encodeURIComponent('name = dev*')}&expand=group`,
    );
    expect(parseXml(groups.body).children.map((g) => [g.attributes.name, text(g, 'type')])).toEqual([
      ['developers', 'GROUP'],
    ]);
  });

  test('bad search input: 400 entities for each mistake, the server unharmed', async () => {
    const cases: Array<[string, RequestInit]> = [
      ['/search?restriction=name%3Dx', {}], // no entity-type
      ['/search?entity-type=widget', {}],
      ['/search?entity-type=user&restriction=name%3D%3D', {}],
      ['/search?entity-type=user&restriction=color%3Dred', {}],
      ['/search?entity-type=user&start-index=-1', {}],
      ['/search?entity-type=user&max-results=0', {}],
      ['/search?entity-type=user&max-results=abc', {}],
      [
        '/search?entity-type=user',
        { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<null-search-restriction>' },
      ],
      [
        '/search?entity-type=user',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"restriction-type":' },
      ],
      [
        '/search?entity-type=user',
        {
          method: 'POST',
          headers: { 'content-type': 'application/xml' },
          body: '<!DOCTYPE x [<!ENTITY a "aaaa">]><null-search-restriction/>',
        },
      ],
    ];
    for (const [path, init] of cases) {
      const response = await call(path, init);
      expect([path, response.status]).toEqual([path, 400]);
      expect(text(parseXml(response.body), 'reason')).toBe('ILLEGAL_ARGUMENT');
    }
    // A type that is neither XML nor JSON: 415, as Jersey answers (input-limits.test.ts).
    const csv = await call('/search?entity-type=user', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    });
    expect([csv.status, text(parseXml(csv.body), 'reason')]).toEqual([415, 'ILLEGAL_ARGUMENT']);
    const huge = await call('/search?entity-type=user', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: `<null-search-restriction>${'x'.repeat(2 * 1024 * 1024)}</null-search-restriction>`,
    });
    expect(huge.status).toBe(413);
    expect((await call('/user?username=alice')).status).toBe(200);
  });

  test('user and group memberships, with 404 MEMBERSHIP_NOT_FOUND for "not a member"', async () => {
    const groups = await call('/user/group/direct?username=carol&start-index=0&max-results=-1');
    expect(parseXml(groups.body).children.map((g) => g.attributes.name)).toEqual(['backend', 'jira-software-users']);
    const member = await call('/user/group/direct?username=carol&groupname=BACKEND');
    expect(parseXml(member.body).attributes.name).toBe('backend');
    const notMember = await call('/user/group/direct?username=carol&groupname=developers');
    expect(notMember.status).toBe(404);
    expect(text(parseXml(notMember.body), 'reason')).toBe('MEMBERSHIP_NOT_FOUND');
    const users = await call('/group/user/direct?groupname=developers&expand=user', {
      headers: { accept: 'application/json' },
    });
    expect((JSON.parse(users.body) as { users: Array<{ name: string; active: boolean }> }).users).toMatchObject([
      { name: 'alice', active: true },
      { name: 'Bob Smith', active: true },
    ]);
    expect((await call('/group/user/direct?groupname=developers&max-results=1&start-index=1')).body).toContain(
      'Bob Smith',
    );
    expect((await call('/group/user/direct?groupname=nope')).status).toBe(404);
    expect((await call('/user/group/direct?username=nope')).status).toBe(404);
  });

  test('/group/membership lists every group with <users> and <groups>, in XML whatever Accept says', async () => {
    const response = await call('/group/membership', { headers: { accept: 'application/json' } });
    expect(response.headers.get('content-type')).toBe('application/xml');
    const memberships = parseXml(response.body);
    const byGroup = Object.fromEntries(
      memberships.children.map((m) => [
        m.attributes.group,
        {
          users: child(m, 'users')!.children.map((u) => u.attributes.name),
          groups: child(m, 'groups')!.children.map((g) => g.attributes.name),
        },
      ]),
    );
    expect(byGroup).toEqual({
      backend: { users: ['carol'], groups: [] },
      developers: { users: ['alice', 'Bob Smith'], groups: ['backend'] },
      'empty-group': { users: [], groups: [] },
      'jira-software-users': { users: ['alice', 'Bob Smith', 'carol'], groups: [] },
    });
  });

  test('writes are refused as on a read-only directory; unknown resources are 404 entities', async () => {
    const create = await call('/user', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<user name="x"/>',
    });
    expect(create.status).toBe(403);
    expect(text(parseXml(create.body), 'reason')).toBe('APPLICATION_PERMISSION_DENIED');
    expect((await call('/group?groupname=developers', { method: 'DELETE' })).status).toBe(403);
    const unknown = await call('/non-existent/location');
    expect(unknown.status).toBe(404);
    expect(parseXml(unknown.body).name).toBe('error');
    expect((await call('/non-existent/location', { auth: null })).status).toBe(401);
  });
});
