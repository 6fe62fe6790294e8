import { Field, ObjectType } from 'type-graphql';
import type { Attributes } from '../../src/domain/user';

@ObjectType({ description: 'A multi-valued attribute, as Crowd models them.', simpleResolvers: true })
export class Attribute {
  @Field(() => String)
  name!: string;

  @Field(() => [String])
  values!: string[];
}

/** Attributes ordered by name, as Crowd lists them. */
export function toAttributeList(attributes: Attributes): Attribute[] {
  return Object.keys(attributes)
    .sort()
    .map((name) => ({ name, values: [...(attributes[name] ?? [])] }));
}
