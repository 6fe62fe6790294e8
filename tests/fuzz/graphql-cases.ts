/**
 * GraphQL cases: documents generated from schema/schema.graphql (random fields, arguments,
 * filters, aliases, fragments, variables), documents far over the limits (deep nesting, alias
 * floods, cost bombs, deep input, fragment bombs, token floods: these must be refused with
 * BAD_USER_INPUT), and broken requests (malformed or huge JSON, wrong tokens, GET with query
 * strings, IDE asset paths).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { packageRoot } from '../../src/paths';
import { single, type FuzzCase } from './case';
import type { Rng } from './rng';
import {
  BAD_PERCENT,
  BAD_UTF8,
  encode,
  JSON_NUMBERS,
  longText,
  mutateBytes,
  name,
  text,
  type Vocabulary,
} from './values';
import type { HttpRequestSpec, WireTarget } from './wire';

let cachedSchema: GraphQLSchema | undefined;

/** The checked-in schema, parsed once. */
export function fuzzSchema(): GraphQLSchema {
  cachedSchema ??= buildSchema(readFileSync(join(packageRoot(), 'schema', 'schema.graphql'), 'utf8'));
  return cachedSchema;
}

/** Fields that are slow or change state: picked rarely (a sync run, a connection test, a password check, a directory or its preview). */
const RARE_FIELDS = new Set([
  'syncDirectory',
  'approveSync',
  'dropSync',
  'testConnection',
  'authenticateUser',
  'createDirectory',
  'updateDirectory',
  'testDirectorySettings',
  'previewDirectory',
]);

interface Doc {
  variables: Map<string, { type: string; value: unknown }>;
}

function stringFor(rng: Rng, vocab: Vocabulary, argName: string): string {
  switch (argName) {
    case 'name':
      return rng.chance(0.5) ? name(rng, vocab.users) : name(rng, vocab.groups);
    case 'key':
      return rng.chance(0.7) && vocab.keys.length ? rng.pick(vocab.keys) : text(rng, 20);
    case 'directory':
      return rng.chance(0.8) && vocab.directories.length ? rng.pick(vocab.directories) : text(rng, 10);
    case 'since':
      return rng.chance(0.6)
        ? vocab.eventToken
        : rng.pick(['', '0', `${vocab.eventToken.split('.')[0]}.99999999999999999999`, text(rng, 20)]);
    case 'after':
      return rng.pick([
        '',
        'bm9wZQ==',
        Buffer.from(`${rng.pick(vocab.users.length ? vocab.users : ['a'])}`).toString('base64'),
        text(rng, 30),
        '__proto__',
      ]);
    case 'password':
      return rng.chance(0.6) ? vocab.userPassword : text(rng, 10);
    default:
      return rng.weighted<string>([
        [4, () => (vocab.users.length ? rng.pick(vocab.users).slice(0, rng.range(1, 4)) : 'a')],
        [3, () => text(rng, 20)],
        [1, () => longText(rng, 1000, 200_000)],
      ]);
  }
}

/** A value for an input type, as a JS value (sent as a variable) — occasionally of the wrong type. */
function inputValue(rng: Rng, vocab: Vocabulary, type: GraphQLInputType, argName: string, depth: number): unknown {
  if (rng.chance(0.02)) return rng.pick<unknown>([null, 'x', 1.5, true, [], {}, 2 ** 31]);
  if (isNonNullType(type)) return inputValue(rng, vocab, type.ofType, argName, depth);
  if (isListType(type)) return rng.times(rng.range(0, 3), () => inputValue(rng, vocab, type.ofType, argName, depth));
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    const fields = Object.values(type.getFields());
    for (const field of fields) {
      const nested = field.name === 'and' || field.name === 'or';
      if (nested && depth <= 0) continue;
      if (isNonNullType(field.type) || rng.chance(nested ? 0.25 : 0.2))
        out[field.name] = inputValue(rng, vocab, field.type, field.name, depth - 1);
    }
    return out;
  }
  if (isEnumType(type)) return rng.pick(type.getValues()).name;
  switch (getNamedType(type).name) {
    case 'Int':
      return argName === 'first' || argName === 'offset'
        ? rng.chance(0.85)
          ? rng.range(0, argName === 'first' ? 50 : 400)
          : rng.pick(JSON_NUMBERS)
        : rng.chance(0.7)
          ? rng.range(-1, 100)
          : rng.pick(JSON_NUMBERS);
    case 'Boolean':
      return rng.chance(0.5);
    case 'DateTimeISO':
      return rng.pick([
        '2024-01-01T00:00:00Z',
        '1970-01-01T00:00:00.000Z',
        '2024-02-30T00:00:00Z',
        '9999-12-31T23:59:59Z',
        'yesterday',
        '',
        '2024-01-01',
      ]);
    default:
      return stringFor(rng, vocab, argName);
  }
}

