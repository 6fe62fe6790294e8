import { Field, InputType } from 'type-graphql';

@InputType('ApplicationInput', {
  description: 'An `applications:` entry of the configuration file, with the password in clear (stored hashed).',
})
export class ApplicationInput {
  @Field(() => String, { description: 'The application name Jira, Confluence or Bitbucket logs in with.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Write-only. Left out: generated on create (answered once), unchanged on update.',
  })
  password?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'CIDRs such as 10.0.0.0/8 allowed to call as this application. Left out: loopback on create, unchanged on update.',
  })
  allowedAddresses?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Directories it sees, in precedence order. Left out on update: unchanged.',
  })
  directories?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Left out: enabled on create, unchanged on update.' })
  enabled?: boolean | null;
}
