import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Conditions on a text field; every condition set must hold. Case-insensitive.' })
export class StringCondition {
  @Field(() => String, { nullable: true })
  equals?: string;

  @Field(() => String, { nullable: true })
  startsWith?: string;

  @Field(() => String, { nullable: true })
  endsWith?: string;

  @Field(() => String, { nullable: true })
  contains?: string;

  @Field(() => String, { nullable: true, description: 'Sorts before the value (case-folded, code-point order).' })
  lessThan?: string;

  @Field(() => String, { nullable: true, description: 'Sorts after the value (case-folded, code-point order).' })
  greaterThan?: string;

  @Field(() => Boolean, { nullable: true, description: 'true: the field is empty; false: it is not.' })
  isEmpty?: boolean;
}

@InputType({ description: 'Conditions on a date-time field; both bounds are exclusive.' })
export class DateCondition {
  @Field(() => Date, { nullable: true })
  before?: Date;

  @Field(() => Date, { nullable: true })
  after?: Date;
}

@InputType({ description: 'Conditions on a custom attribute: true when any of its values matches.' })
export class AttributeCondition extends StringCondition {
  @Field(() => String)
  name!: string;
}

@InputType({ description: 'Every field that is set must hold; `and` / `or` combine nested filters.' })
export class UserFilterInput {
  @Field(() => [UserFilterInput], { nullable: true })
  and?: UserFilterInput[];

  @Field(() => [UserFilterInput], { nullable: true })
  or?: UserFilterInput[];

  @Field(() => StringCondition, { nullable: true })
  name?: StringCondition;

  @Field(() => StringCondition, { nullable: true })
  email?: StringCondition;

  @Field(() => StringCondition, { nullable: true })
  firstName?: StringCondition;

  @Field(() => StringCondition, { nullable: true })
  lastName?: StringCondition;

  @Field(() => StringCondition, { nullable: true })
  displayName?: StringCondition;

  @Field(() => StringCondition, { nullable: true })
  externalId?: StringCondition;

  @Field(() => Boolean, { nullable: true })
  active?: boolean;

  @Field(() => DateCondition, { nullable: true })
  createdAt?: DateCondition;

  @Field(() => DateCondition, { nullable: true })
  updatedAt?: DateCondition;

  @Field(() => [AttributeCondition], { nullable: true })
  attributes?: AttributeCondition[];
}

@InputType({ description: 'Every field that is set must hold; `and` / `or` combine nested filters.' })
export class GroupFilterInput {
  @Field(() => [GroupFilterInput], { nullable: true })
  and?: GroupFilterInput[];

  @Field(() => [GroupFilterInput], { nullable: true })
  or?: GroupFilterInput[];

  @Field(() => StringCondition, { nullable: true })
  name?: StringCondition;

  @Field(() => StringCondition, { nullable: true })
  description?: StringCondition;

  @Field(() => StringCondition, { nullable: true })
  externalId?: StringCondition;

  @Field(() => Boolean, { nullable: true })
  active?: boolean;

  @Field(() => Boolean, { nullable: true })
  local?: boolean;

  @Field(() => DateCondition, { nullable: true })
  createdAt?: DateCondition;

  @Field(() => DateCondition, { nullable: true })
  updatedAt?: DateCondition;

  @Field(() => [AttributeCondition], { nullable: true })
  attributes?: AttributeCondition[];
}
