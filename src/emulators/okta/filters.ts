/**
 * Okta's SCIM-like expression language of `filter` and `search` parameters
 * (developer.okta.com/docs/api/#filter): `attr op "value"` terms joined by `and` / `or`, with
 * parentheses; `attr pr`. Operators are case-insensitive, attribute names case-sensitive.
 *
 * Each endpoint restricts attributes and operators through a {@link Dialect}; anything else is a
 * 400 E0000031 "Invalid search criteria." — e.g. users `filter` allows only `eq` (and
 * `gt ge lt le` on `lastUpdated`), users `search` has no `ne`, and `not` is never supported.
 * Date attributes compare as instants; their literals must be ISO-8601 timestamps.
 */
import { oktaErrors } from './errors';

export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'co' | 'ew' | 'pr';
export type Literal = string | number | boolean | null;

export type Expr =
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'cmp'; readonly attr: string; readonly op: Operator; readonly value: Literal };

export type AttributeType = 'string' | 'date' | 'number' | 'boolean';

export interface AttributeSpec {
  readonly type: AttributeType;
  readonly ops: ReadonlySet<Operator>;
}

export interface Dialect {
  /** For error messages ("filter", "search"). */
  readonly parameter: string;
  attribute(path: string): AttributeSpec | undefined;
  /** `search` compares string values case-insensitively; `filter` does not. */
  readonly caseInsensitive: boolean;
}

/** What an accessor returns: dates as epoch ms; arrays match when any element matches. */
export type Value = string | number | boolean | null | undefined | readonly (string | number | null | undefined)[];

export const ops = (...list: Operator[]): ReadonlySet<Operator> => new Set(list);
export const DATE_OPS = ops('eq', 'gt', 'ge', 'lt', 'le');

type Token = { readonly type: 'word' | 'string' | 'lparen' | 'rparen'; readonly text: string };

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'ew', 'pr']);
const MAX_EXPRESSION_LENGTH = 4096;

function tokenize(text: string, parameter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'lparen' : 'rparen', text: ch });
      i++;
    } else if (ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw oktaErrors.invalidSearch(`${parameter}: unterminated string`);
        const c = text.charAt(i);
        if (c === '\\' && i + 1 < text.length) {
          value += text.charAt(i + 1);
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ type: 'string', text: value });
    } else {
      const start = i;
      while (i < text.length && !/[\s()"]/.test(text.charAt(i))) i++;
      tokens.push({ type: 'word', text: text.slice(start, i) });
    }
  }
  return tokens;
}

/** Parses an expression; throws E0000031 on any syntax error. */
export function parseExpression(text: string, parameter: string): Expr {
  if (text.length > MAX_EXPRESSION_LENGTH) throw oktaErrors.invalidSearch(`${parameter}: expression too long`);
  const tokens = tokenize(text, parameter);
  let pos = 0;
  const fail = (what: string): never => {
    throw oktaErrors.invalidSearch(`${parameter}: ${what} at token ${pos + 1} of "${text}"`);
  };
  const peekKeyword = (): string | undefined => {
    const t = tokens[pos];
    return t?.type === 'word' ? t.text.toLowerCase() : undefined;
  };

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (peekKeyword() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parsePrimary();
    while (peekKeyword() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): Expr => {
    const t = tokens[pos];
    if (t === undefined) return fail('unexpected end');
    if (t.type === 'lparen') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.type !== 'rparen') fail('missing ")"');
      pos++;
      return inner;
    }
    if (t.type !== 'word') return fail('expected an attribute');
    if (t.text.toLowerCase() === 'not') return fail('"not" is not supported');
    pos++;
    const opToken = tokens[pos];
    const op = opToken?.type === 'word' ? opToken.text.toLowerCase() : '';
    if (!OPERATORS.has(op)) return fail('expected an operator');
    pos++;
    if (op === 'pr') return { kind: 'cmp', attr: t.text, op: 'pr', value: null };
    const v = tokens[pos];
    if (v === undefined) return fail('expected a value');
    pos++;
    if (v.type === 'string') return { kind: 'cmp', attr: t.text, op: op as Operator, value: v.text };
    if (v.type !== 'word') return fail('expected a value');
    const word = v.text.toLowerCase();
    if (word === 'true' || word === 'false')
      return { kind: 'cmp', attr: t.text, op: op as Operator, value: word === 'true' };
    if (word === 'null') return { kind: 'cmp', attr: t.text, op: op as Operator, value: null };
    if (/^-?\d+(\.\d+)?$/.test(v.text)) return { kind: 'cmp', attr: t.text, op: op as Operator, value: Number(v.text) };
    return fail(`unquoted value ${v.text}`);
  };

  const expr = parseOr();
  if (pos !== tokens.length) fail('unexpected token');
  return expr;
}

