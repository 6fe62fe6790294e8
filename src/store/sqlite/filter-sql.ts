import { DirectoryError } from '../../domain/errors';
import { foldName } from '../../domain/names';
import type { DateField, Filter, StringMatch } from '../../domain/filter';

/** A compiled WHERE fragment with its positional parameters. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * Column map of one entity table: for each string field, a SQL expression that yields the
 * *folded* value (so comparisons are case-insensitive), and the boolean columns.
 */
export interface FilterColumns<S extends string, B extends string> {
  readonly alias: string;
  readonly strings: Readonly<Record<S, string>>;
  readonly booleans: Readonly<Record<B, string>>;
}

/**
 * Bound parameters a filter may use: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32,766, as
 * better-sqlite3 builds it) less a few for the query around the filter (directories, cursor,
 * limit, offset). A larger filter is an INVALID_ARGUMENT, never a SQLite error.
 */
const MAX_FILTER_PARAMETERS = 32_766 - 16;

const DATE_COLUMNS: Readonly<Record<DateField, string>> = { createdAt: 'created_at', updatedAt: 'updated_at' };

/**
 * Compiles the domain filter algebra to SQLite. Values are folded the same way as the columns.
 * Built to stay inside SQLite's limits whatever the filter's size (the Crowd facade passes up to
 * 1,000 terms, GraphQL callers any number; SQLite refuses expression trees deeper than
 * SQLITE_MAX_EXPR_DEPTH = 1000, LIKE patterns over SQLITE_MAX_LIKE_PATTERN_LENGTH = 50,000 bytes,
 * and more than 32,766 parameters). Planning time still grows faster than linearly with the terms
 * (~1 s for 10,000): callers bound the number of terms.
 *
 * - AND / OR lists are written as balanced trees, so a list of n terms is log2(n) deep, not n;
 *   nested lists of the same kind are flattened first.
 * - Within an OR, `equals` terms on the same field become one `IN (SELECT … json_each(?))` (one
 *   parameter, any number of values), and terms on the same attribute share one `EXISTS`
 *   (∃v P(v) ∨ ∃v Q(v) ≡ ∃v (P(v) ∨ Q(v))).
 * - startsWith / endsWith / contains compare UTF-8 bytes (`substr` / `instr` on BLOBs) instead of
 *   LIKE: no pattern length limit, no wildcard escaping, and NUL characters compare like any
 *   other. Both sides are folded already, so this equals the case-insensitive LIKE it replaces
 *   (LIKE folds ASCII only, which folded text no longer contains), and a byte match of valid UTF-8
 *   is a character match.
 */
export function compileFilter<S extends string, B extends string>(
  filter: Filter<S, B>,
  columns: FilterColumns<S, B>,
): SqlFragment {
  const params: unknown[] = [];
  const a = columns.alias;
  const visit = (f: Filter<S, B>): string => {
    switch (f.kind) {
      case 'all':
        return '1';
      case 'and':
      case 'or': {
        const terms = flatten(f.kind, f.of);
        if (terms.length === 0) return f.kind === 'and' ? '1' : '0';
        return balanced(f.kind === 'and' ? terms.map(visit) : orTerms(terms), f.kind === 'and' ? 'AND' : 'OR');
      }
      case 'not':
        return `NOT (${visit(f.filter)})`;
      case 'string':
        return matchSql(columns.strings[f.field], f.match, f.value, params);
      case 'empty':
        return `(${columns.strings[f.field]} = '')`;
      case 'boolean':
        params.push(f.value ? 1 : 0);
        return `${a}.${columns.booleans[f.field]} = ?`;
      case 'date':
        params.push(f.value.getTime());
        return `${a}.${DATE_COLUMNS[f.field]} ${f.match === 'lessThan' ? '<' : '>'} ?`;
      case 'attribute':
        return attributeSql([f]);
    }
  };

  /** One `EXISTS` over the values of one attribute, true when any value matches any condition. */
  const attributeSql = (conditions: readonly AttributeTerm<S, B>[]): string => {
    params.push(attributePath(conditions[0]!.name));
    const inner = balanced(
      grouped(
        conditions,
        (c) => (c.match === 'equals' ? 'equals' : undefined),
        (group) =>
          group.length > 1
            ? inList(
                'fold(attr.value)',
                group.map((c) => c.value),
                params,
              )
            : matchSql('fold(attr.value)', group[0]!.match, group[0]!.value, params),
      ),
      'OR',
    );
    return `EXISTS (SELECT 1 FROM json_each(${a}.attributes, ?) AS attr WHERE ${inner})`;
  };

  /** The terms of an OR, equality lists and same-attribute terms merged, in their first term's place. */
  const orTerms = (terms: readonly Filter<S, B>[]): string[] =>
    grouped(
      terms,
      (t) =>
        t.kind === 'string' && t.match === 'equals'
          ? `s:${t.field}`
          : t.kind === 'attribute'
            ? `a:${t.name}`
            : undefined,
      (group) => {
        const first = group[0]!;
        if (first.kind === 'attribute') return attributeSql(group as AttributeTerm<S, B>[]);
        if (first.kind === 'string' && group.length > 1) {
          return inList(
            columns.strings[first.field],
            (group as StringTerm<S, B>[]).map((t) => t.value),
            params,
          );
        }
        return visit(first);
      },
    );

  const sql = visit(filter);
  if (params.length > MAX_FILTER_PARAMETERS) {
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `The filter is too large: it needs ${params.length} values, at most ${MAX_FILTER_PARAMETERS} are possible`,
    );
  }
  return { sql, params };
}

