/**
 * Search restriction → GraphQL filter variables (`UserFilterInput` / `GroupFilterInput`).
 *
 * Contract (https://developer.atlassian.com/server/crowd/crowd-query-language/):
 * - Known terms, chosen by property *name* (the declared type is not trusted: Jira sends the
 *   right one, and the name alone decides how the field is stored): the fields of
 *   USER_FILTER_FIELDS / GROUP_FILTER_FIELDS (src/domain/filter.ts) by their names, except the
 *   dates, which Crowd calls createdDate and updatedDate (→ createdAt, updatedAt).
 *   Names are matched exactly (Crowd's term keys are case-sensitive).
 * - Any other name is a custom attribute (POST bodies, `unknownPropertyAs: 'attribute'`) or an
 *   INVALID_ARGUMENT (CQL, `'error'`). An attribute is compared as a string whatever its type.
 * - null → `{}` (match all); AND / OR → `{and:[…]}` / `{or:[…]}` (an empty `and` matches all,
 *   an empty `or` matches nothing).
 * - Strings: EXACTLY_MATCHES→equals, STARTS_WITH→startsWith, ENDS_WITH→endsWith,
 *   CONTAINS→contains, LESS_THAN→lessThan, GREATER_THAN→greaterThan, NULL→isEmpty:true,
 *   LESS_THAN_OR_EQUAL / GREATER_THAN_OR_EQUAL → `{or:[{f:{lessThan|greaterThan:v}},{f:{equals:v}}]}`.
 * - Booleans: EXACTLY_MATCHES only; value by Java's `Boolean.valueOf` ("true" in any case → true,
 *   anything else → false).
 * - Dates: see `dateCondition`.
 * - Bounds: at most MAX_SEARCH_TERMS property restrictions and MAX_RESTRICTION_DEPTH levels.
 * Failures: `DirectoryError('INVALID_ARGUMENT', …)` naming the property and the mode, or the bound.
 */
import { DirectoryError } from '../../../src/domain/errors';
import { GROUP_FILTER_FIELDS, USER_FILTER_FIELDS, type FilterField } from '../../../src/domain/filter';
import type {
  AttributeCondition,
  DateCondition,
  GroupFilterInput,
  StringCondition,
  UserFilterInput,
} from '../graphql-types';
import { parseCrowdDate } from './crowd-date';
import {
  invalidRestriction,
  MAX_RESTRICTION_DEPTH,
  type MatchMode,
  type PropertyRestriction,
  type SearchRestriction,
} from './restriction';

export interface TranslateOptions {
  /** POST bodies: `attribute`; CQL: `error` (Crowd 2.4 rejects unknown CQL names). */
  unknownPropertyAs: 'attribute' | 'error';
}

export function restrictionToUserFilter(r: SearchRestriction, o: TranslateOptions): UserFilterInput {
  return translate(r, o, USER_VOCABULARY);
}

export function restrictionToGroupFilter(r: SearchRestriction, o: TranslateOptions): GroupFilterInput {
  return translate(r, o, GROUP_VOCABULARY);
}

// ---------------------------------------------------------------------------------------------
// Vocabularies

type Term<F> =
  | { kind: 'string'; make: (c: StringCondition) => F }
  | { kind: 'boolean'; make: (b: boolean) => F }
  | { kind: 'date'; make: (c: DateCondition) => F };

interface Vocabulary<F> {
  entity: 'user' | 'group';
  terms: ReadonlyMap<string, Term<F>>;
  all: () => F;
  and: (filters: F[]) => F;
  or: (filters: F[]) => F;
  attribute: (c: AttributeCondition) => F;
}

/** Crowd's names of the date terms (`createdDate`); the other terms are named as the fields. */
const CROWD_TERM_NAMES: Readonly<Record<string, string>> = { createdAt: 'createdDate', updatedAt: 'updatedDate' };

/**
 * The terms of a domain field list, each building the filter input field of the same name. `Input`
 * is the operation's generated input type: a list field it does not have fails the build.
 */
function vocabulary<Input>(
  entity: 'user' | 'group',
  fields: readonly (FilterField & { name: keyof Input & string })[],
): Vocabulary<Input> {
  const terms = new Map<string, Term<Input>>();
  for (const { name, kind } of fields) {
    const make = (condition: unknown) => ({ [name]: condition }) as Input;
    terms.set(CROWD_TERM_NAMES[name] ?? name, { kind, make } as Term<Input>);
  }
  return {
    entity,
    terms,
    all: () => ({}) as Input,
    and: (filters) => ({ and: filters }) as Input,
    or: (filters) => ({ or: filters }) as Input,
    attribute: (c) => ({ attributes: [c] }) as Input,
  };
}

const USER_VOCABULARY = vocabulary<UserFilterInput>('user', USER_FILTER_FIELDS);
const GROUP_VOCABULARY = vocabulary<GroupFilterInput>('group', GROUP_FILTER_FIELDS);

// ---------------------------------------------------------------------------------------------
// Translation

/**
 * Most property restrictions in one search. The store answers a search with one SQL statement
 * (src/store/sqlite/filter-sql.ts) that tests every term on every candidate row, and SQLite's
 * planning time grows faster than linearly with the terms, all while the event loop waits:
 * 1,000 terms plan in ~15–35 ms and scan 100k users in seconds at worst; 10,000 take ~1–3 s to
 * plan and ten times as long to scan. Jira's restrictions have a handful of terms.
 */
