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

const DATE_COLUMNS: Readonly<Record<DateField, string>> = { createdAt: 'created_at', updatedAt: 'updated_at' };

/** Compiles the domain filter algebra to SQLite. Values are folded the same way as the columns. */
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
      case 'or':
        if (f.of.length === 0) return f.kind === 'and' ? '1' : '0';
        return `(${f.of.map(visit).join(f.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT ${visit(f.filter)}`;
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
      case 'attribute': {
        params.push(attributePath(f.name));
        const inner = matchSql('fold(attr.value)', f.match, f.value, params);
        return `EXISTS (SELECT 1 FROM json_each(${a}.attributes, ?) AS attr WHERE ${inner})`;
      }
    }
  };
  const sql = visit(filter);
  return { sql, params };
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
      params.push(`${escapeLike(value)}%`);
      return `${expr} LIKE ? ESCAPE '\\'`;
    case 'endsWith':
      params.push(`%${escapeLike(value)}`);
      return `${expr} LIKE ? ESCAPE '\\'`;
    case 'contains':
      params.push(`%${escapeLike(value)}%`);
      return `${expr} LIKE ? ESCAPE '\\'`;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** JSON path of one attribute's value array; the name is quoted so any character is allowed. */
function attributePath(name: string): string {
  return `$."${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
