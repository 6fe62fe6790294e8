/**
 * Crowd REST cases: every route of facades/crowd/router.ts (and the write routes a read-only
 * bridge refuses), with random and hostile parameters, headers, methods, path segments and
 * bodies; and byte-level mutations of such requests.
 */
import { doorOf, single, type Door, type FuzzCase } from './case';
import { anyBody, factorsBody, passwordBody, searchBody, sessionBody, type Body } from './crowd-bodies';
import type { Rng } from './rng';
import {
  BAD_PERCENT,
  encode,
  longText,
  mutateBytes,
  name,
  numberText,
  queryValue,
  text,
  type Vocabulary,
} from './values';
import { encodeRequest, type HttpRequestSpec, type WireTarget } from './wire';

type Param =
  | 'username'
  | 'key'
  | 'groupname'
  | 'child-groupname'
  | 'expand'
  | 'entity-type'
  | 'restriction'
  | 'start-index'
  | 'max-results'
  | 'validate-password'
  | 'duration'
  | 'exclude'
  | 'attributename';
type BodyMaker = (rng: Rng, vocab: Vocabulary) => Body;

interface Route {
  readonly method: string;
  /** `{token}` is replaced by a session or event token. */
  readonly path: string;
  readonly params: readonly Param[];
  readonly body?: BodyMaker;
}

const LIST: Param[] = ['start-index', 'max-results', 'expand'];

/** The routes of facades/crowd/router.ts, then writes (403) and unknown resources (404). */
export const CROWD_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/user', params: ['username', 'key', 'expand'] },
  { method: 'GET', path: '/user/attribute', params: ['username'] },
  { method: 'GET', path: '/group', params: ['groupname', 'expand'] },
  { method: 'GET', path: '/group/attribute', params: ['groupname'] },
  { method: 'GET', path: '/search', params: ['entity-type', 'restriction', ...LIST] },
  { method: 'POST', path: '/search', params: ['entity-type', ...LIST], body: searchBody },
  { method: 'GET', path: '/user/group/direct', params: ['username', 'groupname', ...LIST] },
  { method: 'GET', path: '/user/group/nested', params: ['username', 'groupname', ...LIST] },
  { method: 'GET', path: '/group/user/direct', params: ['groupname', 'username', ...LIST] },
  { method: 'GET', path: '/group/user/nested', params: ['groupname', 'username', ...LIST] },
  { method: 'GET', path: '/group/child-group/direct', params: ['groupname', 'child-groupname', ...LIST] },
  { method: 'GET', path: '/group/child-group/nested', params: ['groupname', 'child-groupname', ...LIST] },
  { method: 'GET', path: '/group/parent-group/direct', params: ['groupname', 'child-groupname', ...LIST] },
  { method: 'GET', path: '/group/parent-group/nested', params: ['groupname', 'child-groupname', ...LIST] },
  { method: 'GET', path: '/group/membership', params: [] },
  { method: 'POST', path: '/authentication', params: ['username', 'expand'], body: passwordBody },
  { method: 'POST', path: '/authentication/notify', params: ['username', 'expand'], body: passwordBody },
  { method: 'POST', path: '/session', params: ['validate-password', 'duration', 'expand'], body: sessionBody },
  { method: 'DELETE', path: '/session', params: ['username', 'exclude'] },
  { method: 'GET', path: '/session/{token}', params: ['expand'] },
  { method: 'POST', path: '/session/{token}', params: ['expand', 'duration'], body: (rng) => factorsBody(rng) },
  { method: 'DELETE', path: '/session/{token}', params: [] },
  { method: 'GET', path: '/config/cookie', params: [] },
  { method: 'GET', path: '/event', params: [] },
  { method: 'GET', path: '/event/{token}', params: [] },
  // Writes: 403 APPLICATION_PERMISSION_DENIED on a read-only bridge.
  { method: 'POST', path: '/user', params: [], body: anyBody },
  { method: 'PUT', path: '/user', params: ['username'], body: anyBody },
  { method: 'DELETE', path: '/user', params: ['username'] },
  { method: 'PUT', path: '/user/password', params: ['username'], body: passwordBody },
  { method: 'POST', path: '/user/rename', params: ['username'], body: anyBody },
  { method: 'POST', path: '/user/attribute', params: ['username'], body: anyBody },
  { method: 'DELETE', path: '/user/attribute', params: ['username', 'attributename'] },
  { method: 'POST', path: '/group', params: [], body: anyBody },
  { method: 'POST', path: '/group/user/direct', params: ['groupname'], body: anyBody },
  { method: 'DELETE', path: '/group/user/direct', params: ['groupname', 'username'] },
  { method: 'POST', path: '/user/mail/password', params: ['username'] },
  // Unknown: 404.
  { method: 'GET', path: '/webhook', params: [] },
  { method: 'GET', path: '/group/membership/x', params: [] },
];

