import { DirectoryError } from '../../src/domain/errors';
import {
  andFilters,
  fieldsOfKind,
  GROUP_FILTER_FIELDS,
  USER_FILTER_FIELDS,
  type DateField,
  type Filter,
  type FieldsOfKind,
  type FilterField,
  type GroupFilter,
  type UserFilter,
} from '../../src/domain/filter';
import type {
  AttributeCondition,
  DateCondition,
  GroupFilterInput,
  StringCondition,
  UserFilterInput,
} from './filter.input';

/**
 * Depth bound for nested and/or: a hostile query cannot make the translation or the SQL explode.
 * (Before this translation, /graphql refuses input nested deeper than `graphql.maxInputDepth`
 * levels — src/graphql/document-shape.ts — so graphql-js's recursive coercion is safe too.)
 */
const MAX_FILTER_DEPTH = 16;

/** Translates the GraphQL filter input into the domain filter algebra (see src/domain/filter.ts). */
export function toUserFilter(input: UserFilterInput | null | undefined): UserFilter {
  return translate(input, USER_FIELDS, 'filter', 0);
}

export function toGroupFilter(input: GroupFilterInput | null | undefined): GroupFilter {
  return translate(input, GROUP_FIELDS, 'filter', 0);
}

interface Fields<S extends string, B extends string, D extends DateField> {
  readonly strings: readonly S[];
  readonly booleans: readonly B[];
  readonly dates: readonly D[];
}

function fieldsFor<F extends readonly FilterField[]>(
  fields: F,
): Fields<FieldsOfKind<F, 'string'>, FieldsOfKind<F, 'boolean'>, FieldsOfKind<F, 'date'> & DateField> {
  // Every date field of the domain's lists is a DateField (that union is made of them).
  const dates = fieldsOfKind(fields, 'date') as (FieldsOfKind<F, 'date'> & DateField)[];
  return { strings: fieldsOfKind(fields, 'string'), booleans: fieldsOfKind(fields, 'boolean'), dates };
}

const USER_FIELDS = fieldsFor(USER_FILTER_FIELDS);
const GROUP_FIELDS = fieldsFor(GROUP_FILTER_FIELDS);

/** A filter input as type-graphql hands it over: the list fields of filter.input.ts and the built-in fields. */
type FilterInput<S extends string, B extends string, D extends DateField> = {
  and?: FilterInput<S, B, D>[];
  or?: FilterInput<S, B, D>[];
  attributes?: AttributeCondition[];
} & { [K in S]?: StringCondition } & { [K in B]?: boolean } & { [K in D]?: DateCondition };

function translate<S extends string, B extends string, D extends DateField>(
  input: FilterInput<S, B, D> | null | undefined,
  fields: Fields<S, B, D>,
  path: string,
  depth: number,
): Filter<S, B> {
  if (!input) return { kind: 'all' };
  if (depth > MAX_FILTER_DEPTH) {
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${path}: filter nesting deeper than ${MAX_FILTER_DEPTH} levels of and/or`,
    );
  }
  const terms: Filter<S, B>[] = [];
  for (const field of fields.strings) {
    const condition = input[field] as StringCondition | undefined;
    if (condition) {
      const empty: Filter<S, B> = { kind: 'empty', field };
      terms.push(...stringTerms<S, B>(condition, (match, value) => ({ kind: 'string', field, match, value }), empty));
    }
  }
  for (const field of fields.booleans) {
    const value = input[field] as boolean | undefined | null;
    if (value !== undefined && value !== null) terms.push({ kind: 'boolean', field, value });
  }
  for (const field of fields.dates) {
    const condition = input[field] as DateCondition | undefined;
    if (condition?.before) terms.push({ kind: 'date', field, match: 'lessThan', value: condition.before });
    if (condition?.after) terms.push({ kind: 'date', field, match: 'greaterThan', value: condition.after });
  }
  for (const attribute of input.attributes ?? []) {
    const { name } = attribute;
    // An attribute is empty when it has no value at all; `contains ''` matches any value.
    const empty: Filter<S, B> = { kind: 'not', filter: { kind: 'attribute', name, match: 'contains', value: '' } };
    terms.push(...stringTerms<S, B>(attribute, (match, value) => ({ kind: 'attribute', name, match, value }), empty));
  }
  if (input.and) terms.push(andFilters(input.and.map((f, i) => translate(f, fields, `${path}.and[${i}]`, depth + 1))));
  if (input.or)
    terms.push({ kind: 'or', of: input.or.map((f, i) => translate(f, fields, `${path}.or[${i}]`, depth + 1)) });
  return andFilters(terms);
}

type Match = 'equals' | 'startsWith' | 'endsWith' | 'contains' | 'lessThan' | 'greaterThan';
const MATCHES: readonly Match[] = ['equals', 'startsWith', 'endsWith', 'contains', 'lessThan', 'greaterThan'];

function stringTerms<S extends string, B extends string>(
  condition: StringCondition,
  term: (match: Match, value: string) => Filter<S, B>,
  empty: Filter<S, B>,
): Filter<S, B>[] {
  const terms: Filter<S, B>[] = [];
  for (const match of MATCHES) {
    const value = condition[match];
    if (value !== undefined && value !== null) terms.push(term(match, value));
  }
  if (condition.isEmpty === true) terms.push(empty);
  if (condition.isEmpty === false) terms.push({ kind: 'not', filter: empty });
  return terms;
}
