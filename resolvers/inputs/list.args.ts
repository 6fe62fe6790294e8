import { ArgsType, Field, Int } from 'type-graphql';
import { MAX_PAGE_SIZE, NESTED_PAGE_SIZE } from '../pagination';
import { GroupFilterInput, UserFilterInput } from './filter.input';

@ArgsType()
class SearchArgs {
  @Field(() => Int, { defaultValue: 100, description: `Page size, 0 to ${MAX_PAGE_SIZE}.` })
  first!: number;

  @Field(() => String, { nullable: true, description: "The previous page's `pageInfo.endCursor`." })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Entries to skip (after `after`); Crowd start-index.' })
  offset?: number | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Directory names in precedence order; a name in two directories resolves to the first. Default: all, in configured order.',
  })
  directories?: string[] | null;
}

@ArgsType()
export class UserSearchArgs extends SearchArgs {
  @Field(() => UserFilterInput, { nullable: true })
  filter?: UserFilterInput | null;
}

@ArgsType()
export class GroupSearchArgs extends SearchArgs {
  @Field(() => GroupFilterInput, { nullable: true })
  filter?: GroupFilterInput | null;
}

@ArgsType()
export class MemberListArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Include memberships inherited through nested groups.' })
  nested!: boolean;

  @Field(() => Int, {
    nullable: true,
    defaultValue: NESTED_PAGE_SIZE,
    description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${NESTED_PAGE_SIZE}); page on with \`after\`. A query's estimated cost multiplies the entries' cost by it.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true })
  offset?: number | null;
}