/** The first entries of CROWD_ROUTES are the routes of the router (reads, logins, sessions, events). */
const READ_ROUTES = 25;

const EXPANDS = [
  'user',
  'group',
  'attributes',
  'user,attributes',
  'group,attributes',
  'USER',
  'user,,',
  ',',
  'attributes,user,group,attributes',
  'nope',
];
const ENTITY_TYPES = ['user', 'group', 'USER', 'Group', 'membership', '', 'user,group'];
const CQL_TERMS = [
  'name',
  'email',
  'firstName',
  'lastName',
  'displayName',
  'active',
  'createdDate',
  'updatedDate',
  'description',
  'key',
  'unknown',
];
const CQL_OPS = ['=', '!=', '<', '>', '<=', '>=', '~', '==', ' in ', ''];

/** CQL for `GET /search?restriction=`: valid, broken, deep, long. */
export function cql(rng: Rng, vocab: Vocabulary, depth = rng.range(0, 3)): string {
  return rng.weighted<string>([
    [
      5,
      () => {
        const term = rng.pick(CQL_TERMS);
        const value = rng.weighted<string>([
          [3, () => `"${name(rng, vocab.users).replace(/"/g, '\\"')}"`],
          [2, () => `${rng.pick(vocab.users.length ? vocab.users : ['a']).slice(0, 3)}*`],
          [
            1,
            () =>
              rng.pick([
                'true',
                'false',
                '2010-12-08',
                '"2010-12-08T16:11:21.181+1100"',
                '*',
                '""',
                '"',
                '\\',
                'a b',
                '(x)',
              ]),
          ],
          [1, () => text(rng, 16)],
        ]);
        return `${term} ${rng.pick(CQL_OPS)} ${value}`;
      },
    ],
    [
      depth > 0 ? 3 : 0,
      () =>
        rng
          .times(rng.range(2, 4), () => cql(rng, vocab, depth - 1))
          .join(rng.pick([' and ', ' or ', ' AND ', ' Or ', ' && ', ' ']))
          .replace(/^/, rng.chance(0.5) ? '(' : '')
          .replace(/$/, rng.chance(0.45) ? ')' : ''),
    ],
    [
      1,
      () => {
        const n = rng.logRange(10, 20_000);
        return rng.chance(0.5)
          ? `${'('.repeat(n)}name = "a"${')'.repeat(rng.chance(0.7) ? n : rng.int(n))}`
          : Array.from({ length: Math.min(n, 3000) }, () => 'name = a').join(' or ');
      },
    ],
    [1, () => text(rng, 40)],
    [1, () => `name = "${longText(rng, 1000, 30_000)}"`],
  ]);
}

function paramValue(rng: Rng, vocab: Vocabulary, param: Param): string {
  switch (param) {
    case 'username':
    case 'exclude':
      return name(rng, vocab.users);
    case 'key':
      return rng.chance(0.6) && vocab.keys.length
        ? rng.pick(vocab.keys)
        : rng.pick(['1:x', '0:', ':', '999999999999:abc', '-1:a', '1', 'a:b:c', text(rng, 20)]);
    case 'groupname':
    case 'child-groupname':
      return name(rng, vocab.groups);
    case 'expand':
      return rng.pick(EXPANDS);
    case 'entity-type':
      return rng.pick(ENTITY_TYPES);
    case 'restriction':
      return cql(rng, vocab);
    case 'start-index':
    case 'max-results':
    case 'duration':
      return numberText(rng);
    case 'validate-password':
      return rng.pick(['true', 'false', 'FALSE', '', 'no', '0']);
    case 'attributename':
      return rng.pick(['department', 'login', '__proto__', text(rng, 12)]);
  }
}

