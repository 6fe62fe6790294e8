import { Field, Int, ObjectType } from 'type-graphql';
import { NameCollision, SyncCounts, SyncDetails } from './sync.type';

@ObjectType('PreviewUser', { simpleResolvers: true })
export class PreviewUserType {
  @Field(() => String) externalId!: string;
  @Field(() => String, { description: 'The Crowd username after projection and collisions.' }) name!: string;
  @Field(() => String, {
    description:
      'The provider value the username was projected from (username.source: login, email or an attribute), before stripDomain, replace and lowercase.',
  })
  usernameSource!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String) email!: string;
  @Field(() => Boolean) active!: boolean;
  @Field(() => [String], { description: 'Direct groups: provider groups, local groups and mapped groups.' })
  groups!: string[];
}

@ObjectType('PreviewGroup', { simpleResolvers: true })
export class PreviewGroupType {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean, { description: 'A local group of the directory (localGroups or groupMappings).' })
  local!: boolean;
  @Field(() => Int, { description: 'Direct user members.' }) members!: number;
}

@ObjectType('PreviewCounts', { simpleResolvers: true })
export class PreviewCountsType {
  @Field(() => Int) users!: number;
  @Field(() => Int) activeUsers!: number;
  @Field(() => Int) inactiveUsers!: number;
  @Field(() => Int) groups!: number;
  @Field(() => Int, { description: 'Direct user and group memberships.' }) memberships!: number;
}

@ObjectType('PreviewPlan', {
  description: 'What saving these settings would change in the directory, as its next run plans it.',
})
export class PreviewPlanType {
  @Field(() => SyncCounts) counts!: SyncCounts;
  @Field(() => SyncDetails, { description: 'Who: each list capped at 1,000 entries.' }) details!: SyncDetails;
}

@ObjectType('DirectoryPreview', {
  description: 'What a directory with these settings would hold, read from its provider now; nothing is written.',
})
export class DirectoryPreviewType {
  @Field(() => PreviewCountsType) counts!: PreviewCountsType;
  @Field(() => [PreviewUserType], { description: 'The first `sample` users by name.' }) users!: PreviewUserType[];
  @Field(() => [PreviewGroupType], { description: 'The first `sample` groups by name.' }) groups!: PreviewGroupType[];
  @Field(() => [NameCollision]) collisions!: NameCollision[];
  @Field(() => Int, { description: 'Upstream users left out by the filters or the deprovisioning policy.' })
  filteredOut!: number;
  @Field(() => Int, { description: 'Upstream users without a value for the username source (left out).' })
  withoutUsername!: number;
  @Field(() => [String]) warnings!: string[];
  @Field(() => PreviewPlanType, { nullable: true, description: 'For a directory that exists (same name): the plan.' })
  plan!: PreviewPlanType | null;
}