type AttributeTerm<S extends string, B extends string> = Extract<Filter<S, B>, { kind: 'attribute' }>;
type StringTerm<S extends string, B extends string> = Extract<Filter<S, B>, { kind: 'string' }>;

/** The terms of an AND or OR with nested lists of the same kind spliced in (`a OR (b OR c)` → `a OR b OR c`). */
function flatten<S extends string, B extends string>(kind: 'and' | 'or', of: readonly Filter<S, B>[]): Filter<S, B>[] {
  const out: Filter<S, B>[] = [];
  const add = (terms: readonly Filter<S, B>[]): void => {
    for (const term of terms) {
      if (term.kind === kind) add(term.of);
      else out.push(term);
    }
  };
  add(of);
  return out;
}

/**
 * Compiles `items` in order, those with the same key together at the place of the first of them
 * (`compile` gets each group; items without a key are groups of one). The compiled parts keep
 * the order in which they push parameters, which is their order in the SQL text.
 */
function grouped<T>(
  items: readonly T[],
  key: (item: T) => string | undefined,
  compile: (group: T[]) => string,
): string[] {
  const groups: T[][] = [];
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const existing = k === undefined ? undefined : byKey.get(k);
    if (existing) {
      existing.push(item);
    } else {
      const group = [item];
      groups.push(group);
      if (k !== undefined) byKey.set(k, group);
    }
  }
  return groups.map(compile);
}

/** `(a OP b)` as a balanced binary tree: depth ⌈log2 n⌉ for n parts. */
function balanced(parts: readonly string[], op: 'AND' | 'OR'): string {
  const build = (from: number, to: number): string => {
    if (to - from === 1) return parts[from]!;
    const middle = (from + to) >>> 1;
    return `(${build(from, middle)} ${op} ${build(middle, to)})`;
  };
  return build(0, parts.length);
}

/** `expr IN (…)` for folded values, as one JSON array parameter: no limit on the number of values. */
function inList(expr: string, raw: readonly string[], params: unknown[]): string {
  params.push(JSON.stringify(raw.map(foldName)));
  return `${expr} IN (SELECT v.value FROM json_each(?) AS v)`;
}

function matchSql(expr: string, match: StringMatch, raw: string, params: unknown[]): string {
  const value = foldName(raw);
  switch (match) {
    case 'equals':
      params.push(value);
      return `${expr} = ?`;
    case 'lessThan':
      params.push(value);
      return `${expr} < ?`;
    case 'greaterThan':
      params.push(value);
      return `${expr} > ?`;
    case 'startsWith':
      if (value === '') return emptyMatch(expr, params);
      params.push(value, value);
      return `substr(CAST(${expr} AS BLOB), 1, length(CAST(? AS BLOB))) = CAST(? AS BLOB)`;
    case 'endsWith':
      if (value === '') return emptyMatch(expr, params);
      params.push(value, value);
      return `substr(CAST(${expr} AS BLOB), -length(CAST(? AS BLOB))) = CAST(? AS BLOB)`;
    case 'contains':
      params.push(value);
      return `instr(CAST(${expr} AS BLOB), CAST(? AS BLOB)) > 0`;
  }
}

/** The empty string starts, ends and is contained in every value; NULL stays unknown, as with LIKE. */
function emptyMatch(expr: string, params: unknown[]): string {
  params.push('');
  return `instr(CAST(${expr} AS BLOB), CAST(? AS BLOB)) > 0`;
}

/** JSON path of one attribute's value array; the name is quoted so any character is allowed. */
function attributePath(name: string): string {
  return `$."${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
