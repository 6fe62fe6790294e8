import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Group } from '../src/domain/group';
import type { User } from '../src/domain/user';
import { GroupConnection, UserConnection, type ConnectionValue } from './types/connections.type';

/** `totalCount` runs its count only when a query selects it. */
@Resolver(() => UserConnection)
export class UserConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() connection: ConnectionValue<User>): Promise<number> | number {
    return connection.countTotal();
  }
}

@Resolver(() => GroupConnection)
export class GroupConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() connection: ConnectionValue<Group>): Promise<number> | number {
    return connection.countTotal();
  }
}
