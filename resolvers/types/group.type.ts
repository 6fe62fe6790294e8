import { Field, ObjectType } from 'type-graphql';

@ObjectType('Group', {
  description: 'A group of a directory: from the provider, or local (from configuration).',
  simpleResolvers: true,
})
export class GroupType {
  @Field(() => String, { description: 'Crowd group name: unique per directory case-insensitively, stored case.' })
  name!: string;

  @Field(() => String, { description: "The provider's immutable id; `local:<name>` for local groups." })
  externalId!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => Boolean, { description: 'True for groups created from configuration (localGroups).' })
  local!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}
