/**
 * Crowd Query Language, the `restriction` argument of `GET /search` (https://developer.atlassian.com/server/crowd/crowd-query-language/;
 * Crowd's Cql.g / CqlEval.g):
 *
 *   expr    := andExpr (OR andExpr)*
 *   andExpr := primary (AND primary)*
 *   primary := '(' expr ')' | key op value        op ∈ { '=', '<', '>' }
 *
 * - AND / OR are case-insensitive bare words. Where a key or a value is expected, a bare `and`
 *   or `or` is read as that key or value.
 * - Keys and values are bare words or "double" / 'single' quoted strings; inside either, `\x`
 *   stands for `x`. A bare word ends at white space or at one of `( ) = < >`.
 * - `=` values: `*x*` → CONTAINS, `x*` → STARTS_WITH, anything else (including `*x`) →
 *   EXACTLY_MATCHES; leading and trailing stars are then stripped, as Crowd does
 *   (`StringUtils.strip(value, "*")`), whatever the operator. A blank value is exact.
 *   Escaped stars are not literal (Crowd has no such escape either).
 * - `<` → LESS_THAN, `>` → GREATER_THAN.
 * - The parser does not know property types: every property is typed STRING and to-filter.ts
 *   decides by name. Blank text is the null restriction (match all).
 * Failures: `DirectoryError('INVALID_ARGUMENT', 'Search restriction is invalid: …')`.
 * Input is limited to MAX_CQL_LENGTH characters and MAX_RESTRICTION_DEPTH levels of nesting.
 */
import {
  invalidRestriction,
  type MatchMode,
  MAX_RESTRICTION_DEPTH,
  NULL_RESTRICTION,
  propertyRestriction,
  RestrictionBudget,
  type SearchRestriction,
} from './restriction';

export const MAX_CQL_LENGTH = 16_384;

type Token =
  | { kind: '(' | ')' | 'end'; at: number }
  | { kind: 'op'; op: '=' | '<' | '>'; at: number }
  /** `word` is true for a bare (unquoted, unescaped) word, which may be AND / OR. */
  | { kind: 'string'; text: string; word: boolean; at: number };

export function parseCql(text: string): SearchRestriction {
  if (text.length > MAX_CQL_LENGTH) throw invalidRestriction(`longer than ${MAX_CQL_LENGTH} characters`);
  if (text.trim() === '') return NULL_RESTRICTION;
  const parser = new Parser(tokenize(text));
  const restriction = parser.expression(1);
  parser.expectEnd();
  return restriction;
}

// ---------------------------------------------------------------------------------------------
// Lexer

const SPACE = /\s/;
const DELIMITERS = new Set(['(', ')', '=', '<', '>']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (SPACE.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch, at: i });
      i += 1;
    } else if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', op: ch, at: i });
      i += 1;
    } else if (ch === '"' || ch === "'") {
      const start = i;
      let out = '';
      i += 1;
      for (;;) {
        if (i >= text.length)
          throw invalidRestriction(`unterminated ${ch}-quoted string starting at position ${start + 1}`);
        const c = text.charAt(i);
        if (c === ch) break;
        if (c === '\\') {
          if (i + 1 >= text.length) throw invalidRestriction(`dangling "\\" at position ${i + 1}`);
          out += text.charAt(i + 1);
          i += 2;
        } else {
          out += c;
          i += 1;
        }
      }
      i += 1; // closing quote
      tokens.push({ kind: 'string', text: out, word: false, at: start });
    } else {
      const start = i;
      let out = '';
      let escaped = false;
      while (i < text.length) {
        const c = text.charAt(i);
        if (SPACE.test(c) || DELIMITERS.has(c)) break;
        if (c === '\\') {
          if (i + 1 >= text.length) throw invalidRestriction(`dangling "\\" at position ${i + 1}`);
          out += text.charAt(i + 1);
          escaped = true;
          i += 2;
        } else {
          out += c;
          i += 1;
        }
      }
      tokens.push({ kind: 'string', text: out, word: !escaped, at: start });
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser (recursive descent, depth-bounded)

class Parser {
  private index = 0;
  private readonly budget = new RestrictionBudget();

  constructor(private readonly tokens: readonly Token[]) {}

  expression(depth: number): SearchRestriction {
    const terms = [this.andExpression(depth)];
    while (this.isKeyword('OR')) {
      this.index += 1;
      terms.push(this.andExpression(depth));
    }
    return terms.length === 1 ? terms[0]! : { kind: 'boolean', logic: 'OR', restrictions: terms };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw invalidRestriction(`unexpected ${describe(token)}; expected AND, OR or the end`);
  }

  private andExpression(depth: number): SearchRestriction {
    const terms = [this.primary(depth)];
    while (this.isKeyword('AND')) {
      this.index += 1;
      terms.push(this.primary(depth));
    }
    return terms.length === 1 ? terms[0]! : { kind: 'boolean', logic: 'AND', restrictions: terms };
  }

  private primary(depth: number): SearchRestriction {
    const token = this.next();
    if (token.kind === '(') {
      if (depth >= MAX_RESTRICTION_DEPTH) {
        throw invalidRestriction(`parentheses are nested deeper than ${MAX_RESTRICTION_DEPTH} levels`);
      }
      const inner = this.expression(depth + 1);
      const close = this.next();
      if (close.kind !== ')') throw invalidRestriction(`unexpected ${describe(close)}; expected ")"`);
      return inner;
    }
    if (token.kind !== 'string')
      throw invalidRestriction(`unexpected ${describe(token)}; expected a property name or "("`);
    this.budget.enter(depth);
    const op = this.next();
    if (op.kind !== 'op')
      throw invalidRestriction(`unexpected ${describe(op)}; expected "=", "<" or ">" after "${token.text}"`);
    const value = this.next();
    if (value.kind !== 'string')
      throw invalidRestriction(`unexpected ${describe(value)}; expected a value after "${token.text}${op.op}"`);
    const { matchMode, text } = valueMatch(op.op, value.text);
    return propertyRestriction(token.text, 'STRING', matchMode, text);
  }

  private isKeyword(word: 'AND' | 'OR'): boolean {
    const token = this.peek();
    return token.kind === 'string' && token.word && token.text.toUpperCase() === word;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
}

/** Crowd's `getMatchMode` and star stripping (CqlEval.g). */
function valueMatch(op: '=' | '<' | '>', raw: string): { matchMode: MatchMode; text: string } {
  const text = stripStars(raw);
  if (op === '<') return { matchMode: 'LESS_THAN', text };
  if (op === '>') return { matchMode: 'GREATER_THAN', text };
  if (raw.trim() !== '' && raw.endsWith('*')) {
    return { matchMode: raw.startsWith('*') ? 'CONTAINS' : 'STARTS_WITH', text };
  }
  return { matchMode: 'EXACTLY_MATCHES', text };
}

/** `StringUtils.strip(s, "*")`, written as two index scans (a regex would be quadratic on star runs). */
function stripStars(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 0x2a) start += 1;
  while (end > start && s.charCodeAt(end - 1) === 0x2a) end -= 1;
  return s.slice(start, end);
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of restriction';
    case 'op':
      return `"${token.op}" at position ${token.at + 1}`;
    case 'string':
      return `"${token.text}" at position ${token.at + 1}`;
    default:
      return `"${token.kind}" at position ${token.at + 1}`;
  }
}
