import { ADMIN, SECOND_ADMIN, startGraphQLHarness, type GraphQLHarness } from './graphql-harness';

/** Wrong GraphQL bearer tokens are limited per address like application passwords. */
describe('GraphQL administrator tokens: failed attempts are limited per address', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQLHarness();
  });
  afterAll(() => h.stop());

  test('after 10 wrong tokens in a minute, further attempts are refused unchecked; a token that authenticated before still works', async () => {
    const query = '{ directories { name } }';
    expect((await h.post(query, {}, ADMIN)).status).toBe(200); // proven since start
    for (let i = 0; i < 10; i++) {
      const wrong = await h.post(query, {}, `wrong-token-${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.errors?.[0]?.message).toMatch(/^An administrator token is required/);
    }
    const eleventh = await h.post(query, {}, 'wrong-token-10');
    expect(eleventh.status).toBe(401);
    expect(eleventh.body.errors?.[0]).toEqual({
      message: 'Too many wrong administrator tokens from this address (10 a minute); try again later',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    // A configured token that has never authenticated is not even compared: refused like a guess.
    expect((await h.post(query, {}, SECOND_ADMIN)).body.errors?.[0]?.message).toMatch(
      /^Too many wrong administrator tokens/,
    );
    // The administrator who authenticated before keeps working from the same address.
    const admin = await h.post<{ directories: unknown[] }>(query, {}, ADMIN);
    expect(admin.status).toBe(200);
    expect(admin.body.data?.directories).toHaveLength(1);
    // No token at all is not an attempt: the usual answer.
    expect((await h.post(query, {}, null)).body.errors?.[0]?.message).toMatch(/^An administrator token is required/);
  });
});
