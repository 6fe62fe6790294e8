import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Group } from '../src/domain/group';
import type { User } from '../src/domain/user';
import type { NamedRef } from '../src/store/store';
import type { GraphQLContext } from './context';
import { GroupType } from './types/group.type';
import { UserType } from './types/user.type';

/**
 * Lean member lists: just the names (stored case, ordered by folded name), for callers that need
 * no entity, such as Crowd's `/group/membership` and membership checks. One list field instead of
 * a connection of objects saves a resolver call per member, and the names come with the member
 * references themselves (one store read per batch of owners): on a 1M-membership directory that
 * is the difference between streaming and stalling. The names count against the answer's budget
 * on /graphql (src/graphql/answer-budget.ts): these lists have no `first`.
 */
const names = (refs: readonly NamedRef[], ctx: GraphQLContext): string[] => {
  ctx.answer?.spend(refs.length);
  return refs.map((r) => r.name);
};

const nestedArg = { defaultValue: false, description: 'Include memberships inherited through nested groups.' } as const;

@Resolver(() => UserType)
export class UserMemberNamesResolver {
  @FieldResolver(() => [String], { description: "Names of the user's groups (direct, or with inherited ones)." })
  async groupNames(
    @Root() user: User,
    @Ctx() ctx: GraphQLContext,
    @Arg('nested', () => Boolean, nestedArg) nested: boolean,
  ): Promise<string[]> {
    return names(await ctx.loaders.groupsOfUser[nested ? 'nested' : 'direct'].load(user.id), ctx);
  }
}

@Resolver(() => GroupType)
export class GroupMemberNamesResolver {
  @FieldResolver(() => [String], { description: 'Names of the user members (direct, or including nested groups).' })
  async userNames(
    @Root() group: Group,
    @Ctx() ctx: GraphQLContext,
    @Arg('nested', () => Boolean, nestedArg) nested: boolean,
  ): Promise<string[]> {
    return names(await ctx.loaders.usersOfGroup[nested ? 'nested' : 'direct'].load(group.id), ctx);
  }

  @FieldResolver(() => [String], { description: 'Names of the child groups (direct, or all descendants).' })
  async childGroupNames(
    @Root() group: Group,
    @Ctx() ctx: GraphQLContext,
    @Arg('nested', () => Boolean, nestedArg) nested: boolean,
  ): Promise<string[]> {
    return names(await ctx.loaders.childGroups[nested ? 'nested' : 'direct'].load(group.id), ctx);
  }

  @FieldResolver(() => [String], { description: 'Names of the parent groups (direct, or all ancestors).' })
  async parentGroupNames(
    @Root() group: Group,
    @Ctx() ctx: GraphQLContext,
    @Arg('nested', () => Boolean, nestedArg) nested: boolean,
  ): Promise<string[]> {
    return names(await ctx.loaders.parentGroups[nested ? 'nested' : 'direct'].load(group.id), ctx);
  }
}
