import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCrowdgateSchema } from '../../../resolvers/schema';
import type { Config } from '../../../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../../../src/config/sync-schema';
import { DirectoryError } from '../../../src/domain/errors';
import { parseCidr } from '../../../src/security/cidr';
import { hashPassword } from '../../../src/security/password-hash';
import type { Logger } from '../../../src/logging/logger';
import { startServer, type RunningServer } from '../../../src/server/server';
import { openSqliteStore } from '../../../src/store/open';
import type { ChangeSet, Store } from '../../../src/store/store';
const MAX_RESTRICTION_DEPTH = 16,
  MAX_RESTRICTION_NODES = 10000;
const MAX_SEARCH_TERMS = 1000;
import { userRecord } from '../../conformance/fixtures';
import { ADMIN_TOKEN, APP_PASSWORD, startTestCrowdgate, type TestCrowdgate } from '../../helpers/crowdgate';
import { SMALL_DIRECTORY } from '../../helpers/fixtures';
import { child, strictDocument, text } from './jaxb';

/**
 * Hardening: well-formed input that used to end in a 500 without a correlation id
 * (long search values, wide boolean restrictions, start-index beyond a Java int, deep nesting),
 * bodies that were wrongly accepted (text/plain or no Content-Type, which a browser can send
 * cross-site without a preflight) or wrongly decoded (charsets, invalid UTF-8), and 500s that
 * must carry a correlation id that is in the log.
 */

/** 60,000 UTF-8 bytes: over SQLite's 50,000-byte LIKE pattern limit. */
const LONG = 'ä'.repeat(30_000);

const DIRECTORY: ChangeSet = {
  ...SMALL_DIRECTORY,
  upsertUsers: [
    ...SMALL_DIRECTORY.upsertUsers!,
    userRecord('id-juergen', 'jürgen', { displayName: 'Jürgen Groß' }),
    userRecord('id-long', 'longshot', { displayName: `A${LONG}Z`, attributes: { bio: [`x${LONG}y`] } }),
  ],
};

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

const prop = (name: string, matchMode: string, value?: string) => ({
  property: { name, type: 'STRING' },
  'match-mode': matchMode,
  ...(value === undefined ? {} : { value }),
});
const xmlProp = (name: string, matchMode: string, value: string) =>
  `<property-search-restriction><property><name>${name}</name><type>STRING</type></property><match-mode>${matchMode}</match-mode><value>${value}</value></property-search-restriction>`;

function names(body: string): string[] {
  return strictDocument(body, 'users').children.map((u) => u.attributes['name']!);
}

function errorOf(answer: Answer): { reason: string; message: string } {
  const error = strictDocument(answer.body, 'error');
  return { reason: text(error, 'reason')!, message: text(error, 'message')! };
}

