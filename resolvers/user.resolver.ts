import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { foldName } from '../src/domain/names';
import { userKey, type User } from '../src/domain/user';
import type { Directory } from '../src/domain/directory';
import { memberConnection, searchConnection } from './connections';
import type { GraphQLContext } from './context';
import { MemberListArgs, UserSearchArgs } from './inputs/list.args';
import { toUserFilter } from './inputs/to-filter';
import { checkPageArgs, decodeCursor, MAX_PAGE_SIZE } from './pagination';
import { Attribute, toAttributeList } from './types/attribute.type';
import { GroupConnection, UserConnection, type ConnectionValue } from './types/connections.type';
import { DirectoryType } from './types/directory.type';
import { UserType } from './types/user.type';
import type { Group } from '../src/domain/group';

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, {
    nullable: true,
    description: 'One user by name (case-insensitive; the first directory that has it wins) or by Crowd key.',
  })
  // Not `async`: the hot path (Crowd `GET /user`) hands the loader's promise straight through.
  user(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String, { nullable: true }) name?: string | null,
    @Arg('key', () => String, { nullable: true }) key?: string | null,
    @Arg('directories', () => [String], { nullable: true }) directories?: string[] | null,
  ): Promise<User | null> {
    const scope = ctx.directories.resolve(directories);
    if (key !== null && key !== undefined) {
      return ctx.loaders.userByKey.load(key).then((user) => (user && scope.includes(user.directoryId) ? user : null));
    }
    if (name === null || name === undefined) return Promise.resolve(null);
    return ctx.loaders.userByName(scope).load(foldName(name));
  }

  @Query(() => UserConnection, { description: 'Users ordered by case-folded name, filtered and paged.' })
  async users(@Args() args: UserSearchArgs, @Ctx() ctx: GraphQLContext): Promise<ConnectionValue<User>> {
    checkPageArgs(args.first, args.offset, MAX_PAGE_SIZE);
    const directoryIds = ctx.directories.resolve(args.directories);
    const filter = toUserFilter(args.filter);
    await ctx.loaders.turn();
    const page = await ctx.store.searchUsers({
      directoryIds,
      filter,
      limit: args.first,
      ...(args.after ? { afterName: decodeCursor(args.after) } : {}),
      ...(args.offset ? { offset: args.offset } : {}),
    });
    return searchConnection(
      page,
      async () => {
        await ctx.loaders.turn();
        return ctx.store.countUsers(directoryIds, filter);
      },
      ctx.answer,
    );
  }

  @FieldResolver(() => String, { description: 'Crowd key `{directoryId}:{externalId}`: stable across renames.' })
  key(@Root() user: User): string {
    return userKey(user);
  }

  @FieldResolver(() => DirectoryType)
  directory(@Root() user: User, @Ctx() ctx: GraphQLContext): Directory {
    return ctx.directories.get(user.directoryId);
  }

  @FieldResolver(() => [Attribute])
  attributes(@Root() user: User): Attribute[] {
    return toAttributeList(user.attributes);
  }

  @FieldResolver(() => GroupConnection, { description: "The user's groups, direct or including inherited ones." })
  async groups(
    @Root() user: User,
    @Args() args: MemberListArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionValue<Group>> {
    const refs = await ctx.loaders.groupsOfUser[args.nested ? 'nested' : 'direct'].load(user.id);
    return memberConnection(refs, args, ctx.loaders.groupById, ctx.answer);
  }
}
