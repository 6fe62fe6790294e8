import 'reflect-metadata';
import { getIntrospectionQuery } from 'graphql';
import { DEFAULT_GRAPHQL_LIMITS } from '../../src/graphql/limits';
import { configSchema } from '../../src/config/schema';
import { ADMIN, startGraphQLHarness, type Answer, type GraphQLHarness } from './graphql-harness';

/**
 * The limits of the GraphQL front door (README.md#security-and-limits). Every refusal must happen before the store is
 * read (counted, not timed), answer BAD_USER_INPUT and name the limit with its value.
 */
describe('GraphQL limits (defaults)', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQLHarness();
  });
  afterAll(() => h.stop());

  /** Posts a query and returns the answer with the number of store calls it made. */
  async function refused(query: string, variables: Record<string, unknown> = {}) {
    const before = h.storeCalls();
    const answer = await h.post(query, variables);
    return { ...answer, storeCalls: h.storeCalls() - before, error: answer.body.errors?.[0] };
  }

  test('the 117-byte nest users → groups → users → groups is refused by its estimated cost, before any store read', async () => {
    const query = '{users(first:1000){nodes{groups{nodes{users{nodes{groups{nodes{name}}}}}}}}}';
    const answer = await refused(query);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.error?.message).toMatch(/estimated cost is \d+ .*; the limit is 250000 \(graphql\.maxCost\)/);
    expect(answer.storeCalls).toBe(0);
  });

  test('10,000 and 1,000 aliases of users(first: 1000) are refused before any store read', async () => {
    const aliases = (n: number) =>
      `{${Array.from({ length: n }, (_, i) => `a${i}: users(first: 1000) { nodes { name } }`).join(' ')}}`;
    const tenThousand = await refused(aliases(10_000));
    expect(tenThousand.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tenThousand.error?.message).toMatch(/more than 50000 tokens; the limit is 50000 \(graphql\.maxTokens\)/);
    expect(tenThousand.storeCalls).toBe(0);
    const thousand = await refused(aliases(1_000));
    expect(thousand.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(thousand.error?.message).toMatch(/selects 3000 fields .*; the limit is 1000 \(graphql\.maxFields\)/);
    expect(thousand.storeCalls).toBe(0);
    // 125 aliases are few enough fields (375), but cost 125 × (1 + 1000 × 2).
    const some = await refused(aliases(125));
    expect(some.error?.message).toMatch(
      /^The operation's estimated cost is 250125 .*; the limit is 250000 \(graphql\.maxCost\)$/,
    );
    expect(some.storeCalls).toBe(0);
  });

  test('the same field 1,000 times without aliases (quadratic for validation) is refused by the field count', async () => {
    const same = await refused(`{${'users(first: 1000) { nodes { name } } '.repeat(1000)}}`);
    expect(same.error?.message).toMatch(/the limit is 1000 \(graphql\.maxFields\)/);
    expect(same.storeCalls).toBe(0);
  });

  test('fragments are expanded: 2^20 uses of one field through 20 fragment levels are counted as such', async () => {
    const levels = 20;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { directories { name } }`
        : `fragment F${i} on Query { ...F${i + 1} a${i}: directories { name } ...F${i + 1} }`,
    ).join('\n');
    const answer = await refused(`{ ...F0 }\n${fragments}`);
    expect(answer.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.error?.message).toMatch(/the limit is 1000 \(graphql\.maxFields\)/);
  });

  test('depth over 15 is refused, naming the limit', async () => {
    // user → groups → nodes → parentGroups → nodes → … : 2 levels per hop.
    let selection = 'name';
    for (let i = 0; i < 8; i++) selection = `parentGroups(first: 1) { nodes { ${selection} } }`;
    const answer = await refused(`{ group(name: "g01") { ${selection} } }`);
    expect(answer.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.error?.message).toBe('The operation nests fields 18 levels deep; the limit is 15 (graphql.maxDepth)');
    expect(answer.storeCalls).toBe(0);
  });

  test('nested connections are bounded: default 100, at most 1000, never the whole list on /graphql', async () => {
    type G = { group: { users: { totalCount: number; nodes: unknown[]; pageInfo: { hasNextPage: boolean } } } };
    const byDefault = await h.post<G>(
      '{ group(name: "g00") { users { totalCount nodes { name } pageInfo { hasNextPage } } } }',
    );
    expect(byDefault.body.errors).toBeUndefined();
    expect(byDefault.body.data!.group.users.totalCount).toBe(300);
    expect(byDefault.body.data!.group.users.nodes).toHaveLength(100);
    expect(byDefault.body.data!.group.users.pageInfo.hasNextPage).toBe(true);

    const all = await refused('{ group(name: "g00") { users(first: null) { nodes { name } } } }');
    expect(all.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(all.error?.message).toMatch(/^Group\.users\(first: null\) asks for the whole list/);
    expect(all.storeCalls).toBe(0);
    const viaVariable = await refused('query($n: Int) { group(name: "g00") { users(first: $n) { nodes { name } } } }', {
      n: null,
    });
    expect(viaVariable.error?.message).toMatch(/^Group\.users\(first: null\)/);
    // A nullable variable given null where the argument is non-null with a default (syncRuns(first: Int! = 20)):
    // graphql-js lets the usage through validation and refuses the value while executing — the caller's input.
    const nullForDefault = await refused('query($n: Int) { syncRuns(first: $n) { id } }', { n: null });
    expect(nullForDefault.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(nullForDefault.error?.message).toBe('Argument "first" of non-null type "Int!" must not be null.');
    expect(nullForDefault.error?.extensions).not.toHaveProperty('correlationId');
    const tooMany = await refused('{ group(name: "g00") { users(first: 5000) { nodes { name } } } }');
    expect(tooMany.error?.message).toBe('Group.users: first must be between 0 and 1000');
    expect(tooMany.storeCalls).toBe(0);
  });

  test("the README's and GraphiQL's queries, and GraphiQL's introspection, pass every limit", async () => {
    type U = {
      users: { totalCount: number; nodes: Array<{ name: string; groups: { nodes: Array<{ name: string }> } }> };
    };
    const readme = await h.post<U>(
      '{ users(first: 3) { totalCount nodes { name active groups { nodes { name } } } } }',
    );
    expect(readme.body.errors).toBeUndefined();
    expect(readme.body.data!.users.totalCount).toBe(300);
    expect(readme.body.data!.users.nodes[0]!.groups.nodes.map((g) => g.name)).toContain('g00');
    const ide = await h.post(
      '{\n  directories { name provider }\n  users(first: 10) { totalCount nodes { name displayName active groups { nodes { name } } } }\n}\n',
    );
    expect(ide.body.errors).toBeUndefined();
    const introspection = await h.post<{ __schema: { types: unknown[] } }>(
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    );
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data!.__schema.types.length).toBeGreaterThan(20);
    // Crowd's /group/membership page through GraphQL, and a 1000-user export with groups.
    const memberships = await h.post(
      '{ groups(first: 1000) { nodes { name userNames childGroupNames } pageInfo { endCursor hasNextPage } } }',
    );
    expect(memberships.body.errors).toBeUndefined();
    const exportUsers = await h.post(
      '{ users(first: 1000) { nodes { name email groups(first: 50) { nodes { name } } } } }',
    );
    expect(exportUsers.body.errors).toBeUndefined();
  });

  test('a filter variable nested 1,000 levels is refused before coercion, naming the variable and the limit', async () => {
    let filter: Record<string, unknown> = { name: { equals: 'u001' } };
    for (let i = 0; i < 1000; i++) filter = { or: [filter] };
    const answer = await refused('query($f: UserFilterInput) { users(filter: $f) { nodes { name } } }', { f: filter });
    expect(answer.status).toBe(400);
    expect(answer.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.error?.message).toMatch(
      /^Variable \$f nests input values more than 40 levels deep \(at \$f\.or\[0\]\.or\[0\]/,
    );
    expect(answer.error?.message).toMatch(/the limit is 40 \(graphql\.maxInputDepth\)$/);
    expect(answer.storeCalls).toBe(0);
  });

  test('the same filter written inline is refused before parsing; 17 levels of or answer the path', async () => {
    const inline = `{ users(filter: ${'{or:['.repeat(1000)}{name:{equals:"x"}}${']}'.repeat(1000)}) { nodes { name } } }`;
    const deep = await refused(inline);
    expect(deep.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(deep.error?.message).toMatch(
      /nests brackets more than \d+ levels deep; the limits are graphql\.maxDepth \(15\) and graphql\.maxInputDepth \(40\)/,
    );
    expect(deep.storeCalls).toBe(0);

    let filter: Record<string, unknown> = { name: { equals: 'u001' } };
    for (let i = 0; i < 17; i++) filter = { or: [filter] };
    const seventeen = await refused('query($f: UserFilterInput) { users(filter: $f) { nodes { name } } }', {
      f: filter,
    });
    expect(seventeen.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(seventeen.error?.message).toBe(
      `filter${'.or[0]'.repeat(17)}: filter nesting deeper than 16 levels of and/or`,
    );
    expect(seventeen.storeCalls).toBe(0);
  });

  test('an OR of 1,000 terms and a 60,000-character value work (or are refused precisely), never an internal error', async () => {
    type U = { users: { nodes: Array<{ name: string }> } };
    const or = Array.from({ length: 1000 }, (_, i) => ({ name: { equals: `u${String(i).padStart(3, '0')}` } }));
    const many = await h.post<U>('query($f: UserFilterInput) { users(first: 1000, filter: $f) { nodes { name } } }', {
      f: { or },
    });
    expect(many.body.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    if (!many.body.errors) expect(many.body.data!.users.nodes).toHaveLength(300);
    else expect(many.body.errors[0]!.message).toMatch(/filter/);
    const long = await h.post<U>('query($f: UserFilterInput) { users(filter: $f) { nodes { name } } }', {
      f: { name: { contains: 'x'.repeat(60_000) } },
    });
    expect(long.body.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    if (!long.body.errors) expect(long.body.data!.users.nodes).toEqual([]);
    else expect(long.body.errors[0]!.message).toMatch(/filter\.name/);
  });

  test('GET requests are checked the same way, and persisted queries (a hash without the text) are not accepted', async () => {
    const before = h.storeCalls();
    const query = encodeURIComponent('{users(first:1000){nodes{groups{nodes{users{nodes{groups{nodes{name}}}}}}}}}');
    const viaGet = await fetch(`${h.url}/graphql?query=${query}`, {
      headers: { authorization: `Bearer ${ADMIN}`, 'apollo-require-preflight': 'true' },
    });
    expect(viaGet.status).toBe(400);
    expect(((await viaGet.json()) as Answer<unknown>).errors?.[0]?.message).toMatch(
      /the limit is 250000 \(graphql\.maxCost\)/,
    );
    const persisted = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    });
    expect(((await persisted.json()) as Answer<unknown>).errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_NOT_SUPPORTED',
    );
    expect(h.storeCalls() - before).toBe(0);
  });

  test('GET /graphql/ide/<Object.prototype member> is 404, never 500, and logs no error', async () => {
    const before = h.logs.length;
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      const response = await fetch(`${h.url}/graphql/ide/${name}`);
      expect({ name, status: response.status }).toEqual({ name, status: 404 });
    }
    expect(h.logs.slice(before).filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect((await fetch(`${h.url}/graphql/ide/graphiql.css`)).status).toBe(200);
  });
});

describe('GraphQL limits (configured)', () => {
  test('every limit comes from the graphql: block; the answer limits replace the whole answer', async () => {
    const h = await startGraphQLHarness({ limits: { maxDepth: 3, maxAnswerEntries: 150, maxAnswerBytes: 4096 } });
    try {
      const deep = await h.post('{ users(first: 3) { totalCount nodes { name active groups { nodes { name } } } } }');
      expect(deep.body.errors?.[0]?.message).toBe(
        'The operation nests fields 5 levels deep; the limit is 3 (graphql.maxDepth)',
      );

      // 100 users fit both limits; 200 names pass the entries limit: one error, no partial data.
      const fits = await h.post<{ users: { nodes: unknown[] } }>('{ users(first: 100) { nodes { name } } }');
      expect(fits.body.errors).toBeUndefined();
      h.calls.clear();
      const entries = await h.post(
        '{ a: users(first: 100) { nodes { name } } b: users(first: 100, offset: 100) { nodes { name } } }',
      );
      expect(entries.status).toBe(400);
      expect(entries.body).toEqual({
        errors: [
          {
            message:
              'The answer would hold more than 150 list entries; the limit is 150 (graphql.maxAnswerEntries): select fewer fields, or page with a smaller `first`',
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      // Names lists have no `first`: they are counted as they are made (g00 has 300 members).
      const names = await h.post('{ group(name: "g00") { userNames } }');
      expect(names.body.errors?.[0]?.message).toMatch(/the limit is 150 \(graphql\.maxAnswerEntries\)/);

      const bytes = await h.post('{ users(first: 100) { nodes { name email displayName } } }');
      expect(bytes.status).toBe(400);
      expect(bytes.body.errors?.[0]).toEqual({
        message:
          'The answer would be larger than 4096 bytes; the limit is 4096 (graphql.maxAnswerBytes): select fewer fields, or page with a smaller `first`',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    } finally {
      await h.stop();
    }
  });

  test('the configuration schema accepts the graphql: block, checks its values and refuses unknown keys', () => {
    const base = { directories: [{ name: 'corp', provider: 'demo' }] };
    expect(configSchema.parse({ ...base, graphql: { maxCost: '5000', maxDepth: 10 } }).graphql).toEqual({
      maxCost: 5000,
      maxDepth: 10,
    });
    expect(configSchema.parse(base).graphql).toBeUndefined();
    expect(configSchema.safeParse({ ...base, graphql: { maxDepth: 0 } }).success).toBe(false);
    expect(configSchema.safeParse({ ...base, graphql: { maxCots: 5 } }).success).toBe(false);
    expect(DEFAULT_GRAPHQL_LIMITS).toMatchObject({
      maxDepth: 15,
      maxFields: 1000,
      maxCost: 250_000,
      maxTokens: 50_000,
      maxInputDepth: 40,
    });
  });
});