/** A GraphQL literal for a JS value (strings as JSON strings; object keys bare). */
function literal(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}

function typeString(type: GraphQLInputType): string {
  return String(type);
}

/** A selection set on `type`, `depth` levels deep at most. */
function selection(rng: Rng, vocab: Vocabulary, doc: Doc, type: GraphQLObjectType, depth: number): string {
  const all = Object.values(type.getFields());
  const common = all.filter((f) => !RARE_FIELDS.has(f.name) || rng.chance(0.01));
  const fields = common.length > 0 ? common : all; // the Mutation type holds rare fields only
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
  const pool = depth > 0 ? fields : leaves;
  const chosen = rng.times(rng.range(1, Math.min(4, pool.length)), () => rng.pick(pool.length ? pool : fields));
  const parts: string[] = [];
  for (const field of chosen) {
    const alias = rng.chance(0.1) ? `a${rng.int(1000)}: ` : '';
    const args: string[] = [];
    for (const arg of field.args) {
      if (!isNonNullType(arg.type) && !rng.chance(0.5)) continue;
      if (isNonNullType(arg.type) && arg.defaultValue === undefined && rng.chance(0.02)) continue; // a required argument left out
      const value = inputValue(rng, vocab, arg.type, arg.name, rng.range(0, 3));
      if (rng.chance(0.3)) {
        const variable = `v${doc.variables.size}`;
        const declared = rng.chance(0.95)
          ? typeString(arg.type)
          : rng.pick(['Int', 'String!', '[String]', 'Boolean', 'UserFilterInput', 'Nope']);
        doc.variables.set(variable, {
          type: declared,
          value: rng.chance(0.9) ? value : rng.pick<unknown>([null, 'x', 7, [1], { a: 1 }]),
        });
        args.push(`${arg.name}: $${variable}`);
      } else {
        args.push(`${arg.name}: ${literal(value)}`);
      }
    }
    const named = getNamedType(field.type);
    const sub = isObjectType(named) ? ` { ${selection(rng, vocab, doc, named, depth - 1)} }` : '';
    parts.push(`${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}${sub}`);
  }
  if (rng.chance(0.1)) parts.push('__typename');
  return parts.join(' ');
}

/** A document built from the schema, with variables; sometimes as a fragment, sometimes with directives. */
export function generatedDocument(
  rng: Rng,
  vocab: Vocabulary,
): { query: string; variables: Record<string, unknown>; operationName?: string } {
  const schema = fuzzSchema();
  const doc: Doc = { variables: new Map() };
  const mutation = rng.chance(0.03);
  const root = mutation ? schema.getMutationType()! : schema.getQueryType()!;
  let body = selection(rng, vocab, doc, root, rng.range(1, 5));
  let fragments = '';
  if (!mutation && rng.chance(0.1)) {
    fragments = ` fragment F on Query { ${body} }`;
    body = rng.chance(0.8) ? '...F' : '...F ...F ...Missing';
  }
  if (rng.chance(0.05)) body = `${body} __typename @skip(if: ${rng.pick(['true', 'false', '$nope', '1'])})`;
  const operationName = rng.chance(0.2) ? `Op${rng.int(10)}` : undefined;
  const declarations = [...doc.variables].map(([n, v]) => `$${n}: ${v.type}`).join(', ');
  const query = `${mutation ? 'mutation' : 'query'}${operationName ? ` ${operationName}` : rng.chance(0.2) ? '' : ' Q'}${declarations ? `(${declarations})` : ''} { ${body} }${fragments}`;
  const variables = Object.fromEntries([...doc.variables].map(([n, v]) => [n, v.value]));
  return { query, variables, ...(operationName && rng.chance(0.9) ? { operationName } : {}) };
}

