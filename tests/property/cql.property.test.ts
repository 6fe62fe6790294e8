/**
 * Property-based tests of the CQL parser (facades/crowd/search/cql.ts, `GET /search?restriction=`).
 *
 * A small printer below turns random restriction trees into CQL text, choosing at random between
 * bare words, "double" and 'single' quoted strings and backslash escapes, keyword case, white space
 * and redundant parentheses; parsing the text must give the tree back. Garbage and mutated CQL
 * must never throw anything but DirectoryError INVALID_ARGUMENT, and deep nesting must be refused
 * with a clear message rather than a stack overflow.
 */
import fc from 'fast-check';
import { DirectoryError } from '../../src/domain/errors';
import { MAX_CQL_LENGTH, parseCql } from '../../facades/crowd/search/cql';
import { MAX_RESTRICTION_DEPTH, type SearchRestriction } from '../../facades/crowd/search/restriction';
import { anyCase, anyText, mutated, onlyInvalidArgument, params } from './arbitraries';

type CqlMode = 'EXACTLY_MATCHES' | 'STARTS_WITH' | 'CONTAINS' | 'LESS_THAN' | 'GREATER_THAN';
type CqlProperty = { kind: 'property'; name: string; type: 'STRING'; matchMode: CqlMode; value: string };
type CqlTree = CqlProperty | { kind: 'boolean'; logic: 'AND' | 'OR'; restrictions: CqlTree[] };

// ---------------------------------------------------------------------------------------------
// Arbitraries

const stripStars = (s: string): string => s.replace(/^\*+/, '').replace(/\*+$/, '');

/** A property restriction the CQL grammar can express: STRING, five match modes, stars stripped from the value. */
const cqlProperty: fc.Arbitrary<CqlProperty> = fc
  .record({
    name: anyText(10).filter((s) => s !== ''),
    matchMode: fc.constantFrom<CqlMode>('EXACTLY_MATCHES', 'STARTS_WITH', 'CONTAINS', 'LESS_THAN', 'GREATER_THAN'),
    value: anyText(10),
  })
  .map(({ name, matchMode, value }) => {
    let v = stripStars(value);
    // `x*` is STARTS_WITH only with a non-empty x (`*` alone starts with a star: CONTAINS).
    if (matchMode === 'STARTS_WITH' && v === '') v = 'x';
    return { kind: 'property', name, type: 'STRING', matchMode, value: v };
  });

/** Boolean nodes have at least two children: `(a=b)` parses as the property itself. */
const cqlTree: fc.Arbitrary<CqlTree> = fc.letrec<{ tree: CqlTree }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'cql' },
    { weight: 3, arbitrary: cqlProperty },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('boolean' as const),
        logic: fc.constantFrom('AND' as const, 'OR' as const),
        restrictions: fc.array(tie('tree'), { minLength: 2, maxLength: 4, depthIdentifier: 'cql' }),
      }),
    },
  ),
})).tree;

/** The printer's random choices, drawn once per run and consumed in order. */
interface Style {
  /** One choice per printed string: 0 bare (when possible), 1 double quotes, 2 single quotes, 3 backslash-escaped bare word. */
  quoting: number[];
  spaces: string[];
  and: string;
  or: string;
  redundantParens: boolean[];
}

const style: fc.Arbitrary<Style> = fc.record({
  quoting: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 16 }),
  spaces: fc.array(fc.constantFrom(' ', '  ', '\t', '\n', '\u3000', ' \r\n '), { minLength: 1, maxLength: 8 }),
  and: anyCase('and'),
  or: anyCase('or'),
  redundantParens: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
});

// ---------------------------------------------------------------------------------------------
// Printer

