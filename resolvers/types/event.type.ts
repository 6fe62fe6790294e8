import { Field, ObjectType } from 'type-graphql';

/** A user as an event recorded it when the change was applied (not a live lookup). */
@ObjectType('EventUser', { description: 'The user as it was when the change was applied.', simpleResolvers: true })
class EventUserType {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Crowd key `{directoryId}:{externalId}`.' }) key!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String) email!: string;
  @Field(() => Boolean) active!: boolean;
}

@ObjectType('EventGroup', { description: 'The group as it was when the change was applied.', simpleResolvers: true })
class EventGroupType {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean) active!: boolean;
}

/**
 * One Crowd change event (Crowd `/event`: https://developer.atlassian.com/server/crowd/crowd-rest-resources/). By `type`:
 * - `user` / `group`: `operation` and the complete `user` / `group`;
 * - `userMembership` (UPDATED): `childUser` and `parentGroups`, the user's complete direct groups;
 * - `groupMembership` (UPDATED): `group` (name only), its complete `parentGroups` and `childGroups`.
 */
@ObjectType('DirectoryEvent', { simpleResolvers: true })
export class DirectoryEventType {
  @Field(() => String, { description: 'user | group | userMembership | groupMembership' }) type!: string;
  @Field(() => String, { description: 'CREATED | UPDATED | DELETED' }) operation!: string;
  @Field(() => String, { description: 'Directory the change belongs to.' }) directory!: string;
  @Field(() => EventUserType, { nullable: true }) user?: EventUserType | null;
  @Field(() => EventGroupType, { nullable: true }) group?: EventGroupType | null;
  @Field(() => String, { nullable: true, description: 'userMembership: the user.' }) childUser?: string | null;
  @Field(() => [String], { nullable: true }) parentGroups?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'groupMembership: the child groups.' }) childGroups?:
    string[] | null;
}

@ObjectType('DirectoryEventFeed', { simpleResolvers: true })
export class DirectoryEventFeedType {
  @Field(() => String, { description: 'Token to ask for the events after these.' }) token!: string;
  @Field(() => [DirectoryEventType]) events!: DirectoryEventType[];
}