/** Documents far over the default limits: each must be refused with BAD_USER_INPUT before it runs. */
export function overLimitDocument(rng: Rng, vocab: Vocabulary): { query: string; label: string } {
  const user = vocab.users.length ? rng.pick(vocab.users) : 'a';
  return rng.weighted<{ query: string; label: string }>([
    [
      2,
      () => {
        const hops = rng.range(8, 150);
        return {
          query: `{ user(name: ${JSON.stringify(user)}) { ${'groups { nodes { users { nodes { '.repeat(hops)}name${' } } } }'.repeat(hops)} } }`,
          label: `selection depth ${hops * 4 + 1}`,
        };
      },
    ],
    [
      2,
      () => {
        const n = rng.logRange(400, 12_000);
        return {
          query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: users(first: 1000) { nodes { name } }`).join(' ')} }`,
          label: `${n} aliases of users(first: 1000)`,
        };
      },
    ],
    [
      2,
      () => {
        const usersFirst =
          '{ users(first: 1000) { nodes { groups(first: 1000) { nodes { users(first: 1000, nested: true) { nodes { name } } } } } } }';
        const inner = 'users(first: 1000, nested: true) { nodes { groups(first: 1000) { nodes { name } } } }';
        const via = rng.pick(['', 'childGroups(first: 1000, nested: true)', 'parentGroups(first: 1000, nested: true)']);
        const groupsFirst = `{ groups(first: 1000) { nodes { ${via ? `${via} { nodes { ${inner} } }` : inner} } } }`;
        return { query: rng.chance(0.5) ? usersFirst : groupsFirst, label: 'cost bomb (1000 × 1000 × 1000)' };
      },
    ],
    [
      2,
      () => {
        const depth = rng.logRange(45, 3_000);
        const filter = `${'{ or: [{ name: { startsWith: "a" } }, '.repeat(depth)}{ active: true }${'] }'.repeat(depth)}`;
        return {
          query: `{ users(first: 5, filter: ${filter}) { nodes { name } } }`,
          label: `filter and/or depth ${depth}`,
        };
      },
    ],
    [
      1,
      () => {
        const levels = rng.range(12, 40);
        const defs = [`fragment F0 on Query { users(first: 10) { nodes { name } } }`];
        for (let i = 1; i <= levels; i++) defs.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
        return { query: `{ ...F${levels} } ${defs.join(' ')}`, label: `fragment bomb 2^${levels}` };
      },
    ],
    [
      1,
      () => {
        const n = rng.range(26_000, 60_000);
        return { query: `{ ${'__typename '.repeat(n)}}`, label: `${n} __typename selections` };
      },
    ],
    [
      1,
      () => {
        const n = rng.range(2_000, 12_000);
        return {
          query: `{ ${Array.from({ length: n }, (_, i) => `g${i}: group(name: "x") { name }`).join(' ')} }`,
          label: `${n} aliases of group`,
        };
      },
    ],
  ]);
}

/** Administrator Authorization: mostly right, sometimes wrong or absent. */
function adminAuthorization(rng: Rng, vocab: Vocabulary): string | undefined {
  return rng.weighted<string | undefined>([
    [40, () => `Bearer ${vocab.adminToken}`],
    [2, () => `bearer ${vocab.adminToken}`],
    [2, () => `Bearer ${text(rng, 20).replace(/\s/g, 'x')}`],
    [1, () => undefined],
    [
      1,
      () =>
        rng.pick([
          '',
          'Bearer',
          'Bearer ',
          `Basic ${Buffer.from(`demo:${vocab.adminToken}`).toString('base64')}`,
          `Bearer ${vocab.adminToken} extra`,
          `Bearer ${vocab.adminToken}\u00ff`,
          `Bearer ${'x'.repeat(30_000)}`,
        ]),
    ],
  ]);
}

export interface GraphQLContext {
  readonly target: WireTarget;
  readonly vocab: Vocabulary;
}

function request(
  rng: Rng,
  ctx: GraphQLContext,
  method: string,
  target: string,
  body: Buffer,
  contentType: string | undefined,
  extra: Array<[string, string]> = [],
): HttpRequestSpec {
  const headers: Array<[string, string]> = [];
  const auth = adminAuthorization(rng, ctx.vocab);
  if (auth !== undefined) headers.push(['Authorization', auth]);
  if (contentType !== undefined) headers.push(['Content-Type', contentType]);
  if (rng.chance(0.2))
    headers.push([
      'Accept',
      rng.pick([
        'application/json',
        'application/graphql-response+json',
        'text/html',
        '*/*',
        'multipart/mixed; deferSpec=20220824',
        'text/event-stream',
        ';;',
        'application/json;q=0',
      ]),
    ]);
  headers.push(...extra, ['Connection', 'close']);
  return { method, target, headers, body, ...(body.length > 0 && rng.chance(0.03) ? { chunked: true } : {}) };
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/graphql-response+json',
  'text/plain',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/json; charset=latin1',
];

