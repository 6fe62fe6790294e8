import { SMALL_DIRECTORY } from '../helpers/fixtures';
import { ADMIN_TOKEN, startTestCrowdgate, type TestCrowdgate } from '../helpers/crowdgate';
import { groupRecord, userRecord } from '../conformance/fixtures';

interface GraphQLAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

describe('GraphQL API over HTTP', () => {
  let cg: TestCrowdgate;
  beforeAll(async () => {
    cg = await startTestCrowdgate([
      { name: 'corp', changes: SMALL_DIRECTORY },
      {
        name: 'partners',
        changes: {
          upsertUsers: [userRecord('p-alice', 'ALICE', { active: false }), userRecord('p-erin', 'erin')],
          upsertGroups: [groupRecord('p-g', 'partners')],
        },
      },
    ]);
  });
  afterAll(() => cg.stop());

  async function query<T>(text: string, variables: Record<string, unknown> = {}, token: string | null = ADMIN_TOKEN) {
    const response = await fetch(`${cg.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: text, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLAnswer<T> };
  }

  test('requires an administrator token: 401 without one or with a wrong one', async () => {
    const missing = await query('{ directories { name } }', {}, null);
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await query('{ directories { name } }', {}, 'not-the-token')).status).toBe(401);
    expect((await query('{ directories { name } }')).body.data).toEqual({
      directories: [{ name: 'corp' }, { name: 'partners' }],
    });
  });

  test('users: filters by name prefix, email, active and directory, with totalCount', async () => {
    type Users = { users: { totalCount: number; nodes: Array<{ name: string; directory: { name: string } }> } };
    const byPrefix = await query<Users>(
      '{ users(filter: { name: { startsWith: "A" } }) { totalCount nodes { name directory { name } } } }',
    );
    // corp's alice shadows partners' ALICE: the first directory wins.
    expect(byPrefix.body.data!.users).toEqual({
      totalCount: 1,
      nodes: [{ name: 'alice', directory: { name: 'corp' } }],
    });
    const byEmail = await query<Users>(
      '{ users(filter: { email: { endsWith: "@EXAMPLE.ORG" } }) { totalCount nodes { name directory { name } } } }',
    );
    expect(byEmail.body.data!.users.nodes.map((n) => n.name)).toEqual(['carol']);
    const inactive = await query<Users>(
      '{ users(filter: { active: false }) { totalCount nodes { name directory { name } } } }',
    );
    expect(inactive.body.data!.users.nodes.map((n) => n.name)).toEqual(['dave']);
    const partnersFirst = await query<Users>(
      '{ users(directories: ["partners"]) { totalCount nodes { name directory { name } } } }',
    );
    expect(partnersFirst.body.data!.users.nodes.map((n) => n.name)).toEqual(['ALICE', 'erin']);
  });

  test('cursor pagination visits every user exactly once, in name order', async () => {
    type Page = {
      users: { nodes: Array<{ name: string }>; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: { body: GraphQLAnswer<Page> } = await query<Page>(
        'query($after: String) { users(first: 2, after: $after) { nodes { name } pageInfo { endCursor hasNextPage } } }',
        { after },
      );
      seen.push(...page.body.data!.users.nodes.map((n) => n.name));
      if (!page.body.data!.users.pageInfo.hasNextPage) break;
      after = page.body.data!.users.pageInfo.endCursor;
    }
    expect(seen).toEqual(['alice', 'Bob Smith', 'carol', 'dave', 'erin']);
  });

  test('user(name) is case-insensitive and returns the stored case, key, groups direct and nested', async () => {
    const answer = await query<{
      user: {
        name: string;
        key: string;
        direct: { nodes: Array<{ name: string }> };
        nested: { nodes: Array<{ name: string }> };
      };
    }>(
      '{ user(name: "CAROL") { name key direct: groups { nodes { name } } nested: groups(nested: true) { nodes { name } } } }',
    );
    const user = answer.body.data!.user;
    expect(user.name).toBe('carol');
    expect(user.key).toBe(`${cg.directoryIds[0]}:id-carol`);
    expect(user.direct.nodes.map((g) => g.name)).toEqual(['backend', 'jira-software-users']);
    expect(user.nested.nodes.map((g) => g.name)).toEqual(['backend', 'developers', 'jira-software-users']);
    const byKey = await query<{ user: { name: string } }>(`{ user(key: "${user.key}") { name } }`);
    expect(byKey.body.data!.user.name).toBe('carol');
    expect((await query<{ user: null }>('{ user(name: "nobody") { name } }')).body.data!.user).toBeNull();
  });

  test('group members direct and nested, child and parent groups, local flag', async () => {
    const answer = await query<{
      group: {
        local: boolean;
        users: { totalCount: number; nodes: Array<{ name: string }> };
        all: { nodes: Array<{ name: string }> };
        childGroups: { nodes: Array<{ name: string }> };
      };
      backend: { parentGroups: { nodes: Array<{ name: string }> } };
      jsu: { local: boolean; users: { totalCount: number } };
    }>(`{
      group(name: "Developers") { local users { totalCount nodes { name } } all: users(nested: true) { nodes { name } } childGroups { nodes { name } } }
      backend: group(name: "backend") { parentGroups { nodes { name } } }
      jsu: group(name: "jira-software-users") { local users { totalCount } }
    }`);
    const { group, backend, jsu } = answer.body.data!;
    expect(group.local).toBe(false);
    expect(group.users).toEqual({ totalCount: 2, nodes: [{ name: 'alice' }, { name: 'Bob Smith' }] });
    expect(group.all.nodes.map((u) => u.name)).toEqual(['alice', 'Bob Smith', 'carol']);
    expect(group.childGroups.nodes).toEqual([{ name: 'backend' }]);
    expect(backend.parentGroups.nodes).toEqual([{ name: 'developers' }]);
    expect(jsu).toEqual({ local: true, users: { totalCount: 3 } });
  });

  test('bad input answers precise error codes', async () => {
    const badCursor = await query('{ users(after: "%%%") { nodes { name } } }');
    expect(badCursor.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooBig = await query('{ users(first: 5000) { nodes { name } } }');
    expect(tooBig.body.errors?.[0]?.message).toMatch(/first must be between 0 and 1000/);
    const unknownDirectory = await query('{ users(directories: ["nope"]) { nodes { name } } }');
    expect(unknownDirectory.body.errors?.[0]).toMatchObject({
      message: 'Directory nope does not exist',
      extensions: { code: 'NOT_FOUND' },
    });
    const syntax = await query('{ users( }');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const response = await fetch(`${cg.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
  });

  test('GET /graphql in a browser serves an IDE that loads nothing from outside', async () => {
    const page = await fetch(`${cg.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(3);
    for (const src of scripts) {
      const asset = await fetch(`${cg.url}${src}`);
      expect(asset.status).toBe(200);
      expect((await asset.text()).length).toBeGreaterThan(1000);
    }
  });
});
