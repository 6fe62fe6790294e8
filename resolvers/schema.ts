import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { GroupConnectionResolver, UserConnectionResolver } from './connection.resolver';
import { ApplicationAdminResolver } from './admin/application-admin.resolver';
import { DirectoryAdminResolver } from './admin/directory-admin.resolver';
import { SessionResolver } from './admin/session.resolver';
import { TokenAdminResolver } from './admin/token-admin.resolver';
import { GroupResolver } from './group.resolver';
import { SyncResolver } from './sync.resolver';
import { SyncProgressSubscription } from './sync-progress.subscription';
import { UserResolver } from './user.resolver';
import { AuthenticationResolver } from './authentication.resolver';
import { ConnectionTestResolver } from './connection-test.resolver';
import { DateTimeISO } from './date-time-scalar';
import { withDirectResolvers } from './direct-resolvers';
import { EventsResolver } from './events.resolver';
import { GroupMemberNamesResolver, UserMemberNamesResolver } from './member-names.resolver';
import { LoginLimitsResolver } from './login-limits.resolver';

const NO_TOPICS: PubSub = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error('crowdgate subscriptions have their own subscribe function; topics are not used');
  },
};

/**
 * Builds the one GraphQL schema of crowdgate from the type-graphql classes, with direct resolve
 * functions for the hottest lookups (direct-resolvers.ts) unless `direct` is false.
 */
export async function buildCrowdgateSchema({ direct = true }: { direct?: boolean } = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      UserResolver,
      GroupResolver,
      DirectoryAdminResolver,
      ApplicationAdminResolver,
      TokenAdminResolver,
      SessionResolver,
      UserConnectionResolver,
      GroupConnectionResolver,
      SyncResolver,
      SyncProgressSubscription,
      EventsResolver,
      AuthenticationResolver,
      ConnectionTestResolver,
      UserMemberNamesResolver,
      GroupMemberNamesResolver,
      LoginLimitsResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
    // type-graphql wants a PubSub before it builds any subscription; ours bring their own
    // `subscribe` (sync-progress.subscription.ts), so topics are never used.
    pubSub: NO_TOPICS,
    validate: false,
  });
  return direct ? withDirectResolvers(schema) : schema;
}

/** The SDL checked in at schema/schema.graphql (sorted, so diffs are stable). */
export function printCrowdgateSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
