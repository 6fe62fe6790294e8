import { graphErrors } from './errors';
import type { EntitySchema } from './mapping';

/**
 * The OData `$filter` subset directory connectors use (learn.microsoft.com/graph/filter-query-parameter):
 * `eq ne gt ge lt le`, `and or not`, parentheses, `in (…)`, `startswith(p,'x')`, `endswith(p,'x')`,
 * and lambda `p/any(c:c eq 'x')` / `p/any(c:startswith(c,'x'))` on collections such as groupTypes.
 * String comparisons are case-insensitive, as in the directory. `ne`, `not`, `endswith` and the
 * properties a resource lists as advanced need advanced query mode (ConsistencyLevel: eventual
 * plus $count=true, per aad-advanced-queries); without it they fail with Graph's 400.
 */
export type Literal = string | number | boolean | null;
type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterExpr =
  | { readonly k: 'and' | 'or'; readonly l: FilterExpr; readonly r: FilterExpr }
  | { readonly k: 'not'; readonly e: FilterExpr }
  | { readonly k: 'cmp'; readonly op: CmpOp; readonly prop: string; readonly value: Literal }
  | { readonly k: 'in'; readonly prop: string; readonly values: readonly Literal[] }
  | { readonly k: 'fn'; readonly fn: 'startswith' | 'endswith'; readonly prop: string; readonly value: string }
  | { readonly k: 'any'; readonly prop: string; readonly inner: InnerTest };

type InnerTest =
  { readonly op: CmpOp; readonly value: Literal } | { readonly fn: 'startswith' | 'endswith'; readonly value: string };

/** Which properties a resource may filter on; `advanced` ones need advanced query mode. */
export interface FilterSpec {
  readonly resource: string;
  readonly standard: ReadonlySet<string>;
  readonly advanced: ReadonlySet<string>;
}

type Token =
  | { readonly t: 'punct'; readonly v: string }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'word'; readonly v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if ('(),/:'.includes(ch)) {
      out.push({ t: 'punct', v: ch });
      i++;
    } else if (ch === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw graphErrors.invalidFilter('Invalid filter clause: unterminated string literal.');
        const c = text.charAt(i);
        if (c === "'") {
          if (text.charAt(i + 1) === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += c;
        i++;
      }
      out.push({ t: 'str', v });
    } else {
      const start = i;
      const numeric = /[0-9-]/.test(ch);
      while (i < text.length && (/[A-Za-z0-9_.+-]/.test(text.charAt(i)) || (numeric && text.charAt(i) === ':'))) i++;
      if (i === start) throw graphErrors.invalidFilter(`Invalid filter clause: unexpected '${ch}'.`);
      out.push({ t: 'word', v: text.slice(start, i) });
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterExpr {
    const e = this.or();
    if (this.i !== this.tokens.length) throw graphErrors.invalidFilter('Invalid filter clause: syntax error.');
    return e;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private word(v?: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'word' && (v === undefined || t.v.toLowerCase() === v);
  }

  private punct(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'punct' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.punct(v)) throw graphErrors.invalidFilter(`Invalid filter clause: '${v}' expected.`);
    this.i++;
  }

  private or(): FilterExpr {
    let l = this.and();
    while (this.word('or')) {
      this.i++;
      l = { k: 'or', l, r: this.and() };
    }
    return l;
  }

  private and(): FilterExpr {
    let l = this.unary();
    while (this.word('and')) {
      this.i++;
      l = { k: 'and', l, r: this.unary() };
    }
    return l;
  }

  private unary(): FilterExpr {
    if (this.word('not')) {
      this.i++;
      return { k: 'not', e: this.unary() };
    }
    if (this.punct('(')) {
      this.i++;
      const e = this.or();
      this.expect(')');
      return e;
    }
    const fn = this.fnName();
    if (fn) {
      const { prop, value } = this.fnArgs();
      return { k: 'fn', fn, prop, value };
    }
    const prop = this.identifier();
    if (this.punct('/')) {
      this.i++;
      if (!this.word('any')) throw graphErrors.unsupportedQuery();
      this.i++;
      this.expect('(');
      const variable = this.identifier();
      this.expect(':');
      let inner: InnerTest;
      const innerFn = this.fnName();
      if (innerFn) {
        const args = this.fnArgs();
        if (args.prop !== variable) throw graphErrors.invalidFilter();
        inner = { fn: innerFn, value: args.value };
      } else {
        if (this.identifier() !== variable) throw graphErrors.invalidFilter();
        inner = { op: this.op(), value: this.literal() };
      }
      this.expect(')');
      return { k: 'any', prop, inner };
    }
    if (this.word('in')) {
      this.i++;
      this.expect('(');
      const values: Literal[] = [this.literal()];
      while (this.punct(',')) {
        this.i++;
        values.push(this.literal());
      }
      this.expect(')');
      return { k: 'in', prop, values };
    }
    return { k: 'cmp', op: this.op(), prop, value: this.literal() };
  }

  private fnName(): 'startswith' | 'endswith' | null {
    const t = this.peek();
    const next = this.tokens[this.i + 1];
    if (t?.t !== 'word' || next?.t !== 'punct' || next.v !== '(') return null;
    const name = t.v.toLowerCase();
    if (name !== 'startswith' && name !== 'endswith')
      throw graphErrors.unsupportedQuery(`Unsupported function '${t.v}' in filter clause.`);
    this.i += 2;
    return name;
  }

  private fnArgs(): { prop: string; value: string } {
    const prop = this.identifier();
    this.expect(',');
    const t = this.peek();
    if (t?.t !== 'str') throw graphErrors.invalidFilter('Invalid filter clause: string literal expected.');
    this.i++;
    this.expect(')');
    return { prop, value: t.v };
  }

  private identifier(): string {
    const t = this.peek();
    if (t?.t !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.v))
      throw graphErrors.invalidFilter('Invalid filter clause: property name expected.');
    this.i++;
    return t.v;
  }

  private op(): CmpOp {
    const t = this.peek();
    const v = t?.t === 'word' ? t.v.toLowerCase() : '';
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(v))
      throw graphErrors.invalidFilter('Invalid filter clause: comparison operator expected.');
    this.i++;
    return v as CmpOp;
  }

  private literal(): Literal {
    const t = this.peek();
    if (t === undefined || t.t === 'punct') throw graphErrors.invalidFilter('Invalid filter clause: literal expected.');
    this.i++;
    if (t.t === 'str') return t.v;
    const v = t.v.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (v === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(t.v)) return Number(t.v);
    // Unquoted GUIDs and DateTimeOffset literals are values in OData; keep them as text.
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t.v) || /^\d{4}-\d{2}-\d{2}T/.test(t.v))
      return t.v;
    throw graphErrors.invalidFilter(`Invalid filter clause: unexpected '${t.v}'.`);
  }
}

