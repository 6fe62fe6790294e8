import { Field, ObjectType } from 'type-graphql';

@ObjectType('ConnectionReport', {
  description: "A directory's connection test: can crowdgate read its identity provider?",
})
export class ConnectionReportType {
  @Field(() => Boolean, { description: 'True when every check passed: users, groups and members can be read.' })
  ok!: boolean;

  @Field(() => [String], {
    description: 'One finding per line, naming what is wrong (a key, a permission, a scope); never a secret.',
  })
  messages!: string[];
}