export const MAX_SEARCH_TERMS = 1_000;

function translate<F>(r: SearchRestriction, o: TranslateOptions, v: Vocabulary<F>): F {
  let terms = 0;
  const visit = (node: SearchRestriction, depth: number): F => {
    // The parsers bound the depth already; CQL counts parentheses, and one pair can hold an OR
    // of ANDs (two levels), so the depth that reaches GraphQL is checked here once more.
    if (depth > MAX_RESTRICTION_DEPTH)
      throw invalidRestriction(`restrictions are nested deeper than ${MAX_RESTRICTION_DEPTH} levels`);
    switch (node.kind) {
      case 'null':
        return v.all();
      case 'boolean': {
        const parts = node.restrictions.map((c) => visit(c, depth + 1));
        return node.logic === 'AND' ? v.and(parts) : v.or(parts);
      }
      case 'property':
        terms += 1;
        if (terms > MAX_SEARCH_TERMS)
          throw invalidRestriction(`more than ${MAX_SEARCH_TERMS} property restrictions in one search`);
        return property(node, o, v);
    }
  };
  return visit(r, 1);
}

function property<F>(r: PropertyRestriction, o: TranslateOptions, v: Vocabulary<F>): F {
  const term = v.terms.get(r.name);
  if (term === undefined) {
    if (o.unknownPropertyAs === 'error') {
      throw invalid(
        `unknown ${v.entity} search property "${r.name}"; known properties: ${[...v.terms.keys()].join(', ')}`,
      );
    }
    return stringTerm(r, (c) => v.attribute({ name: r.name, ...c }), v);
  }
  switch (term.kind) {
    case 'string':
      return stringTerm(r, term.make, v);
    case 'boolean':
      if (r.matchMode !== 'EXACTLY_MATCHES') {
        throw invalid(
          `match mode ${r.matchMode} is not supported for the boolean property "${r.name}"; use EXACTLY_MATCHES`,
        );
      }
      return term.make(javaBooleanValueOf(requireValue(r)));
    case 'date':
      return term.make(dateCondition(r));
  }
}

const STRING_KEYS: Partial<
  Record<MatchMode, 'equals' | 'startsWith' | 'endsWith' | 'contains' | 'lessThan' | 'greaterThan'>
> = {
  EXACTLY_MATCHES: 'equals',
  STARTS_WITH: 'startsWith',
  ENDS_WITH: 'endsWith',
  CONTAINS: 'contains',
  LESS_THAN: 'lessThan',
  GREATER_THAN: 'greaterThan',
};

function stringTerm<F>(r: PropertyRestriction, make: (c: StringCondition) => F, v: Vocabulary<F>): F {
  if (r.matchMode === 'NULL') return make({ isEmpty: true });
  const value = requireValue(r);
  if (r.matchMode === 'LESS_THAN_OR_EQUAL') return v.or([make({ lessThan: value }), make({ equals: value })]);
  if (r.matchMode === 'GREATER_THAN_OR_EQUAL') return v.or([make({ greaterThan: value }), make({ equals: value })]);
  const key = STRING_KEYS[r.matchMode]!;
  return make({ [key]: value });
}

/**
 * Date restrictions. `before` / `after` are strict bounds and stored dates have millisecond
 * resolution, so the inclusive modes move the bound by 1 ms:
 * LESS_THAN → before t; LESS_THAN_OR_EQUAL → before t+1ms; GREATER_THAN → after t;
 * GREATER_THAN_OR_EQUAL → after t−1ms; EXACTLY_MATCHES → after t−1ms and before t+1ms.
 * The other modes mean nothing for a date and are refused.
 */
function dateCondition(r: PropertyRestriction): DateCondition {
  const text = requireValue(r);
  const t = parseCrowdDate(text);
  if (t === undefined) {
    throw invalid(
      `"${text}" is not a valid date for property "${r.name}"; expected yyyy, yyyy-MM, yyyy-MM-dd or yyyy-MM-dd'T'HH:mm:ss.SSS with an optional offset (Z, +hh:mm, +hhmm)`,
    );
  }
  const iso = (ms: number): string => new Date(ms).toISOString();
  switch (r.matchMode) {
    case 'LESS_THAN':
      return { before: iso(t) };
    case 'LESS_THAN_OR_EQUAL':
      return { before: iso(t + 1) };
    case 'GREATER_THAN':
      return { after: iso(t) };
    case 'GREATER_THAN_OR_EQUAL':
      return { after: iso(t - 1) };
    case 'EXACTLY_MATCHES':
      return { after: iso(t - 1), before: iso(t + 1) };
    default:
      throw invalid(
        `match mode ${r.matchMode} is not supported for the date property "${r.name}"; use EXACTLY_MATCHES, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN or GREATER_THAN_OR_EQUAL`,
      );
  }
}

/** Java's `Boolean.valueOf(String)`: true only for "true", ignoring case. */
function javaBooleanValueOf(value: string): boolean {
  return value.toLowerCase() === 'true';
}

function requireValue(r: PropertyRestriction): string {
  if (r.value === undefined) throw invalid(`match mode ${r.matchMode} on property "${r.name}" needs a value`);
  return r.value;
}

function invalid(message: string): DirectoryError {
  return new DirectoryError('INVALID_ARGUMENT', message);
}