export function parseFilter(text: string): FilterExpr {
  return new Parser(tokenize(text)).parse();
}

/**
 * Resolves property names against the schema and checks filterability: unknown property → 400
 * "Could not find a property…"; not filterable → Request_UnsupportedQuery; advanced-only feature
 * without advanced mode → Request_UnsupportedQuery naming the operator or property.
 */
export function compileFilter<T>(
  expr: FilterExpr,
  schema: EntitySchema<T>,
  spec: FilterSpec,
  advanced: boolean,
): (o: T) => boolean {
  const resolve = (prop: string): ((o: T) => unknown) => {
    const name = schema.lookup.get(prop.toLowerCase());
    if (name === undefined) throw graphErrors.unknownProperty(prop, schema.type);
    const allowed = spec.standard.has(name) || spec.advanced.has(name);
    if (!allowed || (spec.advanced.has(name) && !advanced)) {
      throw graphErrors.unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${name}' of resource '${spec.resource}'.`,
      );
    }
    return schema.getters.get(name)!;
  };
  const needAdvanced = (operator: string): void => {
    if (!advanced) {
      throw graphErrors.unsupportedQuery(
        `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count with a value of true and ConsistencyLevel header with a value of eventual. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
      );
    }
  };
  const build = (e: FilterExpr): ((o: T) => boolean) => {
    switch (e.k) {
      case 'and': {
        const l = build(e.l);
        const r = build(e.r);
        return (o) => l(o) && r(o);
      }
      case 'or': {
        const l = build(e.l);
        const r = build(e.r);
        return (o) => l(o) || r(o);
      }
      case 'not': {
        needAdvanced('not');
        const inner = build(e.e);
        return (o) => !inner(o);
      }
      case 'cmp': {
        if (e.op === 'ne') needAdvanced('ne');
        const get = resolve(e.prop);
        return (o) => compare(get(o), e.op, e.value);
      }
      case 'in': {
        const get = resolve(e.prop);
        return (o) => e.values.some((v) => compare(get(o), 'eq', v));
      }
      case 'fn': {
        if (e.fn === 'endswith') needAdvanced('endsWith');
        const get = resolve(e.prop);
        return (o) => textTest(get(o), e.fn, e.value);
      }
      case 'any': {
        const get = resolve(e.prop);
        const inner = e.inner;
        if ('fn' in inner && inner.fn === 'endswith') needAdvanced('endsWith');
        if ('op' in inner && inner.op === 'ne') needAdvanced('ne');
        return (o) => {
          const value = get(o);
          if (!Array.isArray(value)) return false;
          return value.some((item: unknown) =>
            'fn' in inner ? textTest(item, inner.fn, inner.value) : compare(item, inner.op, inner.value),
          );
        };
      }
    }
  };
  return build(expr);
}

/** When the filter only selects by id (`id eq 'a'`, ORs of those, or `id in (…)`), the ids; else null. */
export function idsOnly(e: FilterExpr): string[] | null {
  if (e.k === 'cmp' && e.op === 'eq' && e.prop.toLowerCase() === 'id' && typeof e.value === 'string') return [e.value];
  if (e.k === 'in' && e.prop.toLowerCase() === 'id' && e.values.every((v) => typeof v === 'string'))
    return e.values as string[];
  if (e.k === 'or') {
    const l = idsOnly(e.l);
    const r = idsOnly(e.r);
    return l && r ? [...l, ...r] : null;
  }
  return null;
}

function textTest(value: unknown, fn: 'startswith' | 'endswith', arg: string): boolean {
  if (typeof value !== 'string') return false;
  const v = value.toLowerCase();
  const a = arg.toLowerCase();
  return fn === 'startswith' ? v.startsWith(a) : v.endsWith(a);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function compare(value: unknown, op: CmpOp, literal: Literal): boolean {
  let a: unknown = value;
  let b: unknown = literal;
  if (typeof a === 'string' && typeof b === 'string') {
    if (ISO.test(a) && ISO.test(b)) {
      a = Date.parse(a);
      b = Date.parse(b);
    } else {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    default: {
      if (a === null || b === null || typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string'))
        return false;
      const x = a as number | string;
      const y = b as number | string;
      return op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : x <= y;
    }
  }
}
