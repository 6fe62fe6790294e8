/**
 * One filter algebra for users and groups, shared by every front door: GraphQL filter inputs and
 * Crowd search restrictions (POST bodies and CQL) both translate into it, and each store backend
 * compiles it to its own query language. Modelled on LLDAP's single filter type behind GraphQL
 * and LDAP.
 *
 * String matching is case-insensitive, as in Crowd (crowd-rest.md §3.9.6).
 */
export type StringMatch =
  | 'equals'
  | 'startsWith'
  | 'endsWith'
  | 'contains'
  | 'lessThan'
  | 'greaterThan';

export type DateMatch = 'lessThan' | 'greaterThan';

/** Built-in user fields that a filter may test with string matches. */
export const USER_STRING_FIELDS = ['name', 'email', 'firstName', 'lastName', 'displayName', 'externalId'] as const;
export type UserStringField = (typeof USER_STRING_FIELDS)[number];

/** Built-in group fields that a filter may test with string matches. */
export const GROUP_STRING_FIELDS = ['name', 'description', 'externalId'] as const;
export type GroupStringField = (typeof GROUP_STRING_FIELDS)[number];

export type DateField = 'createdAt' | 'updatedAt';

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

export type UserFilter = Filter<UserStringField, 'active'>;
export type GroupFilter = Filter<GroupStringField, 'active' | 'local'>;

export const MATCH_ALL = { kind: 'all' } as const;

/** AND of the given filters, dropping `all` terms; `all` when nothing remains. */
export function andFilters<S extends string, B extends string>(filters: readonly Filter<S, B>[]): Filter<S, B> {
  const terms = filters.filter((f) => f.kind !== 'all');
  if (terms.length === 0) return MATCH_ALL;
  if (terms.length === 1) return terms[0]!;
  return { kind: 'and', of: terms };
}
