import { Ctx, Query, Resolver } from 'type-graphql';
import type { Directory } from '../src/domain/directory';
import type { GraphQLContext } from './context';
import { DirectoryType } from './types/directory.type';

@Resolver(() => DirectoryType)
export class DirectoryResolver {
  @Query(() => [DirectoryType], { description: 'The configured directories in precedence order.' })
  directories(@Ctx() ctx: GraphQLContext): readonly Directory[] {
    return ctx.directories.all;
  }
}
