/**
 * The Crowd search restriction as a small AST, and the parsers for the two POST /search body
 * forms: JAXB XML and Jackson JSON (https://developer.atlassian.com/server/crowd/json-requests-and-responses/).
 *
 * Contract:
 * - XML: `<null-search-restriction/>`, `<property-search-restriction>` (`<property><name/><type/>
 *   </property><match-mode/>[<value/>]`), `<boolean-search-restriction boolean-logic="AND|OR">
 *   <restrictions>…</restrictions>`. Unknown child elements are ignored, as JAXB does.
 * - JSON: the same with keys `property`, `match-mode` (or `matchMode`), `value`, `boolean-logic`
 *   (or `booleanLogic`), `restrictions`; `restriction-type` is optional when the shape says it
 *   (older clients omit it); `{}` is the null restriction; a body wrapped in its root
 *   name (`{"property-search-restriction":{…}}`) is unwrapped.
 * - Property type is case-insensitive (STRING | BOOLEAN | DATE); boolean logic is case-insensitive
 *   (Crowd uses `toUpperCase`); match modes are exact enum names (as JAXB reads enums).
 * - A value is required for every match mode but NULL; a NULL restriction never carries one.
 * - Names, types and match modes are trimmed (JAXB collapses enum whitespace; pretty-printed
 *   bodies indent); values are kept exactly as sent.
 * - Nesting is limited to MAX_RESTRICTION_DEPTH levels and MAX_RESTRICTION_NODES restrictions.
 * Every failure is `DirectoryError('INVALID_ARGUMENT', 'Search restriction is invalid: …')`.
 */
import { DirectoryError } from '../../../src/domain/errors';
import type { XmlElement } from '../codec/xml-reader';

/** Crowd's property match modes (the search-restriction `match-mode`), as the REST API spells them. */
export const MATCH_MODES = [
  'EXACTLY_MATCHES',
  'STARTS_WITH',
  'ENDS_WITH',
  'CONTAINS',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'NULL',
] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