/** The query string of a route: its parameters (some left out, some repeated), plus strays. */
function queryString(rng: Rng, vocab: Vocabulary, params: readonly Param[]): string {
  const pairs: string[] = [];
  for (const param of params) {
    if (!rng.chance(0.8)) continue;
    const times = rng.chance(0.05) ? rng.range(2, 4) : 1;
    for (let i = 0; i < times; i++) pairs.push(`${param}=${queryValue(rng, paramValue(rng, vocab, param))}`);
  }
  if (rng.chance(0.1))
    pairs.push(
      rng.pick([
        '__proto__=x',
        'constructor=1',
        'constructor[prototype][x]=1',
        'a[]=1',
        '=',
        '&',
        'username',
        '=x',
        `${rng.pick(BAD_PERCENT)}=1`,
        'x=%',
        'max-results',
      ]),
    );
  if (rng.chance(0.04)) pairs.push(`pad=${'a'.repeat(rng.logRange(1000, 40_000))}`);
  if (rng.chance(0.01)) pairs.push(`pad=${'b'.repeat(rng.range(66_000, 90_000))}`); // over the 64 KiB header limit: 431
  const joined = rng.chance(0.95) ? pairs.join('&') : pairs.join(rng.pick([';', '&&', '&amp;']));
  return joined === '' ? (rng.chance(0.1) ? '?' : '') : `?${joined}`;
}

const SEGMENTS = [
  '__proto__',
  'constructor',
  'prototype',
  '%00',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  '',
  ' ',
  '%20',
  'x%',
  ';a=b',
  'toString',
  '..%2f..%2fgraphql',
  '%C0%AE%C0%AE',
  '😀',
  '%F0%9F%98%80',
];

function token(rng: Rng, vocab: Vocabulary): string {
  return rng.weighted<string>([
    [3, () => vocab.eventToken],
    [
      2,
      () =>
        `${vocab.eventToken.split('.')[0]}.${rng.pick(['0', '-1', '9007199254740993', '99999999999999999999', 'NaN', '1.5', '', '00001'])}`,
    ],
    [2, () => encode(rng, text(rng, 30))],
    [1, () => rng.pick(SEGMENTS)],
    [1, () => 'a'.repeat(rng.logRange(100, 30_000))],
    [1, () => rng.pick(BAD_PERCENT)],
  ]);
}

const ACCEPTS = [
  'application/xml',
  'application/json',
  '*/*',
  'text/html',
  'application/json, */*',
  'application/json;q=0, application/xml',
  'application/xml;q=0.5, application/json',
  'application/json;q=abc',
  ';;;',
  ',',
  'application/*',
  'text/plain',
  'application/json; charset=utf-16',
  'application/json;q=1.0;q=0',
  'image/png',
  'application/xml;q=0.9, application/json;q=0.9',
  'application/json;q=1e3',
  `${'application/json;q=0.1, '.repeat(500)}*/*`,
];
const CONTENT_TYPES = [
  'application/xml',
  'application/json',
  'text/xml',
  'application/xml; charset=UTF-8',
  'application/json;charset=utf-8',
  'application/xml; charset=ISO-8859-1',
  'application/json; charset=utf-16',
  'application/xml; charset=UTF-16LE',
  'text/xml; charset="windows-1252"',
  'application/json; charset=nonsense',
  'application/json; charset=',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/JSON',
  'application/json ; foo=bar',
  'application/xml;;',
  '',
  '*/*',
];

