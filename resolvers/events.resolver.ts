import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { DirectoryError } from '../src/domain/errors';
import type { LoggedEvent } from '../src/domain/events';
import type { GraphQLContext } from './context';
import { DirectoryEventFeedType, DirectoryEventType } from './types/event.type';

/**
 * The Crowd event log (`/event`, https://developer.atlassian.com/server/crowd/crowd-rest-resources/) as GraphQL: the current token, and the events after a
 * token for some directories. A token the store cannot continue from (other store instance,
 * outside the retained window, before a reset, malformed) raises EXPIRED_TOKEN: the client must
 * synchronise fully.
 */
@Resolver()
export class EventsResolver {
  @Query(() => String, {
    description: 'The event token of "now": changes applied later are returned by `events(since:)`.',
  })
  eventToken(@Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.store.currentEventToken();
  }

  @Query(() => DirectoryEventFeedType, {
    description: 'Changes applied since `since` to the given directories (default all), oldest first.',
  })
  async events(
    @Arg('since', () => String) since: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('directories', () => [String], { nullable: true }) directories?: string[] | null,
  ): Promise<DirectoryEventFeedType> {
    const ids = ctx.directories.resolve(directories);
    const result = await ctx.store.eventsSince(since, ids);
    if (result.kind === 'expired') {
      throw new DirectoryError(
        'EXPIRED_TOKEN',
        `Event token ${since} is expired or unknown; a full synchronisation is required`,
      );
    }
    return { token: result.token, events: result.events.map((e) => toEventType(e, ctx)) };
  }
}

function toEventType(logged: LoggedEvent, ctx: GraphQLContext): DirectoryEventType {
  const directory = ctx.directories.get(logged.directoryId).name;
  const event = logged.event;
  switch (event.type) {
    case 'user':
      return { type: 'user', operation: event.operation, directory, user: { ...event.user } };
    case 'group':
      return { type: 'group', operation: event.operation, directory, group: { ...event.group } };
    case 'userMembership':
      return {
        type: 'userMembership',
        operation: event.operation,
        directory,
        childUser: event.user,
        parentGroups: [...event.groups],
      };
    case 'groupMembership':
      return {
        type: 'groupMembership',
        operation: event.operation,
        directory,
        group: { name: event.group, description: '', active: true },
        parentGroups: [...event.parents],
        childGroups: [...event.children],
      };
  }
}
