import { isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { DirectoryError } from '../src/domain/errors';
import { userKey, type User } from '../src/domain/user';
import type { GraphQLContext } from './context';
import { GroupResolver } from './group.resolver';
import { UserResolver } from './user.resolver';

/** `user(name, key, directories)`; `group(name!, directories)` always has its name. */
interface LookupArgs {
  readonly name?: string | null;
  readonly key?: string | null;
  readonly directories?: string[] | null;
}

/**
 * Direct resolve functions for the fields that every Crowd lookup runs (`GET /user`, `GET /group`
 * and the user in most other calls), calling the same resolver methods that type-graphql calls.
 *
 * type-graphql hands each argument to `validateArg`, an async function even with validation off
 * (2.0.0-rc.4, resolvers/validate-arg.js), and then awaits them all: for
 * `user(name, key, directories)` three promises and a Promise.all before the lookup starts, and
 * a parameter list rebuilt for `key` on every user. Without the direct functions the
 * `CrowdUserByName` operation cost 16–17% more (in-process A/B, 3 runs). Nothing is skipped: the arguments
 * are scalars that GraphQL has already coerced (type-graphql would convert nothing), and the
 * schema has no middleware or auth checker (schema.ts).
 */
export function withDirectResolvers(schema: GraphQLSchema): GraphQLSchema {
  const users = new UserResolver();
  const groups = new GroupResolver();
  const query = schema.getQueryType()?.getFields();
  const user = schema.getType('User');
  replace(query?.['user'], (_root, args: LookupArgs, ctx) => users.user(ctx, args.name, args.key, args.directories));
  replace(query?.['group'], (_root, args: LookupArgs & { name: string }, ctx) =>
    groups.group(args.name, ctx, args.directories),
  );
  replace(isObjectType(user) ? user.getFields()['key'] : undefined, (root) => userKey(root as User));
  return schema;
}

function replace<Args>(
  field: GraphQLField<unknown, GraphQLContext> | undefined,
  resolve: GraphQLFieldResolver<unknown, GraphQLContext, Args>,
): void {
  if (!field?.resolve)
    throw new DirectoryError('INTERNAL', 'withDirectResolvers: a field it replaces is missing from the schema');
  field.resolve = resolve;
}