/** Authorization headers: mostly the right application, sometimes anything but. */
export function crowdAuthorization(rng: Rng, vocab: Vocabulary): string | undefined {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const good = `Basic ${b64(`${vocab.application.name}:${vocab.application.password}`)}`;
  return rng.weighted<string | undefined>([
    [40, () => good],
    [2, () => `basic ${b64(`${vocab.application.name.toUpperCase()}:${vocab.application.password}`)}`],
    [2, () => `Basic ${b64(`${vocab.application.name}:${text(rng, 10)}`)}`],
    [1, () => `Basic ${b64(`${text(rng, 10)}:${vocab.application.password}`)}`],
    [1, () => undefined],
    [
      1,
      () =>
        rng.pick([
          '',
          'Basic',
          'Basic ',
          'Basic ====',
          'Basic !!!',
          `Basic ${b64('nocolon')}`,
          `Bearer ${vocab.adminToken}`,
          'Digest x',
          `Basic ${b64(':')}`,
          `Basic  ${b64('a:b')} extra`,
        ]),
    ],
    [1, () => `Basic ${'A'.repeat(rng.logRange(100, 20_000))}`],
    [1, () => `Basic ${b64(`${vocab.application.name}:${vocab.application.password}`)}\u00ff`],
  ]);
}

/** Extra headers now and then: forwarded addresses, odd connection handling, encodings. */
function extraHeaders(rng: Rng): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  if (rng.chance(0.05))
    headers.push([
      'X-Forwarded-For',
      rng.pick([
        '10.0.0.1',
        '127.0.0.1',
        '::1',
        'garbage',
        '1.2.3.4, 5.6.7.8',
        `${'10.0.0.1, '.repeat(500)}10.0.0.2`,
        '',
      ]),
    ]);
  if (rng.chance(0.02)) headers.push(['Expect', rng.pick(['100-continue', 'nonsense'])]);
  if (rng.chance(0.02)) headers.push(['Content-Encoding', rng.pick(['gzip', 'deflate', 'br', 'identity', 'x'])]);
  if (rng.chance(0.01)) headers.push(['Upgrade', 'websocket']);
  if (rng.chance(0.01)) headers.push(['X-Long', 'v'.repeat(rng.logRange(1000, 50_000))]);
  if (rng.chance(0.01)) headers.push(['X-Bytes', '\u00ff\u00fe\u0080 latin1']);
  return headers;
}

export interface CrowdContext {
  readonly target: WireTarget;
  readonly vocab: Vocabulary;
  /** Mount points, e.g. `/rest/usermanagement/1` and `/rest/usermanagement/latest`. */
  readonly mounts: readonly string[];
}

/** A request to a Crowd route, generated. */
export function crowdRequest(
  rng: Rng,
  ctx: CrowdContext,
): { request: HttpRequestSpec; label: string; oversized: boolean } {
  // Mostly the routes Jira reads (deeper code), now and then a write or an unknown resource.
  const route = rng.chance(0.85) ? rng.pick(CROWD_ROUTES.slice(0, READ_ROUTES)) : rng.pick(CROWD_ROUTES);
  const base = rng.pick(ctx.mounts);
  let path = route.path.replace('{token}', () => token(rng, ctx.vocab));
  if (rng.chance(0.06))
    path = rng.chance(0.5) ? `${path}/${rng.pick(SEGMENTS)}` : path.replace(/\/[^/]*$/, `/${rng.pick(SEGMENTS)}`);
  if (rng.chance(0.02)) path = `${path}/`;
  if (rng.chance(0.01)) path = path.toUpperCase();
  const method = rng.chance(0.92)
    ? route.method
    : rng.pick(['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL']);
  const body =
    route.body && method !== 'GET' && rng.chance(0.95)
      ? route.body(rng, ctx.vocab)
      : rng.chance(0.03)
        ? anyBody(rng, ctx.vocab)
        : undefined;
  const headers: Array<[string, string]> = [];
  const auth = crowdAuthorization(rng, ctx.vocab);
  if (auth !== undefined) headers.push(['Authorization', auth]);
  if (rng.chance(0.7))
    headers.push(['Accept', rng.chance(0.7) ? rng.pick(['application/xml', 'application/json']) : rng.pick(ACCEPTS)]);
  if (body) {
    const contentType = rng.chance(0.8)
      ? body.kind === 'xml'
        ? rng.pick(['application/xml', 'application/xml; charset=UTF-8', 'text/xml'])
        : 'application/json'
      : rng.pick(CONTENT_TYPES);
    if (contentType !== '' || rng.chance(0.5)) headers.push(['Content-Type', contentType]);
  }
  headers.push(...extraHeaders(rng));
  headers.push(['Connection', 'close']);
  const request: HttpRequestSpec = {
    method,
    target: `${base}${path}${queryString(rng, ctx.vocab, route.params)}`,
    headers,
    body: body?.bytes ?? Buffer.alloc(0),
    ...(body && rng.chance(0.05) ? { chunked: true } : {}),
  };
  return {
    request,
    label: `${method} ${route.path}${body ? ` (${body.kind} body, ${body.bytes.length} bytes)` : ''}`,
    oversized: body?.oversized ?? false,
  };
}