describe('Crowd input limits', () => {
  let cg: TestCrowdgate;
  beforeAll(async () => {
    cg = await startTestCrowdgate([{ name: 'corp', changes: DIRECTORY }]);
  });
  afterAll(() => cg.stop());

  async function call(path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${cg.url}/rest/usermanagement/1${path}`, {
      ...init,
      headers: { authorization: cg.basic(), ...(init.headers as Record<string, string>) },
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }
  const post = (path: string, type: string | undefined, body: string | Uint8Array) =>
    call(path, { method: 'POST', headers: type === undefined ? {} : { 'content-type': type }, body });
  const json = (path: string, body: unknown) => post(path, 'application/json', JSON.stringify(body));
  const expectIllegal = (answer: Answer, status: number, message: RegExp) => {
    expect([answer.status, errorOf(answer)]).toEqual([
      status,
      { reason: 'ILLEGAL_ARGUMENT', message: expect.stringMatching(message) },
    ]);
    expect(answer.headers.get('x-embedded-crowd-version')).toMatch(/^Crowd\//);
  };

  describe('no 500s for well-formed input', () => {
    test("a search value longer than SQLite's LIKE pattern limit works, in fields and attributes", async () => {
      for (const [mode, value] of [
        ['CONTAINS', LONG.toUpperCase()],
        ['STARTS_WITH', `a${LONG}`],
        ['ENDS_WITH', `${LONG}z`],
      ] as const) {
        const answer = await json('/search?entity-type=user', prop('displayName', mode, value));
        expect([mode, answer.status, names(answer.body)]).toEqual([mode, 200, ['longshot']]);
      }
      const attribute = await json('/search?entity-type=user', prop('bio', 'CONTAINS', `${LONG}Y`));
      expect(names(attribute.body)).toEqual(['longshot']);
      const none = await post('/search?entity-type=user', 'application/xml', xmlProp('email', 'CONTAINS', LONG));
      expect([none.status, names(none.body)]).toEqual([200, []]);
    });

    test(`a search of up to ${MAX_SEARCH_TERMS} terms works (SQLite's expression depth is 1000); more is 400`, async () => {
      const misses = (n: number, make: (i: number) => unknown) => Array.from({ length: n }, (_, i) => make(i));
      const wideOr = await json('/search?entity-type=user', {
        'boolean-logic': 'OR',
        restrictions: [
          ...misses(MAX_SEARCH_TERMS - 2, (i) => prop('name', 'STARTS_WITH', `zz${i}`)),
          prop('name', 'EXACTLY_MATCHES', 'CAROL'),
          prop('email', 'CONTAINS', 'ALICE@'),
        ],
      });
      expect([wideOr.status, names(wideOr.body)]).toEqual([200, ['alice', 'carol']]);
      const equalities = await json('/search?entity-type=user', {
        'boolean-logic': 'or',
        restrictions: [
          ...misses(MAX_SEARCH_TERMS - 1, (i) => prop('name', 'EXACTLY_MATCHES', `nobody${i}`)),
          prop('name', 'EXACTLY_MATCHES', 'dave'),
        ],
      });
      expect([equalities.status, names(equalities.body)]).toEqual([200, ['dave']]);
      // The most SQL parameters a term needs (an attribute STARTS_WITH: name, value, length), on every term.
      const attributes = await json('/search?entity-type=user', {
        'boolean-logic': 'AND',
        restrictions: misses(MAX_SEARCH_TERMS, (i) => prop(`a${i}`, 'STARTS_WITH', 'x')),
      });
      expect([attributes.status, names(attributes.body)]).toEqual([200, []]);
      const nested = await json('/search?entity-type=user', {
        'boolean-logic': 'OR',
        restrictions: misses(MAX_SEARCH_TERMS / 2 + 1, () => ({
          'boolean-logic': 'AND',
          restrictions: [prop('name', 'LESS_THAN_OR_EQUAL', 'a'), {}],
        })),
      });
      expect([nested.status, names(nested.body)]).toEqual([200, []]);
      const tooMany = await json('/search?entity-type=user', {
        'boolean-logic': 'OR',
        restrictions: misses(MAX_SEARCH_TERMS + 1, (i) => prop('name', 'EXACTLY_MATCHES', `u${i}`)),
      });
      expectIllegal(
        tooMany,
        400,
        new RegExp(
          `^Search restriction is invalid: more than ${MAX_SEARCH_TERMS} property restrictions in one search$`,
        ),
      );
      const tooLarge = await json('/search?entity-type=user', {
        'boolean-logic': 'OR',
        restrictions: misses(MAX_RESTRICTION_NODES, () => ({})),
      });
      expectIllegal(
        tooLarge,
        400,
        new RegExp(`^Search restriction is invalid: more than ${MAX_RESTRICTION_NODES} restrictions$`),
      );
    });

    test(`CQL with ${MAX_SEARCH_TERMS} OR or AND terms works`, async () => {
      const or = `${Array.from({ length: MAX_SEARCH_TERMS - 1 }, (_, i) => `name=z${i}*`).join(' or ')} or name=carol`;
      const ors = await call(`/search?entity-type=user&restriction=${encodeURIComponent(or).replaceAll('%20', '+')}`);
      expect([ors.status, names(ors.body)]).toEqual([200, ['carol']]);
      const and = Array.from({ length: MAX_SEARCH_TERMS }, () => 'active=true').join(' and ');
      const ands = await call(`/search?entity-type=user&restriction=${encodeURIComponent(and).replaceAll('%20', '+')}`);
      expect([ands.status, names(ands.body)]).toEqual([200, ['alice', 'Bob Smith', 'carol', 'jürgen', 'longshot']]);
      const tooMany = `${and} and active=true`;
      expectIllegal(
        await call(`/search?entity-type=user&restriction=${encodeURIComponent(tooMany)}`),
        400,
        /more than 1000 property restrictions/,
      );
    });

    test('start-index and max-results beyond a Java int are 400 naming the parameter; 2^31-1 is an empty page', async () => {
      for (const value of ['2147483648', '4294967296', '9007199254740993', '99999999999999999999999']) {
        expectIllegal(
          await call(`/search?entity-type=user&start-index=${value}`),
          400,
          /^start-index must be at most 2147483647$/,
        );
        expectIllegal(
          await call(`/group/user/direct?groupname=developers&expand=user&start-index=${value}`),
          400,
          /^start-index must be at most 2147483647$/,
        );
        expectIllegal(
          await call(`/group/user/direct?groupname=developers&start-index=${value}`),
          400,
          /^start-index must be at most 2147483647$/,
        );
        expectIllegal(
          await post(`/search?entity-type=group&max-results=${value}`, 'application/xml', '<null-search-restriction/>'),
          400,
          /^max-results must be at most 2147483647/,
        );
      }
      const last = await call('/search?entity-type=user&start-index=2147483647&max-results=2147483647');
      expect([last.status, names(last.body)]).toEqual([200, []]);
      const expanded = await call('/group/user/direct?groupname=developers&expand=user&start-index=2147483647');
      expect([expanded.status, names(expanded.body)]).toEqual([200, []]);
      expectIllegal(
        await call('/search?entity-type=user&start-index=1e3'),
        400,
        /^start-index must be an integer, not "1e3"$/,
      );
    });

    test(`restrictions nest ${MAX_RESTRICTION_DEPTH} levels deep; deeper, even 10,000 levels, is 400 with the Crowd message`, async () => {
      const nestJson = (depth: number, leaf: string) =>
        '{"boolean-logic":"AND","restrictions":['.repeat(depth - 1) + leaf + ']}'.repeat(depth - 1);
      const nestXml = (depth: number, leaf: string) =>
        '<boolean-search-restriction boolean-logic="AND"><restrictions>'.repeat(depth - 1) +
        leaf +
        '</restrictions></boolean-search-restriction>'.repeat(depth - 1);
      // LESS_THAN_OR_EQUAL on a string adds a level of its own in the GraphQL filter.
      const lte = JSON.stringify(prop('name', 'LESS_THAN_OR_EQUAL', 'bob smith'));
      const deepest = await post('/search?entity-type=user', 'application/json', nestJson(MAX_RESTRICTION_DEPTH, lte));
      expect([deepest.status, names(deepest.body)]).toEqual([200, ['alice', 'Bob Smith']]);
      const deepestXml = await post(
        '/search?entity-type=user',
        'application/xml',
        nestXml(MAX_RESTRICTION_DEPTH, xmlProp('name', 'GREATER_THAN_OR_EQUAL', 'longshot')),
      );
      expect([deepestXml.status, names(deepestXml.body)]).toEqual([200, ['longshot']]);
      const deeper = new RegExp(`^Search restriction is invalid: .*nested deeper than ${MAX_RESTRICTION_DEPTH} levels`);
      expectIllegal(
        await post('/search?entity-type=user', 'application/json', nestJson(MAX_RESTRICTION_DEPTH + 1, lte)),
        400,
        deeper,
      );
      expectIllegal(await post('/search?entity-type=user', 'application/json', nestJson(10_000, lte)), 400, deeper);
      expectIllegal(
        await post(
          '/search?entity-type=user',
          'application/xml',
          nestXml(MAX_RESTRICTION_DEPTH + 1, '<null-search-restriction/>'),
        ),
        400,
        deeper,
      );
      expectIllegal(
        await post('/search?entity-type=user', 'application/xml', nestXml(5_000, '<null-search-restriction/>')),
        400,
        /nested deeper than/,
      );
      // CQL: each pair of parentheses can hold an OR of ANDs, two levels of restriction.
      let cql = 'name=x';
      for (let i = 0; i < 9; i += 1) cql = `name=a or name=b and (${cql})`;
      expectIllegal(await call(`/search?entity-type=user&restriction=${encodeURIComponent(cql)}`), 400, deeper);
      expectIllegal(await call(`/search?entity-type=user&restriction=${'('.repeat(5000)}`), 400, deeper);
    });
  });

  describe('bodies need an XML or JSON Content-Type (415); charsets are honoured', () => {
    const nullRestriction = '<null-search-restriction/>';
    test('text/plain, form and octet-stream bodies, and bodies without Content-Type, are 415 with the Crowd entity and headers', async () => {
      const bodies: Array<[string, string]> = [
        ['/search?entity-type=user', nullRestriction],
        ['/authentication?username=alice', '<password><value>wonderland</value></password>'],
        [
          '/session',
          '<authentication-context><username>alice</username><password>wonderland</password></authentication-context>',
        ],
        ['/session?validate-password=false', '{"username":"alice"}'],
      ];
      for (const [path, body] of bodies) {
        for (const type of [
          'text/plain',
          'text/plain;charset=UTF-8',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
        ]) {
          const answer = await post(path, type, body);
          expectIllegal(
            answer,
            415,
            /^Unsupported Media Type: Content-Type ".+"; send application\/xml or application\/json$/,
          );
          expect(answer.headers.get('cache-control')).toBe('no-cache, no-store');
        }
        // A Uint8Array body: fetch adds no Content-Type of its own.
        expectIllegal(
          await post(path, undefined, new TextEncoder().encode(body)),
          415,
          /^Unsupported Media Type: a request body without Content-Type/,
        );
      }
      const asJson = await call('/search?entity-type=user', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', accept: 'application/json' },
        body: nullRestriction,
      });
      expect([asJson.status, JSON.parse(asJson.body)]).toEqual([
        415,
        { reason: 'ILLEGAL_ARGUMENT', message: expect.stringMatching(/^Unsupported Media Type/) },
      ]);
      // An empty body needs no type (Crowd's postEmpty); the proper types still work.
      expect((await call('/authentication/notify?username=alice', { method: 'POST' })).status).toBe(200);
      expect((await post('/search?entity-type=user&max-results=1', 'text/xml', nullRestriction)).status).toBe(200);
      expect(
        (await post('/search?entity-type=user&max-results=1', 'Application/JSON; Charset="utf-8"', '{}')).status,
      ).toBe(200);
    });

    test('the charset parameter, a BOM and the XML declaration decide the encoding', async () => {
      const restriction = `<?xml version="1.0" encoding="ISO-8859-1"?>${xmlProp('displayName', 'EXACTLY_MATCHES', 'JÜRGEN GROß')}`;
      const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
      const cases: Array<[string, string | undefined, Buffer]> = [
        ['Latin-1 by charset', 'application/xml; charset=ISO-8859-1', Buffer.from(restriction, 'latin1')],
        ['Latin-1 by the XML declaration', 'application/xml', Buffer.from(restriction, 'latin1')],
        [
          'Latin-1 by declaration, text/xml',
          'text/xml',
          Buffer.from(restriction.replace('"ISO-8859-1"', "'iso-8859-1'"), 'latin1'),
        ],
        ['charset wins over the declaration', 'application/xml;charset=utf-8', Buffer.from(restriction, 'utf8')],
        [
          'UTF-16 with BOM by charset',
          'application/xml; charset="UTF-16"',
          Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            Buffer.from(restriction.replace('ISO-8859-1', 'UTF-16'), 'utf16le'),
          ]),
        ],
        ['UTF-16 without BOM is big-endian', 'application/xml; charset=utf-16', utf16be(restriction)],
        [
          'UTF-16LE by BOM',
          'application/xml',
          Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            Buffer.from(restriction.replace('ISO-8859-1', 'UTF-16'), 'utf16le'),
          ]),
        ],
        ['UTF-16BE without BOM, by "<?"', 'application/xml', utf16be(restriction.replace('ISO-8859-1', 'UTF-16'))],
        [
          'UTF-8 with BOM',
          'application/xml',
          Buffer.concat([
            Buffer.from([0xef, 0xbb, 0xbf]),
            Buffer.from(restriction.replace('ISO-8859-1', 'UTF-8'), 'utf8'),
          ]),
        ],
        [
          'JSON in Latin-1',
          'application/json; charset=iso-8859-1',
          Buffer.from(JSON.stringify(prop('displayName', 'EXACTLY_MATCHES', 'jürgen groß')), 'latin1'),
        ],
        [
          'JSON in windows-1252',
          'application/json; charset=windows-1252',
          Buffer.from(JSON.stringify(prop('displayName', 'EXACTLY_MATCHES', 'jürgen groß')), 'latin1'),
        ],
      ];
      for (const [name, type, body] of cases) {
        const answer = await post('/search?entity-type=user', type, body);
        expect([name, answer.status, answer.status === 200 ? names(answer.body) : answer.body]).toEqual([
          name,
          200,
          ['jürgen'],
        ]);
      }
      const latin1 = Buffer.from(xmlProp('displayName', 'EXACTLY_MATCHES', 'JÜRGEN GROß'), 'latin1');
      expectIllegal(
        await post('/search?entity-type=user', 'application/xml', latin1),
        400,
        /^Request body is not valid UTF-8/,
      );
      expectIllegal(
        await post('/search?entity-type=user', 'application/xml; charset=us-ascii', latin1),
        400,
        /^Request body is not valid US-ASCII/,
      );
      expectIllegal(
        await post('/search?entity-type=user', 'application/xml; charset=klingon', latin1),
        415,
        /^Unsupported character encoding "klingon"/,
      );
      expectIllegal(
        await post(
          '/search?entity-type=user',
          'application/xml',
          Buffer.from(`<?xml version="1.0" encoding="EBCDIC-42"?>${nullRestriction}`),
        ),
        415,
        /^Unsupported character encoding "EBCDIC-42" \(given by the XML declaration\)/,
      );
    });
  });

  describe('invalid UTF-8 is a 400, never silently replaced', () => {
    test('in bodies', async () => {
      const password = Buffer.concat([
        Buffer.from('<password><value>wonder'),
        Buffer.from([0xff]),
        Buffer.from('land</value></password>'),
      ]);
      expectIllegal(
        await post('/authentication?username=alice', 'application/xml', password),
        400,
        /^Request body is not valid UTF-8/,
      );
      const overlong = Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
      expectIllegal(
        await post('/session?validate-password=false', 'application/json;charset=UTF-8', overlong),
        400,
        /^Request body is not valid UTF-8/,
      );
      const surrogate = Buffer.concat([
        Buffer.from('{"username":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]);
      expectIllegal(
        await post('/session?validate-password=false', 'application/json', surrogate),
        400,
        /^Request body is not valid UTF-8/,
      );
    });

    test('in query parameters: %FF, overlong and surrogate escapes are 400 naming the parameter; a malformed % is kept', async () => {
      for (const escape of ['%FF', '%C0%AF', '%ED%A0%80', 'al%C3']) {
        expectIllegal(await call(`/user?username=${escape}`), 400, /^Query parameter username is not valid UTF-8/);
      }
      expectIllegal(
        await call('/search?entity-type=user&restriction=name%3D%E9'),
        400,
        /^Query parameter restriction is not valid UTF-8/,
      );
      expect(errorOf(await call('/user?username=%zz'))).toEqual({
        reason: 'USER_NOT_FOUND',
        message: 'User <%zz> does not exist',
      });
      expect((await call('/user?username=J%C3%BCRGEN')).status).toBe(200);
    });

    test('the GraphQL endpoint answers 400 BAD_REQUEST for a body that is not UTF-8', async () => {
      const body = Buffer.concat([
        Buffer.from('{"query":"query($n: String!) { user(name: $n) { name } }","variables":{"n":"j'),
        Buffer.from([0xfc]),
        Buffer.from('rgen"}}'),
      ]);
      const response = await fetch(`${cg.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [{ message: expect.stringMatching(/not valid UTF-8/), extensions: { code: 'BAD_REQUEST' } }],
      });
    });
  });
});

describe('Crowd 500s carry a correlation id that is in the log', () => {
  /** A store whose methods can be replaced while the server runs. */
  const faults: Partial<Record<keyof Store, (...args: never[]) => unknown>> = {};
  const lines: Array<Record<string, unknown>> = [];
  const record =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, ...fields });
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  let server: RunningServer;
  let store: Store;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-input-limits-'));
    store = openSqliteStore(dataDir);
    const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
    // More users than the first streamed page (100), so a second page is read while streaming.
    await store.apply(directory!.id, {
      upsertUsers: Array.from({ length: 150 }, (_, i) => userRecord(`u${i}`, `user${String(i).padStart(3, '0')}`)),
    });
    const faulty = new Proxy(store, {
      get(target, key, receiver) {
        const fault = faults[key as keyof Store];
        if (fault) return fault;
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const config: Config = {
      server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
      dataDir,
      adminTokens: [{ name: 'tests', token: ADMIN_TOKEN }],
      directories: [
        {
          name: 'corp',
          provider: 'demo' as const,
          localGroups: [],
          ...DEFAULT_SYNC_SETTINGS,
          demo: { seed: 'x', users: 1, groups: 1 },
        },
      ],
      applications: [
        {
          name: 'jira',
          passwordHash: await hashPassword(APP_PASSWORD),
          allowedAddresses: [parseCidr('127.0.0.1/32')],
          directories: ['corp'],
        },
      ],
      trustedProxies: [],
    };
    server = await startServer({
      config,
      store: faulty,
      schema: await buildCrowdgateSchema(),
      logger,
    });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const key of Object.keys(faults)) delete faults[key as keyof Store];
    lines.length = 0;
  });

  const basic = `Basic ${Buffer.from(`jira:${APP_PASSWORD}`).toString('base64')}`;
  const get = (path: string) =>
    fetch(`${server.url}/rest/usermanagement/1${path}`, { headers: { authorization: basic } });
  const errorLines = () => lines.filter((l) => l.level === 'error');

  async function expectLogged500(
    path: string,
    messageInLog: RegExp,
    answerMessage = /^Internal error \(correlation id ([0-9a-f-]{36})\)$/,
  ) {
    const response = await get(path);
    const error = strictDocument(await response.text(), 'error');
    expect([path, response.status, text(error, 'reason')]).toEqual([path, 500, 'OPERATION_FAILED']);
    expect(response.headers.get('x-embedded-crowd-version')).toMatch(/^Crowd\//);
    const id = answerMessage.exec(text(error, 'message')!)?.[1];
    expect(id).toBeDefined();
    // The correlation id is the request's id, echoed in X-Request-Id.
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(errorLines()).toContainEqual(
      expect.objectContaining({ correlationId: id, error: expect.stringMatching(messageInLog) }),
    );
    lines.length = 0;
  }

  test('a store failure inside a GraphQL operation: interpreted (search) and compiled (user) operations', async () => {
    faults.searchUsers = () => {
      throw new Error('disk I/O error');
    };
    await expectLogged500('/search?entity-type=user', /disk I\/O error/);
    faults.findUsersByName = () => Promise.reject(new Error('database disk image is malformed'));
    await expectLogged500('/user?username=user001', /database disk image is malformed/);
    faults.findUsersByName = () => Promise.reject(new DirectoryError('INTERNAL', 'store invariant broken'));
    await expectLogged500('/user?username=user001', /store invariant broken/);
  });

  test('a 500 of another kind keeps its message and adds the correlation id', async () => {
    faults.searchGroups = () =>
      Promise.reject(new DirectoryError('PROVIDER_UNAVAILABLE', 'the identity provider is unreachable'));
    await expectLogged500(
      '/search?entity-type=group',
      /identity provider is unreachable/,
      /^the identity provider is unreachable \(correlation id ([0-9a-f-]{36})\)$/,
    );
  });

  test('a failure after the first streamed page cuts the answer and is logged with a correlation id', async () => {
    const searchUsers = store.searchUsers.bind(store);
    faults.searchUsers = ((query: Parameters<Store['searchUsers']>[0]) => {
      if (query.afterName !== undefined) throw new Error('disk vanished while streaming');
      return searchUsers(query);
    }) as (...args: never[]) => unknown;
    const response = await get('/search?entity-type=user&max-results=-1');
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    // The log line is written as the stream fails, which may be just after the client saw the cut.
    for (let i = 0; i < 50 && errorLines().length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errorLines()).toContainEqual(
      expect.objectContaining({
        correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        error: expect.stringMatching(/disk vanished while streaming/),
      }),
    );
  });

  test("a request id sent by a proxy is the answer's X-Request-Id and the 500's correlation id; a malformed one is replaced", async () => {
    faults.searchUsers = () => {
      throw new Error('disk I/O error');
    };
    const sent = 'proxy-trace-0123456789';
    const traced = await fetch(`${server.url}/rest/usermanagement/1/search?entity-type=user`, {
      headers: { authorization: basic, 'x-request-id': sent },
    });
    expect(traced.headers.get('x-request-id')).toBe(sent);
    expect(text(strictDocument(await traced.text(), 'error'), 'message')).toBe(
      `Internal error (correlation id ${sent})`,
    );
    expect(errorLines()).toContainEqual(expect.objectContaining({ correlationId: sent }));
    const forged = await fetch(`${server.url}/rest/usermanagement/1/search?entity-type=user`, {
      headers: { authorization: basic, 'x-request-id': 'bad id, with spaces' },
    });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await forged.text();
  });

  test('still serving', async () => {
    const response = await get('/user?username=user001');
    expect(child(strictDocument(await response.text(), 'user'), 'active')).toBeDefined();
  });
});
