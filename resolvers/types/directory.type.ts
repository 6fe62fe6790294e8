import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('Directory', { description: 'A configured user directory, synchronised from one provider tenant.' })
export class DirectoryType {
  @Field(() => Int, { description: 'Store id; part of every user key of this directory.' })
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'entra, google, okta or demo.' })
  provider!: string;

  @Field(() => Int, { description: 'Precedence: lower wins when a name exists in two directories.' })
  position!: number;
}
