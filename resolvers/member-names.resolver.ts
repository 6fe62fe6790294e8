import type DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Group } from '../src/domain/group';
import type { User } from '../src/domain/user';
import { MAX_BATCH, type NamedRef } from '../src/store/store';
import type { GraphQLContext } from './context';
import { GroupType } from './types/group.type';
import { UserType } from './types/user.type';

/**
 * Lean member lists: just the names (stored case, ordered by folded name), for callers that need
 * no entity, such as Crowd's `/group/membership` and membership checks. One list field instead of
 * a connection of objects saves a resolver call per member: on a 1M-membership directory that is
 * the difference between streaming and stalling. Reads through the name loaders, whose cache the
 * pages of one stream may share (loaders.ts NameCaches).
 */
async function names(refs: readonly NamedRef[], nameById: DataLoader<number, string | null>): Promise<string[]> {
  const out: string[] = [];
  // In slices: one loadMany over a 100k-member group allocates promises and closures for every key
  // at once (~1 KB each); slices keep that to MAX_BATCH keys at a time.
  for (let start = 0; start < refs.length; start += MAX_BATCH) {
    for (const name of await nameById.loadMany(refs.slice(start, start + MAX_BATCH).map((r) => r.id))) {
      if (name instanceof Error) throw name;
      if (name !== null) out.push(name); // removed since the list was read: skip, never invent
    }
  }
  return out;
}

const nestedArg = { defaultValue: false, description: 'Include memberships inherited through nested groups.' } as const;

@Resolver(() => UserType)
export class UserMemberNamesResolver {
  @FieldResolver(() => [String], { description: "Names of the user's groups (direct, or with inherited ones)." })
  async groupNames(@Root() user: User, @Ctx() ctx: GraphQLContext, @Arg('nested', () => Boolean, nestedArg) nested: boolean): Promise<string[]> {
    return names(await ctx.loaders.groupsOfUser[nested ? 'nested' : 'direct'].load(user.id), ctx.loaders.groupNameById);
  }
}

@Resolver(() => GroupType)
export class GroupMemberNamesResolver {
  @FieldResolver(() => [String], { description: 'Names of the user members (direct, or including nested groups).' })
  async userNames(@Root() group: Group, @Ctx() ctx: GraphQLContext, @Arg('nested', () => Boolean, nestedArg) nested: boolean): Promise<string[]> {
    return names(await ctx.loaders.usersOfGroup[nested ? 'nested' : 'direct'].load(group.id), ctx.loaders.userNameById);
  }

  @FieldResolver(() => [String], { description: 'Names of the child groups (direct, or all descendants).' })
  async childGroupNames(@Root() group: Group, @Ctx() ctx: GraphQLContext, @Arg('nested', () => Boolean, nestedArg) nested: boolean): Promise<string[]> {
    return names(await ctx.loaders.childGroups[nested ? 'nested' : 'direct'].load(group.id), ctx.loaders.groupNameById);
  }

  @FieldResolver(() => [String], { description: 'Names of the parent groups (direct, or all ancestors).' })
  async parentGroupNames(@Root() group: Group, @Ctx() ctx: GraphQLContext, @Arg('nested', () => Boolean, nestedArg) nested: boolean): Promise<string[]> {
    return names(await ctx.loaders.parentGroups[nested ? 'nested' : 'direct'].load(group.id), ctx.loaders.groupNameById);
  }
}
