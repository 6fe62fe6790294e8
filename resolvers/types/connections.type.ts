import { Field, Int, ObjectType } from 'type-graphql';
import type { Group } from '../../src/domain/group';
import type { User } from '../../src/domain/user';
import { GroupType } from './group.type';
import { PageInfo } from './page-info.type';
import { UserType } from './user.type';

/**
 * A page of a list. `totalCount` is resolved only when selected: for top-level searches it costs
 * a count query, for member lists it is the length of the already loaded list.
 */
export interface ConnectionValue<T> {
  nodes: T[];
  pageInfo: PageInfo;
  countTotal: () => Promise<number> | number;
}

@ObjectType({ description: 'A page of users ordered by case-folded name.' })
export class UserConnection {
  @Field(() => [UserType])
  nodes!: User[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of users in the whole list, not just this page.' })
  totalCount!: number;
}

@ObjectType({ description: 'A page of groups ordered by case-folded name.' })
export class GroupConnection {
  @Field(() => [GroupType])
  nodes!: Group[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of groups in the whole list, not just this page.' })
  totalCount!: number;
}