/** Characters that end a bare word or start something else (cql.ts: white space and `( ) = < >`; quotes start a quoted string; `\` escapes). */
const BARE_UNSAFE = /[\s()=<>"'\\]/;

class Printer {
  private n = 0;

  constructor(private readonly s: Style) {}

  private pick<T>(list: readonly T[]): T {
    return list[this.n++ % list.length]!;
  }

  private space(): string {
    return this.pick(this.s.spaces);
  }

  string(text: string): string {
    const choice = this.pick(this.s.quoting);
    if (choice === 0 && text !== '' && !BARE_UNSAFE.test(text)) return text;
    if (choice === 2) return `'${text.replace(/[\\']/g, '\\$&')}'`;
    if (choice === 3 && text !== '') return text.replace(/[\s()=<>"'\\]/g, '\\$&');
    return `"${text.replace(/[\\"]/g, '\\$&')}"`;
  }

  property(p: CqlProperty): string {
    const op = p.matchMode === 'LESS_THAN' ? '<' : p.matchMode === 'GREATER_THAN' ? '>' : '=';
    const raw = p.matchMode === 'STARTS_WITH' ? `${p.value}*` : p.matchMode === 'CONTAINS' ? `*${p.value}*` : p.value;
    // Bare values next to `=` need no space; some runs put one anyway.
    return `${this.string(p.name)}${this.pick([this.space(), ''])}${op}${this.pick(['', this.space()])}${this.string(raw)}`;
  }

  tree(t: CqlTree, top = true): string {
    if (t.kind === 'property') {
      const text = this.property(t);
      return this.pick(this.s.redundantParens) ? `(${this.space()}${text}${this.space()})` : text;
    }
    const keyword = t.logic === 'AND' ? this.s.and : this.s.or;
    const body = t.restrictions.map((c) => this.tree(c, false)).join(`${this.space()}${keyword}${this.space()}`);
    // Children that are boolean are always parenthesised: the parser keeps `(a AND b) AND c` nested.
    return top && !this.pick(this.s.redundantParens) ? body : `(${body})`;
  }
}

function print(t: CqlTree, s: Style): string {
  return new Printer(s).tree(t);
}

// ---------------------------------------------------------------------------------------------

function depth(t: CqlTree): number {
  return t.kind === 'property' ? 1 : 1 + Math.max(...t.restrictions.map(depth));
}

describe('CQL parser (property-based)', () => {
  test('round trip: printing a random restriction tree and parsing it gives the tree', () => {
    fc.assert(
      fc.property(cqlTree, style, (tree, s) => {
        const text = print(tree, s);
        const parsed: SearchRestriction = parseCql(text);
        expect(parsed).toEqual(tree);
      }),
      params(400),
    );
  });

  test('blank text is the null restriction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff'), { maxLength: 8 }),
        (spaces) => {
          expect(parseCql(spaces.join(''))).toEqual({ kind: 'null' });
        },
      ),
      params(100),
    );
  });

  test('random text never throws anything but DirectoryError INVALID_ARGUMENT', () => {
    const cqlish = fc
      .array(
        fc.oneof(
          fc.constantFrom('(', ')', '=', '<', '>', '"', "'", '\\', '*', ' ', 'a', 'AND', 'or', 'x=y', '\ud800'),
          anyText(3),
        ),
        {
          maxLength: 40,
        },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(cqlish, anyText(60)), (text) => {
        const result = onlyInvalidArgument(() => parseCql(text));
        if (!(result instanceof DirectoryError))
          expect(result.kind === 'null' || result.kind === 'property' || result.kind === 'boolean').toBe(true);
      }),
      params(1500),
    );
  });

  test('mutated valid CQL never throws anything but DirectoryError INVALID_ARGUMENT', () => {
    const source = fc.tuple(cqlTree, style).map(([t, s]) => print(t, s));
    fc.assert(
      fc.property(
        mutated(source, fc.oneof(anyText(4), fc.constantFrom('(', ')', '"', "'", '\\', ' AND ', ' or '))),
        (text) => {
          onlyInvalidArgument(() => parseCql(text));
        },
      ),
      params(800),
    );
  });

  test(`parentheses nested up to ${MAX_RESTRICTION_DEPTH - 1} levels parse; deeper is a clear INVALID_ARGUMENT, never a stack overflow`, () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 20_000 })),
        fc.boolean(),
        (n, closed) => {
          const text = '('.repeat(n) + 'name=x' + (closed ? ')'.repeat(n) : '');
          const result = onlyInvalidArgument(() => parseCql(text));
          if (text.length > MAX_CQL_LENGTH) {
            expect(result).toBeInstanceOf(DirectoryError);
          } else if (n >= MAX_RESTRICTION_DEPTH) {
            expect(result).toBeInstanceOf(DirectoryError);
            expect((result as DirectoryError).message).toMatch(/nested deeper than/);
          } else if (closed || n === 0) {
            expect(result).toEqual({
              kind: 'property',
              name: 'name',
              type: 'STRING',
              matchMode: 'EXACTLY_MATCHES',
              value: 'x',
            });
          } else {
            expect(result).toBeInstanceOf(DirectoryError);
          }
        },
      ),
      params(200),
    );
  });

  test('long flat AND/OR chains up to the length limit parse without recursion trouble', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.constantFrom(' AND ', ' OR ', ' and '), (n, keyword) => {
        const text = Array.from({ length: n }, (_, i) => `n${i}=v`).join(keyword);
        const result = onlyInvalidArgument(() => parseCql(text));
        if (text.length > MAX_CQL_LENGTH) expect(result).toBeInstanceOf(DirectoryError);
        else if (n === 1) expect(result).toMatchObject({ kind: 'property' });
        else
          expect(result).toMatchObject({
            kind: 'boolean',
            logic: keyword.trim().toUpperCase(),
            restrictions: expect.any(Array),
          });
      }),
      params(60),
    );
  });

  test('sanity: the generated trees are varied (nesting and every match mode occur)', () => {
    const samples = fc.sample(cqlTree, { seed: 1, numRuns: 200 });
    expect(Math.max(...samples.map(depth))).toBeGreaterThanOrEqual(3);
    const modes = new Set<string>();
    const walk = (t: CqlTree): void =>
      t.kind === 'property' ? void modes.add(t.matchMode) : t.restrictions.forEach(walk);
    samples.forEach(walk);
    expect(modes.size).toBe(5);
  });
});
