/**
 * One filter algebra for users and groups, shared by every front door: GraphQL filter inputs and
 * Crowd search restrictions (POST bodies and CQL) both translate into it, and each store backend
 * compiles it to its own query language. Modelled on LLDAP's single filter type behind GraphQL
 * and LDAP.
 *
 * String matching is case-insensitive, as in Crowd's search restrictions
 * (https://developer.atlassian.com/server/crowd/crowd-query-language/).
 */
export type StringMatch = 'equals' | 'startsWith' | 'endsWith' | 'contains' | 'lessThan' | 'greaterThan';

type DateMatch = 'lessThan' | 'greaterThan';

/**
 * How a filter tests a built-in field: `string` fields take the string matches and the empty test
 * (case-insensitive), `boolean` fields an exact value, `date` fields strict before/after bounds.
 */
export type FilterFieldKind = 'string' | 'boolean' | 'date';

export interface FilterField {
  readonly name: string;
  readonly kind: FilterFieldKind;
}

/**
 * The built-in user fields a filter may test. The front doors and the store derive their field
 * lists from it: the GraphQL `UserFilterInput` (resolvers/inputs/filter.input.ts), the Crowd search
 * terms (facades/crowd/search/to-filter.ts) and each backend's column map, typed by the unions below.
 */
export const USER_FILTER_FIELDS = [
  { name: 'name', kind: 'string' },
  { name: 'email', kind: 'string' },
  { name: 'firstName', kind: 'string' },
  { name: 'lastName', kind: 'string' },
  { name: 'displayName', kind: 'string' },
  { name: 'externalId', kind: 'string' },
  { name: 'active', kind: 'boolean' },
  { name: 'createdAt', kind: 'date' },
  { name: 'updatedAt', kind: 'date' },
] as const satisfies readonly FilterField[];

/** The built-in group fields a filter may test; see USER_FILTER_FIELDS. */
export const GROUP_FILTER_FIELDS = [
  { name: 'name', kind: 'string' },
  { name: 'description', kind: 'string' },
  { name: 'externalId', kind: 'string' },
  { name: 'active', kind: 'boolean' },
  { name: 'local', kind: 'boolean' },
  { name: 'createdAt', kind: 'date' },
  { name: 'updatedAt', kind: 'date' },
] as const satisfies readonly FilterField[];

/** The names of the fields of one kind in a field list. */
export type FieldsOfKind<Fields extends readonly FilterField[], Kind extends FilterFieldKind> = Extract<
  Fields[number],
  { kind: Kind }
>['name'];

export function fieldsOfKind<Fields extends readonly FilterField[], Kind extends FilterFieldKind>(
  fields: Fields,
  kind: Kind,
): FieldsOfKind<Fields, Kind>[] {
  return fields.filter((f) => f.kind === kind).map((f) => f.name as FieldsOfKind<Fields, Kind>);
}

export type UserStringField = FieldsOfKind<typeof USER_FILTER_FIELDS, 'string'>;
export type UserBooleanField = FieldsOfKind<typeof USER_FILTER_FIELDS, 'boolean'>;
export type GroupStringField = FieldsOfKind<typeof GROUP_FILTER_FIELDS, 'string'>;
export type GroupBooleanField = FieldsOfKind<typeof GROUP_FILTER_FIELDS, 'boolean'>;
export type DateField = FieldsOfKind<typeof USER_FILTER_FIELDS | typeof GROUP_FILTER_FIELDS, 'date'>;

export type Filter<StringField extends string, BooleanField extends string> =
  | { readonly kind: 'all' }
  | { readonly kind: 'and'; readonly of: readonly Filter<StringField, BooleanField>[] }
  | { readonly kind: 'or'; readonly of: readonly Filter<StringField, BooleanField>[] }
  | { readonly kind: 'not'; readonly filter: Filter<StringField, BooleanField> }
  | { readonly kind: 'string'; readonly field: StringField; readonly match: StringMatch; readonly value: string }
  /** True when the field is empty (Crowd's `NULL` match mode). */
  | { readonly kind: 'empty'; readonly field: StringField }
  | { readonly kind: 'boolean'; readonly field: BooleanField; readonly value: boolean }
  | { readonly kind: 'date'; readonly field: DateField; readonly match: DateMatch; readonly value: Date }
  /** A custom attribute: true when any of its values matches. */
  | { readonly kind: 'attribute'; readonly name: string; readonly match: StringMatch; readonly value: string };

export type UserFilter = Filter<UserStringField, UserBooleanField>;
export type GroupFilter = Filter<GroupStringField, GroupBooleanField>;

const MATCH_ALL = { kind: 'all' } as const;

/** AND of the given filters, dropping `all` terms; `all` when nothing remains. */
export function andFilters<S extends string, B extends string>(filters: readonly Filter<S, B>[]): Filter<S, B> {
  const terms = filters.filter((f) => f.kind !== 'all');
  if (terms.length === 0) return MATCH_ALL;
  if (terms.length === 1) return terms[0]!;
  return { kind: 'and', of: terms };
}
