import 'reflect-metadata';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type GraphQLContext } from '../../resolvers/context';
import { DirectoryScope } from '../../resolvers/directory-scope';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Directory } from '../../src/domain/directory';
import { openSqliteStore } from '../../src/store/open';
import { groupRecord, userRecord } from '../conformance/fixtures';

describe('direct resolvers for the Crowd lookups (user, group, User.key)', () => {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-direct-'));
  const store = openSqliteStore(root);
  let directories: Directory[];
  let direct: GraphQLSchema;
  let typeGraphql: GraphQLSchema;

  beforeAll(async () => {
    directories = await store.upsertDirectories([
      { name: 'first', provider: 'demo' },
      { name: 'second', provider: 'demo' },
    ]);
    const [first, second] = directories;
    await store.apply(first!.id, {
      upsertUsers: [userRecord('a1', 'Alice'), userRecord('b1', 'bob')],
      upsertGroups: [groupRecord('g1', 'Devs')],
    });
    await store.apply(second!.id, {
      upsertUsers: [userRecord('b2', 'Bob'), userRecord('c2', 'carol')],
      upsertGroups: [groupRecord('g2', 'devs')],
    });
    direct = await buildCrowdgateSchema();
    typeGraphql = await buildCrowdgateSchema({ direct: false });
  });

  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  const context = (): GraphQLContext => createContext(store, new DirectoryScope(directories), 'test');
  const run = async (schema: GraphQLSchema, query: string) => {
    const result = await execute({ schema, document: parse(query), contextValue: context() });
    return {
      data: result.data,
      errors: result.errors?.map((e) => ({
        message: e.message,
        path: e.path,
        code: (e.originalError as { code?: string } | undefined)?.code,
      })),
    };
  };

  test.each([
    '{ user(name: "ALICE") { name key firstName directory { name } } }',
    '{ user(name: "bob") { name key directory { name } } }',
    '{ user(name: "bob", directories: ["second", "first"]) { name key directory { name } } }',
    '{ user(key: "2:c2") { name key } }',
    '{ user(key: "2:c2", directories: ["first"]) { name } }',
    '{ user(key: "not a key") { name } }',
    '{ user(name: "nobody") { name } }',
    '{ user { name } }',
    '{ user(name: "alice", directories: ["elsewhere"]) { name } }',
    '{ group(name: "DEVS") { name externalId } }',
    '{ group(name: "devs", directories: ["second"]) { name externalId } }',
    '{ group(name: "devs", directories: ["nowhere"]) { name } }',
    '{ a: user(name: "alice") { key } b: user(name: "carol") { key } c: group(name: "devs") { name } }',
  ])('%s answers as type-graphql does', async (query) => {
    const expected = await run(typeGraphql, query);
    expect(await run(direct, query)).toEqual(expected);
    // The cases cover answers, nulls and errors, not one of them only.
    expect(expected.data ?? expected.errors).toBeTruthy();
  });

  test('the user lookup starts at once, without awaiting its arguments first', async () => {
    for (const [schema, startsAtOnce] of [
      [direct, true],
      [typeGraphql, false],
    ] as const) {
      const ctx = context();
      let started = false;
      const userByName = ctx.loaders.userByName.bind(ctx.loaders);
      (ctx.loaders as { userByName: typeof userByName }).userByName = (ids) => {
        started = true;
        return userByName(ids);
      };
      const field = schema.getQueryType()!.getFields()['user']!;
      const pending = field.resolve!(undefined, { name: 'alice' }, ctx, undefined as never) as Promise<unknown>;
      expect(started).toBe(startsAtOnce);
      await expect(pending).resolves.toMatchObject({ name: 'Alice' });
      expect(started).toBe(true);
    }
  });
});
