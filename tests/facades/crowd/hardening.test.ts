import { SMALL_DIRECTORY } from '../../helpers/fixtures';
import { startTestCrowdgate, type TestCrowdgate } from '../../helpers/crowdgate';
import { child, strictDocument, strictUser, text } from './jaxb';

/**
 * Bad and hostile input: every mistake is a 4xx Crowd error entity (never a crash, never a 500),
 * and the process keeps serving. Also: a server under a context path,
 * and the failed-application-login limit.
 */
describe('Crowd facade hardening', () => {
  let cg: TestCrowdgate;
  beforeAll(async () => {
    cg = await startTestCrowdgate([{ name: 'corp', changes: SMALL_DIRECTORY }]);
  });
  afterAll(() => cg.stop());

  async function call(path: string, init: RequestInit = {}) {
    const response = await fetch(`${cg.url}/rest/usermanagement/1${path}`, {
      ...init,
      headers: { authorization: cg.basic(), ...(init.headers as Record<string, string>) },
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }
  const xml = (path: string, body: string) =>
    call(path, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });

  test('hostile and malformed bodies, bad parameters, bad tokens: 4xx error entities', async () => {
    const billionLaughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><password><value>&lol3;</value></password>';
    const external =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><password><value>&xxe;</value></password>';
    const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
    const cases: Array<[string, () => Promise<{ status: number; body: string }>, number]> = [
      ['billion laughs', () => xml('/authentication?username=alice', billionLaughs), 400],
      ['external entity', () => xml('/authentication?username=alice', external), 400],
      ['DTD on search', () => xml('/search?entity-type=user', '<!DOCTYPE x><null-search-restriction/>'), 400],
      ['deep nesting', () => xml('/search?entity-type=user', deep), 400],
      ['unclosed XML', () => xml('/session', '<authentication-context><username>alice'), 400],
      ['wrong root', () => xml('/session', '<user name="alice"/>'), 400],
      [
        'bad JSON',
        () =>
          call('/authentication?username=alice', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"value":',
          }),
        400,
      ],
      [
        'JSON number password',
        () =>
          call('/authentication?username=alice', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"value":42}',
          }),
        400,
      ],
      [
        'JSON array session',
        () => call('/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' }),
        400,
      ],
      [
        'bad factors',
        () =>
          call('/session', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"username":"alice","validation-factors":{"validationFactors":[7]}}',
          }),
        400,
      ],
      [
        'oversized body',
        () =>
          xml('/authentication?username=alice', `<password><value>${'x'.repeat(2 * 1024 * 1024)}</value></password>`),
        413,
      ],
      [
        'invalid CQL',
        () => call(`/search?entity-type=user&restriction=${encodeURIComponent('name = "unterminated')}`),
        400,
      ],
      ['CQL operator', () => call(`/search?entity-type=user&restriction=${encodeURIComponent('name ~ x')}`), 400],
      [
        'unknown CQL property',
        () => call(`/search?entity-type=group&restriction=${encodeURIComponent('colour=red')}`),
        400,
      ],
      [
        'unknown match mode',
        () =>
          xml(
            '/search?entity-type=user',
            '<property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>SOUNDS_LIKE</match-mode><value>x</value></property-search-restriction>',
          ),
        400,
      ],
      ['negative start-index', () => call('/user/group/direct?username=alice&start-index=-5'), 400],
      ['max-results -2', () => call('/group/user/nested?groupname=developers&max-results=-2'), 400],
      ['huge max-results', () => call('/search?entity-type=user&max-results=99999999999'), 400],
      ['unknown entity type', () => call('/search?entity-type=directory'), 400],
      [
        'bad duration',
        () =>
          xml('/session?duration=-1', '<authentication-context><username>alice</username></authentication-context>'),
        400,
      ],
      ['bad event token', () => call('/event/%E2%98%83%00'), 410],
      ['missing username', () => call('/user/group/nested'), 400],
      ['missing groupname', () => call('/group/parent-group/direct'), 400],
    ];
    for (const [name, run, status] of cases) {
      const response = await run();
      expect([name, response.status]).toEqual([name, status]);
      const error = strictDocument(response.body, 'error');
      expect(text(error, 'reason')).toBeTruthy();
      expect(text(error, 'message')).toBeTruthy();
    }
    expect(strictUser(strictDocument((await call('/user?username=alice')).body, 'user')).active).toBe(true);
  });

  test('every 4xx and 5xx but 401/403 carries an error entity, with version and no-cache headers', async () => {
    const responses = await Promise.all([
      call('/nope'),
      call('/user?username=x'),
      call('/event/x'),
      call('/session/x'),
    ]);
    for (const r of responses) {
      expect(r.headers.get('x-embedded-crowd-version')).toMatch(/^Crowd\//);
      expect(r.headers.get('cache-control')).toBe('no-cache, no-store');
      expect(child(strictDocument(r.body, 'error'), 'reason')).toBeDefined();
    }
  });

  test('JSON answers are exactly application/json; no Accept means XML', async () => {
    const json = await call('/config/cookie', { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toBe('application/json');
    const none = await fetch(`${cg.url}/rest/usermanagement/latest/user/group/direct?username=alice`, {
      headers: { authorization: cg.basic(), accept: '' },
    });
    expect(none.headers.get('content-type')).toBe('application/xml');
    expect(strictDocument(await none.text(), 'groups').children.length).toBeGreaterThan(0);
  });
});

describe('a crowdgate under the context path /crowd', () => {
  let cg: TestCrowdgate;
  beforeAll(async () => {
    cg = await startTestCrowdgate([{ name: 'corp', changes: SMALL_DIRECTORY }], { contextPath: '/crowd' });
  });
  afterAll(() => cg.stop());

  test('serves /crowd/rest/usermanagement/{1,latest}, links carry the context path', async () => {
    for (const version of ['1', 'latest']) {
      const response = await fetch(`${cg.url}/crowd/rest/usermanagement/${version}/user?username=alice`, {
        headers: { authorization: cg.basic() },
      });
      expect(response.status).toBe(200);
      const user = strictDocument(await response.text(), 'user');
      expect(child(user, 'link')!.attributes.href).toBe(
        `${cg.url}/crowd/rest/usermanagement/${version}/user?username=alice`,
      );
    }
    expect(
      (await fetch(`${cg.url}/rest/usermanagement/1/user?username=alice`, { headers: { authorization: cg.basic() } }))
        .status,
    ).toBe(404);
  });

  test('failed application logins are limited per source address, but a proven password keeps working', async () => {
    const url = `${cg.url}/crowd/rest/usermanagement/1/user?username=alice`;
    for (let i = 0; i < 10; i++)
      expect((await fetch(url, { headers: { authorization: cg.basic('jira', `wrong-${i}`) } })).status).toBe(401);
    // An eleventh guess is refused without a check (and so is indistinguishable from a wrong one)…
    const blocked = await fetch(url, { headers: { authorization: cg.basic('jira', 'wrong-10') } });
    expect(blocked.status).toBe(401);
    expect(blocked.headers.get('www-authenticate')).toBe('BASIC realm="Crowd REST Service"');
    expect(await blocked.text()).toBe('Application failed to authenticate');
    // …while the application's own password, which verified earlier in this file, still passes.
    expect((await fetch(url, { headers: { authorization: cg.basic() } })).status).toBe(200);
  });
});