/** A GraphQL case: a generated document, over a POST or a GET, with a body broken now and then. */
export function graphqlCase(rng: Rng, ctx: GraphQLContext, base: { seed: number; index: number }): FuzzCase {
  const meta = { ...base, door: 'graphql' as const };
  return rng.weighted<FuzzCase>([
    // POST JSON of a generated document.
    [
      60,
      () => {
        const doc = generatedDocument(rng, ctx.vocab);
        const body = Buffer.from(
          JSON.stringify({
            query: doc.query,
            ...(Object.keys(doc.variables).length || rng.chance(0.2) ? { variables: doc.variables } : {}),
            ...(doc.operationName ? { operationName: doc.operationName } : {}),
          }),
          'utf8',
        );
        const contentType = rng.chance(0.93) ? 'application/json' : rng.pick(JSON_TYPES);
        return single(
          ctx.target,
          { ...meta, generator: 'graphql/document', label: `POST ${doc.query.slice(0, 100)}` },
          request(rng, ctx, 'POST', '/graphql', body, contentType),
        );
      },
    ],
    // Over the limits: must be BAD_USER_INPUT (only with the right token; else 401 first).
    [
      12,
      () => {
        const { query, label } = overLimitDocument(rng, ctx.vocab);
        const body = Buffer.from(JSON.stringify({ query }), 'utf8');
        const spec = request(rng, ctx, 'POST', '/graphql', body, 'application/json');
        const authorised = spec.headers.some(
          ([n, v]) => n === 'Authorization' && v === `Bearer ${ctx.vocab.adminToken}`,
        );
        return single(ctx.target, { ...meta, generator: 'graphql/over-limit', label }, spec, {
          mustBeLimited: authorised && !spec.chunked,
          oversized: body.length > 1024 * 1024,
        });
      },
    ],
    // GET with a query string.
    [
      8,
      () => {
        const doc = generatedDocument(rng, ctx.vocab);
        const params = [`query=${encode(rng, doc.query)}`];
        if (rng.chance(0.5))
          params.push(
            `variables=${rng.chance(0.9) ? encode(rng, JSON.stringify(doc.variables)) : rng.pick(['{', '%7B%22a%22', 'null', '[]', '5', rng.pick(BAD_PERCENT)])}`,
          );
        if (doc.operationName) params.push(`operationName=${doc.operationName}`);
        if (rng.chance(0.1))
          params.push(
            rng.pick(['extensions={"persistedQuery":{"version":1,"sha256Hash":"abc"}}', 'query=again', '__proto__=1']),
          );
        const extra: Array<[string, string]> = rng.chance(0.7) ? [['apollo-require-preflight', 'true']] : [];
        return single(
          ctx.target,
          { ...meta, generator: 'graphql/get', label: `GET ${doc.query.slice(0, 100)}` },
          request(
            rng,
            ctx,
            rng.chance(0.95) ? 'GET' : 'HEAD',
            `/graphql?${params.join('&')}`,
            Buffer.alloc(0),
            undefined,
            extra,
          ),
        );
      },
    ],
    // Malformed or odd JSON bodies.
    [
      10,
      () => {
        const doc = generatedDocument(rng, ctx.vocab);
        const good = JSON.stringify({ query: doc.query, variables: doc.variables });
        const body = rng.weighted<Buffer>([
          [3, () => Buffer.from(good.slice(0, rng.int(good.length)), 'utf8')],
          [2, () => mutateBytes(rng, Buffer.from(good, 'utf8'))],
          [
            2,
            () =>
              Buffer.from(
                rng.pick([
                  'null',
                  '[]',
                  '5',
                  '"x"',
                  '{}',
                  '{"query":5}',
                  '{"query":null}',
                  '{"query":""}',
                  '{"query":"{ directories { name } }","variables":"x"}',
                  '{"query":"{ directories { name } }","variables":[1]}',
                  '[{"query":"{ directories { name } }"},{"query":"{ eventToken }"}]',
                  '{"query":"{ directories { name } }","operationName":5}',
                  '{"query":"{ directories { name } }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}',
                  '{"__proto__":{"query":"{ eventToken }"}}',
                  '{"query":"{ directories { name } }"} trailing',
                  '{"query":"\\ud800"}',
                  '{"query":"{ user(name: \\"\\\\ud800\\") { name } }"}',
                ]),
                'utf8',
              ),
          ],
          [
            1,
            () =>
              Buffer.concat([
                Buffer.from('{"query":"{ user(name: \\"', 'utf8'),
                rng.pick(BAD_UTF8),
                Buffer.from('\\") { name } }"}', 'utf8'),
              ]),
          ],
          [1, () => Buffer.from(`${'['.repeat(rng.logRange(100, 200_000))}`, 'utf8')],
          [
            1,
            () =>
              Buffer.from(
                `{"query":${JSON.stringify(doc.query)},"variables":${deepJson(rng.logRange(50, 50_000))}}`,
                'utf8',
              ),
          ],
          [1, () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good, 'utf8')])],
        ]);
        return single(
          ctx.target,
          { ...meta, generator: 'graphql/malformed', label: `POST malformed body (${body.length} bytes)` },
          request(rng, ctx, 'POST', '/graphql', body, rng.chance(0.9) ? 'application/json' : rng.pick(JSON_TYPES)),
        );
      },
    ],
    // Huge bodies: long strings near the 1 MiB limit and over it.
    [
      3,
      () => {
        const size = rng.chance(0.7) ? rng.logRange(50_000, 1_000_000) : rng.range(1_048_577, 1_400_000);
        const filler = longText(rng, size, size).replace(/["\\\u0000-\u001f\ud800-\udfff]/g, 'a');
        const body = Buffer.from(
          rng.chance(0.5)
            ? JSON.stringify({ query: `{ user(name: ${JSON.stringify(filler)}) { name } }` })
            : JSON.stringify({ query: '{ directories { name } }', variables: { pad: filler } }),
          'utf8',
        );
        return single(
          ctx.target,
          { ...meta, generator: 'graphql/huge', label: `POST ${body.length}-byte body` },
          request(rng, ctx, 'POST', '/graphql', body, 'application/json'),
          { oversized: body.length > 1024 * 1024 },
        );
      },
    ],
    // Odd methods and paths of the endpoint.
    [
      3,
      () => {
        const method = rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'GET', 'POST']);
        const path = rng.pick([
          '/graphql',
          '/graphql/',
          '/GRAPHQL',
          '/graphql?',
          '/graphql?query=',
          '/graphql?query={',
          '/graphql#x',
          '/graphql;x',
          '/graphql%00',
          '//graphql',
          '/graphql/..',
          '/graphql?query={directories{name}}&query={eventToken}',
        ]);
        return single(
          ctx.target,
          {
            ...meta,
            door: path.split('?')[0] === '/graphql' ? 'graphql' : 'other',
            generator: 'graphql/method',
            label: `${method} ${path}`,
          },
          request(
            rng,
            ctx,
            method,
            path,
            method === 'GET' || method === 'HEAD'
              ? Buffer.alloc(0)
              : Buffer.from('{"query":"{ directories { name } }"}'),
            'application/json',
          ),
        );
      },
    ],
    // The IDE and its assets.
    [
      4,
      () => {
        const asset = rng.weighted<string>([
          [2, () => rng.pick(['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css'])],
          [
            3,
            () =>
              rng.pick([
                '__proto__',
                'constructor',
                'toString',
                'hasOwnProperty',
                '../../package.json',
                '..%2F..%2Fpackage.json',
                '%2e%2e/%2e%2e/package.json',
                'react.js/',
                'react.js%00',
                'REACT.JS',
                '',
                '.',
                '..',
                'graphiql.js?x=1',
                'graphiql.css#x',
              ]),
          ],
          [2, () => encode(rng, text(rng, 30))],
          [1, () => rng.pick(BAD_PERCENT)],
        ]);
        const html = rng.chance(0.5);
        const method = rng.chance(0.85) ? 'GET' : rng.pick(['HEAD', 'POST', 'DELETE']);
        const spec: HttpRequestSpec = {
          method,
          target: `/graphql/ide/${asset}`,
          headers: [...(html ? ([['Accept', 'text/html']] as Array<[string, string]>) : []), ['Connection', 'close']],
          body: Buffer.alloc(0),
        };
        return single(
          ctx.target,
          { ...meta, door: 'ide', generator: 'graphql/ide', label: `${method} /graphql/ide/${asset.slice(0, 60)}` },
          spec,
        );
      },
    ],
  ]);
}

/** `{"a":{"a":…}}` `depth` levels deep, as text (JSON.stringify would overflow the stack). */
function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
