import { DirectoryError } from '../../domain/errors';
import { foldName } from '../../domain/names';
import type { DateField, Filter, StringMatch } from '../../domain/filter';
import { beforeNul, hasNul } from './nul-text';

/** A compiled WHERE fragment with its parameters, numbered from the `firstParam` it was compiled with. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * Column map of one entity table: for each string field, a SQL expression that yields the
 * *folded* value in collation "C" (the stored folded copies, migrations.ts), and the boolean columns.
 */
export interface FilterColumns<S extends string, B extends string> {
  readonly alias: string;
  readonly strings: Readonly<Record<S, string>>;
  readonly booleans: Readonly<Record<B, string>>;
  /** The jsonb column of folded attributes: `{name: [folded values]}`. */
  readonly attributes: string;
}

/**
 * Parameters a filter may use: the SQLite backend's bound (src/store/sqlite/filter-sql.ts), not
 * PostgreSQL's own (65,535 per statement), so that a filter is accepted by both backends or
 * refused by both. Every term takes as many parameters here as there, so the counts agree.
 */
const MAX_FILTER_PARAMETERS = 32_766 - 16;

const DATE_COLUMNS: Readonly<Record<DateField, string>> = { createdAt: 'created_at', updatedAt: 'updated_at' };

/**
 * Compiles the domain filter algebra to PostgreSQL, with the SQLite backend's algebra and
 * results (src/store/sqlite/filter-sql.ts): values are folded like the columns; AND / OR lists
 * are balanced trees after flattening; within an OR, `equals` terms on one field become one
 * `= ANY($n::text[])` and terms on one attribute share one `EXISTS`.
 *
 * - startsWith / endsWith compare `left(x, n)` / `right(x, n)` with the value, n its length in
 *   characters; contains is `strpos(x, v) > 0`. No LIKE: no wildcards to escape, no pattern
 *   limits. The empty value starts, ends and is contained in every value.
 * - lessThan / greaterThan compare in collation "C" (code-point order, SQLite's BINARY).
 * - Stored text never holds U+0000 (nul-text.ts): a value with it is compiled to what it means
 *   against such text (`equals` and the substring matches are FALSE; an order comparison uses the
 *   part before it, `x < 'ab\0c'` being `x <= 'ab'`), never sent to the server, which refuses it.
 *   Such terms take fewer parameters than in SQLite: only ever more filters fit.
 */
export function compileFilter<S extends string, B extends string>(
  filter: Filter<S, B>,
  columns: FilterColumns<S, B>,
  firstParam: number,
): SqlFragment {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const a = columns.alias;
  const visit = (f: Filter<S, B>): string => {
    switch (f.kind) {
      case 'all':
        return 'TRUE';
      case 'and':
      case 'or': {
        const terms = flatten(f.kind, f.of);
        if (terms.length === 0) return f.kind === 'and' ? 'TRUE' : 'FALSE';
        return balanced(f.kind === 'and' ? terms.map(visit) : orTerms(terms), f.kind === 'and' ? 'AND' : 'OR');
      }
      case 'not':
        return `NOT (${visit(f.filter)})`;
      case 'string':
        return matchSql(columns.strings[f.field], f.match, f.value, param);
      case 'empty':
        return `(${columns.strings[f.field]} = '')`;
      case 'boolean':
        return `${a}.${columns.booleans[f.field]} = ${param(f.value)}::boolean`;
      case 'date':
        return `${a}.${DATE_COLUMNS[f.field]} ${f.match === 'lessThan' ? '<' : '>'} ${param(f.value.getTime())}::bigint`;
      case 'attribute':
        return attributeSql([f]);
    }
  };

  /** One `EXISTS` over the folded values of one attribute, true when any value matches any condition. */
  const attributeSql = (conditions: readonly AttributeTerm<S, B>[]): string => {
    const name = conditions[0]!.name;
    if (hasNul(name)) return 'FALSE'; // no stored attribute has such a name
    const path = param(name);
    const value = 'attr.value COLLATE "C"';
    const inner = balanced(
      grouped(
        conditions,
        (c) => (c.match === 'equals' ? 'equals' : undefined),
        (group) =>
          group.length > 1
            ? inList(
                value,
                group.map((c) => c.value),
                param,
              )
            : matchSql(value, group[0]!.match, group[0]!.value, param),
      ),
      'OR',
    );
    return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${a}.${columns.attributes} -> ${path}::text) AS attr(value) WHERE ${inner})`;
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
            param,
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
type Param = (value: unknown) => string;

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
 * the order in which they take parameters, which is their order in the SQL text.
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

/** `expr = ANY(…)` for folded values, as one text-array parameter: no limit on the number of values. */
function inList(expr: string, raw: readonly string[], param: Param): string {
  const values = raw.map(foldName).filter((value) => !hasNul(value));
  return `${expr} = ANY(${param(values)}::text[])`;
}

function matchSql(expr: string, match: StringMatch, raw: string, param: Param): string {
  const value = foldName(raw);
  const nul = hasNul(value);
  switch (match) {
    case 'equals':
      return nul ? 'FALSE' : `${expr} = ${param(value)}::text`;
    case 'lessThan':
      return `${expr} ${nul ? '<=' : '<'} ${param(beforeNul(value))}::text`;
    case 'greaterThan':
      return `${expr} > ${param(beforeNul(value))}::text`;
    case 'startsWith':
    case 'endsWith': {
      if (value === '') return emptyMatch(expr, param);
      if (nul) return 'FALSE';
      const cut = match === 'startsWith' ? 'left' : 'right';
      return `${cut}(${expr}, ${param(characters(value))}::integer) = ${param(value)}::text`;
    }
    case 'contains':
      return nul ? 'FALSE' : `strpos(${expr}, ${param(value)}::text) > 0`;
  }
}

/** The empty string starts, ends and is contained in every value; NULL stays unknown. */
function emptyMatch(expr: string, param: Param): string {
  return `strpos(${expr}, ${param('')}::text) > 0`;
}

/** Length in characters (code points), as PostgreSQL counts them in a UTF8 database. */
function characters(text: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++;
        i++;
      }
    }
  }
  return text.length - surrogatePairs;
}
