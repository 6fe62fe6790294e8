import { Field, InputType } from 'type-graphql';
import { GROUP_FILTER_FIELDS, USER_FILTER_FIELDS, type FilterField } from '../../src/domain/filter';

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

const FILTER_DESCRIPTION = 'Every field that is set must hold; `and` / `or` combine nested filters.';

@InputType({ description: FILTER_DESCRIPTION })
export class UserFilterInput {
  @Field(() => [UserFilterInput], { nullable: true })
  and?: UserFilterInput[];

  @Field(() => [UserFilterInput], { nullable: true })
  or?: UserFilterInput[];

  @Field(() => [AttributeCondition], { nullable: true })
  attributes?: AttributeCondition[];
}

@InputType({ description: FILTER_DESCRIPTION })
export class GroupFilterInput {
  @Field(() => [GroupFilterInput], { nullable: true })
  and?: GroupFilterInput[];

  @Field(() => [GroupFilterInput], { nullable: true })
  or?: GroupFilterInput[];

  @Field(() => [AttributeCondition], { nullable: true })
  attributes?: AttributeCondition[];
}

/** The GraphQL input type of each kind of built-in field. */
const CONDITION_TYPES = { string: StringCondition, boolean: Boolean, date: DateCondition } as const;

/**
 * The built-in fields of the domain's field lists, declared on the input classes as `@Field`s
 * would: one optional field per entry, of its kind's condition type. The translation to the
 * domain filter (to-filter.ts) reads them by the same lists.
 */
function declareFilterFields(input: { prototype: object }, fields: readonly FilterField[]): void {
  for (const { name, kind } of fields) Field(() => CONDITION_TYPES[kind], { nullable: true })(input.prototype, name);
}

declareFilterFields(UserFilterInput, USER_FILTER_FIELDS);
declareFilterFields(GroupFilterInput, GROUP_FILTER_FIELDS);