/** The terms joined by top-level `and`s (the whole expression when its root is an `or`). */
export function conjuncts(expr: Expr): Expr[] {
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/** Parses an ISO-8601 instant (Okta prints `2013-06-01T00:00:00.000Z`); null if it is not one. */
export function parseInstant(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

type Predicate<T> = (record: T) => boolean;

function compareScalar(
  actual: string | number | null | undefined,
  op: Operator,
  expected: Literal,
  fold: boolean,
): boolean {
  if (op === 'pr') return actual !== null && actual !== undefined && actual !== '';
  if (expected === null)
    return op === 'eq'
      ? actual === null || actual === undefined
      : op === 'ne'
        ? actual !== null && actual !== undefined
        : false;
  if (actual === null || actual === undefined) return op === 'ne';
  let a: string | number = actual;
  let e: string | number | boolean = expected;
  if (typeof a === 'string' && typeof e === 'string' && fold) {
    a = a.toLowerCase();
    e = e.toLowerCase();
  }
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    case 'sw':
      return typeof a === 'string' && typeof e === 'string' && a.startsWith(e);
    case 'co':
      return typeof a === 'string' && typeof e === 'string' && a.includes(e);
    case 'ew':
      return typeof a === 'string' && typeof e === 'string' && a.endsWith(e);
  }
}

/**
 * Validates `expr` against the dialect and compiles it into a predicate over records, reading
 * attributes through `read`. Date literals are converted to epoch ms once, here.
 */
export function compile<T>(expr: Expr, dialect: Dialect, read: (record: T, attr: string) => Value): Predicate<T> {
  if (expr.kind !== 'cmp') {
    const left = compile(expr.left, dialect, read);
    const right = compile(expr.right, dialect, read);
    return expr.kind === 'and' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
  }
  const spec = dialect.attribute(expr.attr);
  const where = `${dialect.parameter}: ${expr.attr} ${expr.op}`;
  if (spec === undefined) throw oktaErrors.invalidSearch(`${dialect.parameter}: unsupported attribute ${expr.attr}`);
  if (!spec.ops.has(expr.op)) throw oktaErrors.invalidSearch(`${where}: operator not supported for this attribute`);
  let expected: Literal = expr.value;
  if (spec.type === 'date' && expr.op !== 'pr' && expected !== null) {
    const ms = typeof expected === 'string' ? parseInstant(expected) : null;
    if (ms === null)
      throw oktaErrors.invalidSearch(`${where}: ${JSON.stringify(expected)} is not an ISO-8601 timestamp`);
    expected = ms;
  } else if (spec.type === 'string' && expr.op !== 'pr' && expected !== null && typeof expected !== 'string') {
    throw oktaErrors.invalidSearch(`${where}: expected a quoted string`);
  }
  const { attr, op } = expr;
  const value = expected;
  const fold = dialect.caseInsensitive;
  return (record) => {
    const actual = read(record, attr);
    if (Array.isArray(actual)) return actual.some((a) => compareScalar(a, op, value, fold));
    return compareScalar(actual as string | number | null | undefined, op, value, fold);
  };
}

/**
 * Inclusive bounds an expression puts on a date attribute through its top-level conjuncts: the
 * lower bound lets a listing start from an index ordered by that attribute instead of scanning
 * everything, the upper bound lets it stop early. The compiled predicate still decides every
 * match, so inclusive bounds are always safe. Null when there is no lower bound.
 */
export function dateRange(expr: Expr, attr: string): { from: number; to: number } | null {
  let from = -Infinity;
  let to = Infinity;
  for (const term of conjuncts(expr)) {
    if (term.kind !== 'cmp' || term.attr !== attr || typeof term.value !== 'string') continue;
    const ms = parseInstant(term.value);
    if (ms === null) continue;
    if (term.op === 'gt' || term.op === 'ge' || term.op === 'eq') from = Math.max(from, ms);
    if (term.op === 'lt' || term.op === 'le' || term.op === 'eq') to = Math.min(to, ms);
  }
  return from === -Infinity ? null : { from, to };
}

/** The value of a top-level `attr eq "value"` conjunct (an index partition key), if any. */
export function equalityKey(expr: Expr, attr: string): string | null {
  for (const term of conjuncts(expr)) {
    if (term.kind === 'cmp' && term.attr === attr && term.op === 'eq' && typeof term.value === 'string')
      return term.value;
  }
  return null;
}