const PROPERTY_TYPES = ['STRING', 'BOOLEAN', 'DATE'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export type BooleanLogic = 'AND' | 'OR';

export type SearchRestriction =
  | { kind: 'null' }
  | { kind: 'property'; name: string; type: PropertyType; matchMode: MatchMode; value?: string }
  | { kind: 'boolean'; logic: BooleanLogic; restrictions: SearchRestriction[] };

export type PropertyRestriction = Extract<SearchRestriction, { kind: 'property' }>;

/**
 * Deepest nesting of restrictions accepted (the root counts as 1). The restriction becomes a
 * GraphQL filter one level per boolean, plus one for `LESS_THAN_OR_EQUAL` / `GREATER_THAN_OR_EQUAL`
 * on strings (an `or`), and the schema refuses filters nested deeper than 16 levels
 * (resolvers/inputs/to-filter.ts): 16 here keeps every accepted restriction within it, so the
 * client gets this message rather than GraphQL's. Jira's restrictions are 1–3 levels deep.
 */
export const MAX_RESTRICTION_DEPTH = 16;
/**
 * Most restrictions (of any kind) in one body: bounds the parsers' work. What a search may hold
 * is bounded further when it becomes a filter (MAX_SEARCH_TERMS in to-filter.ts).
 */
export const MAX_RESTRICTION_NODES = 10_000;

export const NULL_RESTRICTION: SearchRestriction = { kind: 'null' };

export function invalidRestriction(reason: string): DirectoryError {
  return new DirectoryError('INVALID_ARGUMENT', `Search restriction is invalid: ${reason}`);
}

/** Counts nodes and depth while a body is walked; shared by both parsers and CQL. */
export class RestrictionBudget {
  private nodes = 0;

  enter(depth: number): void {
    if (depth > MAX_RESTRICTION_DEPTH) {
      throw invalidRestriction(`restrictions are nested deeper than ${MAX_RESTRICTION_DEPTH} levels`);
    }
    this.nodes += 1;
    if (this.nodes > MAX_RESTRICTION_NODES) {
      throw invalidRestriction(`more than ${MAX_RESTRICTION_NODES} restrictions`);
    }
  }
}

/** Builds a property restriction, checking the enum spellings and the value rule. */
export function propertyRestriction(
  name: string,
  rawType: string,
  rawMatchMode: string,
  value: string | undefined,
): PropertyRestriction {
  if (name === '') throw invalidRestriction('the property name is missing');
  const type = rawType.toUpperCase();
  if (!isOneOf(PROPERTY_TYPES, type)) {
    throw invalidRestriction(
      `unknown property type "${rawType}" for property "${name}"; expected STRING, BOOLEAN or DATE`,
    );
  }
  if (!isOneOf(MATCH_MODES, rawMatchMode)) {
    throw invalidRestriction(
      `unknown match mode "${rawMatchMode}" for property "${name}"; expected one of ${MATCH_MODES.join(', ')}`,
    );
  }
  if (rawMatchMode === 'NULL') return { kind: 'property', name, type, matchMode: rawMatchMode };
  if (value === undefined) throw invalidRestriction(`match mode ${rawMatchMode} on property "${name}" needs a value`);
  return { kind: 'property', name, type, matchMode: rawMatchMode, value };
}

function booleanLogic(raw: string): BooleanLogic {
  const logic = raw.trim().toUpperCase();
  if (logic !== 'AND' && logic !== 'OR') throw invalidRestriction(`unknown boolean logic "${raw}"; expected AND or OR`);
  return logic;
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// XML

export function parseXmlRestriction(root: XmlElement): SearchRestriction {
  return xmlRestriction(root, 1, new RestrictionBudget());
}

function xmlRestriction(el: XmlElement, depth: number, budget: RestrictionBudget): SearchRestriction {
  budget.enter(depth);
  switch (el.name) {
    case 'null-search-restriction':
      return NULL_RESTRICTION;
    case 'property-search-restriction': {
      const property = requiredChild(el, 'property');
      const name = requiredChild(property, 'name').text.trim();
      const type = requiredChild(property, 'type').text.trim();
      const matchMode = requiredChild(el, 'match-mode').text.trim();
      return propertyRestriction(name, type, matchMode, child(el, 'value')?.text);
    }
    case 'boolean-search-restriction': {
      const logic = el.attributes['boolean-logic'];
      if (logic === undefined) throw invalidRestriction('<boolean-search-restriction> has no boolean-logic attribute');
      const list = child(el, 'restrictions');
      return {
        kind: 'boolean',
        logic: booleanLogic(logic),
        restrictions: (list?.children ?? []).map((c) => xmlRestriction(c, depth + 1, budget)),
      };
    }
    default:
      throw invalidRestriction(
        `unknown element <${el.name}>; expected <null-search-restriction>, <property-search-restriction> or <boolean-search-restriction>`,
      );
  }
}

function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

function requiredChild(el: XmlElement, name: string): XmlElement {
  const found = child(el, name);
  if (!found) throw invalidRestriction(`<${el.name}> has no <${name}> element`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// JSON

type RestrictionType = 'null-search-restriction' | 'property-search-restriction' | 'boolean-search-restriction';
const RESTRICTION_TYPES: readonly RestrictionType[] = [
  'null-search-restriction',
  'property-search-restriction',
  'boolean-search-restriction',
];

type JsonRecord = Record<string, unknown>;

export function parseJsonRestriction(body: unknown): SearchRestriction {
  return jsonRestriction(body, 1, new RestrictionBudget());
}

function jsonRestriction(body: unknown, depth: number, budget: RestrictionBudget): SearchRestriction {
  budget.enter(depth);
  const object = asRecord(body, 'a restriction must be a JSON object');
  const { type, fields } = restrictionType(object);
  switch (type) {
    case 'null-search-restriction':
      return NULL_RESTRICTION;
    case 'property-search-restriction': {
      const property = asRecord(fields['property'], 'a property restriction needs a "property" object');
      const name = requiredString(property, 'name', 'property.name').trim();
      const propertyType = requiredString(property, 'type', 'property.type').trim();
      const matchMode = stringField(fields, ['match-mode', 'matchMode']);
      if (matchMode === undefined) throw invalidRestriction(`property restriction on "${name}" has no "match-mode"`);
      return propertyRestriction(name, propertyType, matchMode.trim(), jsonValue(fields['value'], name));
    }
    case 'boolean-search-restriction': {
      const logic = stringField(fields, ['boolean-logic', 'booleanLogic']);
      if (logic === undefined) throw invalidRestriction('a boolean restriction needs "boolean-logic"');
      const list = fields['restrictions'];
      if (list !== undefined && list !== null && !Array.isArray(list)) {
        throw invalidRestriction('"restrictions" must be an array');
      }
      const items: readonly unknown[] = Array.isArray(list) ? list : [];
      return {
        kind: 'boolean',
        logic: booleanLogic(logic),
        restrictions: items.map((item) => jsonRestriction(item, depth + 1, budget)),
      };
    }
  }
}

/** The restriction type: explicit, from a root-name wrapper, or inferred from the keys present. */
function restrictionType(object: JsonRecord): { type: RestrictionType; fields: JsonRecord } {
  const explicit = object['restriction-type'];
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || !isOneOf(RESTRICTION_TYPES, explicit)) {
      throw invalidRestriction(
        `unknown restriction-type ${JSON.stringify(explicit)}; expected ${RESTRICTION_TYPES.join(', ')}`,
      );
    }
    return { type: explicit, fields: object };
  }
  const keys = Object.keys(object);
  if (keys.length === 1 && isOneOf(RESTRICTION_TYPES, keys[0]!)) {
    const inner = object[keys[0]!];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      return { type: keys[0] as RestrictionType, fields: inner as JsonRecord };
    }
  }
  if (Object.hasOwn(object, 'property')) return { type: 'property-search-restriction', fields: object };
  if (['boolean-logic', 'booleanLogic', 'restrictions'].some((k) => Object.hasOwn(object, k))) {
    return { type: 'boolean-search-restriction', fields: object };
  }
  if (keys.length === 0) return { type: 'null-search-restriction', fields: object };
  throw invalidRestriction(
    `cannot tell the restriction type from the keys ${keys.map((k) => JSON.stringify(k)).join(', ')}`,
  );
}

function asRecord(value: unknown, message: string): JsonRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidRestriction(message);
  return value as JsonRecord;
}

function stringField(object: JsonRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw invalidRestriction(`"${key}" must be a string`);
    return value;
  }
  return undefined;
}

function requiredString(object: JsonRecord, key: string, path: string): string {
  const value = stringField(object, [key]);
  if (value === undefined) throw invalidRestriction(`"${path}" is missing`);
  return value;
}

/** Values are strings on the wire; numbers and booleans are accepted and kept in their JSON spelling. */
function jsonValue(value: unknown, property: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidRestriction(`the value of property "${property}" must be a string`);
}
