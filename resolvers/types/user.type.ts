// Plain data fields resolve without type-graphql's per-field wrapper (simpleResolvers: no middleware is used); field resolvers are unaffected.
import { Field, ObjectType } from 'type-graphql';

@ObjectType('User', {
  description: 'A user of a directory. Identity is `key`; `name` may change (rename).',
  simpleResolvers: true,
})
export class UserType {
  @Field(() => String, { description: 'Crowd username: unique per directory case-insensitively, stored case.' })
  name!: string;

  @Field(() => String, { description: "The provider's immutable id." })
  externalId!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String)
  email!: string;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}