/** A generated Crowd request: well framed, so it must be answered. */
export function crowdCase(rng: Rng, ctx: CrowdContext, base: { seed: number; index: number }): FuzzCase {
  const { request, label, oversized } = crowdRequest(rng, ctx);
  return single(
    ctx.target,
    { ...base, door: 'crowd', generator: 'crowd/route', label },
    request,
    oversized ? { oversized } : {},
  );
}

/** A generated Crowd request with its bytes mutated (head or body): framing may be gone. */
export function mutatedCrowdCase(rng: Rng, ctx: CrowdContext, base: { seed: number; index: number }): FuzzCase {
  const { request, label } = crowdRequest(rng, ctx);
  const bytes = encodeRequest(ctx.target, request);
  const headEnd = bytes.indexOf('\r\n\r\n');
  // Mostly the head: the request line and headers are where a parser is most often wrong.
  const mutated =
    rng.chance(0.6) && headEnd > 0
      ? Buffer.concat([mutateBytes(rng, bytes.subarray(0, headEnd)), bytes.subarray(headEnd)])
      : headEnd > 0 && headEnd + 4 < bytes.length
        ? Buffer.concat([bytes.subarray(0, headEnd + 4), mutateBytes(rng, bytes.subarray(headEnd + 4))])
        : mutateBytes(rng, bytes);
  return {
    ...base,
    door: doorOfBytes(mutated, ctx.mounts),
    generator: 'crowd/mutated',
    label: `mutated ${label}`,
    request,
    bytes: mutated,
    methods: [request.method],
  };
}

/** The door of the request line in `bytes` (as node would read it), or `raw` when there is none. */
export function doorOfBytes(bytes: Buffer, mounts: readonly string[]): Door {
  const line = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/.exec(
    bytes.subarray(0, Math.min(bytes.length, 100_000)).toString('latin1'),
  );
  return line ? doorOf(line[2]!, mounts) : 'raw';
}

/** A very long but valid-looking query on a lookup route (up to ~40 KB, under the 64 KiB header limit). */
export function longQueryCrowdCase(rng: Rng, ctx: CrowdContext, base: { seed: number; index: number }): FuzzCase {
  const size = rng.logRange(2_000, 40_000);
  const route = rng.pick([
    '/user?username=',
    '/group?groupname=',
    '/search?entity-type=user&restriction=',
    '/user/group/nested?username=',
  ]);
  const value = rng.chance(0.5) ? encode(rng, longText(rng, size / 3, size / 3)) : 'x'.repeat(size);
  const auth = crowdAuthorization(rng, ctx.vocab);
  const request: HttpRequestSpec = {
    method: 'GET',
    target: `${rng.pick(ctx.mounts)}${route}${value}`,
    headers: [...(auth ? ([['Authorization', auth]] as Array<[string, string]>) : []), ['Connection', 'close']],
    body: Buffer.alloc(0),
  };
  return single(
    ctx.target,
    {
      ...base,
      door: 'crowd',
      generator: 'crowd/long-query',
      label: `GET ${route.split('?')[0]} with a ${request.target.length}-byte target`,
    },
    request,
  );
}
