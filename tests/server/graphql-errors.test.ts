import { startGraphQLHarness } from './graphql-harness';

/** Every INTERNAL_SERVER_ERROR answer carries a correlation id that is in the log. */
describe('GraphQL internal errors outside resolvers', () => {
  test('a value that fails to serialise is masked, with a correlation id logged with the cause', async () => {
    // countUsers answers 2^40: GraphQL's Int cannot represent it (an error raised while serialising).
    const h = await startGraphQLHarness({ tamper: (method, result) => (method === 'countUsers' ? 2 ** 40 : result) });
    try {
      const answer = await h.post<{ users: { totalCount: number } }>('{ users(first: 1) { totalCount } }');
      const error = answer.body.errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const id = error?.extensions?.correlationId;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(error?.message).toBe(`Internal server error (correlation id ${id})`);
      // The correlation id is the request's id, echoed in X-Request-Id.
      expect(answer.requestId).toBe(id);
      expect(error?.path).toEqual(['users', 'totalCount']);
      const logged = h.logs.filter((l) => l.level === 'error' && l.fields['correlationId'] === id);
      expect(logged).toHaveLength(1);
      expect(String(logged[0]!.fields['error'])).toMatch(/Int cannot represent/);
    } finally {
      await h.stop();
    }
  });
});
