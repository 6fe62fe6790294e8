import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Directory } from '../src/domain/directory';
import type { Group } from '../src/domain/group';
import { foldName } from '../src/domain/names';
import type { User } from '../src/domain/user';
import { memberConnection, searchConnection } from './connections';
import type { GraphQLContext } from './context';
import { GroupSearchArgs, MemberListArgs } from './inputs/list.args';
import { toGroupFilter } from './inputs/to-filter';
import { checkPageArgs, decodeCursor, MAX_PAGE_SIZE } from './pagination';
import { Attribute, toAttributeList } from './types/attribute.type';
import { GroupConnection, UserConnection, type ConnectionValue } from './types/connections.type';
import { DirectoryType } from './types/directory.type';
import { GroupType } from './types/group.type';

@Resolver(() => GroupType)
export class GroupResolver {
  @Query(() => GroupType, {
    nullable: true,
    description: 'One group by name (case-insensitive; the first directory that has it wins).',
  })
  async group(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('directories', () => [String], { nullable: true }) directories?: string[] | null,
  ): Promise<Group | null> {
    return ctx.loaders.groupByName(ctx.directories.resolve(directories)).load(foldName(name));
  }

  @Query(() => GroupConnection, { description: 'Groups ordered by case-folded name, filtered and paged.' })
  async groups(@Args() args: GroupSearchArgs, @Ctx() ctx: GraphQLContext): Promise<ConnectionValue<Group>> {
    checkPageArgs(args.first, args.offset, MAX_PAGE_SIZE);
    const directoryIds = ctx.directories.resolve(args.directories);
    const filter = toGroupFilter(args.filter);
    await ctx.loaders.turn();
    const page = await ctx.store.searchGroups({
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
        return ctx.store.countGroups(directoryIds, filter);
      },
      ctx.answer,
    );
  }

  @FieldResolver(() => DirectoryType)
  directory(@Root() group: Group, @Ctx() ctx: GraphQLContext): Directory {
    return ctx.directories.get(group.directoryId);
  }

  @FieldResolver(() => [Attribute])
  attributes(@Root() group: Group): Attribute[] {
    return toAttributeList(group.attributes);
  }

  @FieldResolver(() => UserConnection, { description: 'User members, direct or including members of nested groups.' })
  async users(
    @Root() group: Group,
    @Args() args: MemberListArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionValue<User>> {
    const refs = await ctx.loaders.usersOfGroup[args.nested ? 'nested' : 'direct'].load(group.id);
    return memberConnection(refs, args, ctx.loaders.userById, ctx.answer);
  }

  @FieldResolver(() => GroupConnection, {
    description: 'Child groups (members that are groups), direct or all descendants.',
  })
  async childGroups(
    @Root() group: Group,
    @Args() args: MemberListArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionValue<Group>> {
    const refs = await ctx.loaders.childGroups[args.nested ? 'nested' : 'direct'].load(group.id);
    return memberConnection(refs, args, ctx.loaders.groupById, ctx.answer);
  }

  @FieldResolver(() => GroupConnection, { description: 'Groups this group is a member of, direct or all ancestors.' })
  async parentGroups(
    @Root() group: Group,
    @Args() args: MemberListArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionValue<Group>> {
    const refs = await ctx.loaders.parentGroups[args.nested ? 'nested' : 'direct'].load(group.id);
    return memberConnection(refs, args, ctx.loaders.groupById, ctx.answer);
  }
}
